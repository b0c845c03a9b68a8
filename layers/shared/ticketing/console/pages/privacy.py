"""A person's data (seed 002, issue 17): the organizer exports what is kept of an address,
erases the person after a second form that says what will happen, follows the erasure, and
sets how long an event's orders keep their customers (or holds them).

The address travels in POST bodies only, never in a URL (URLs end up in logs and histories).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import EmailStr, TypeAdapter, ValidationError

from ticketing.console.backoffice_forms import FORM_KEY, new_form_key
from ticketing.console.http import Answer, download
from ticketing.console.pages.orders import STAFF
from ticketing.console.registry import page
from ticketing.domain.errors import InvalidRequest
from ticketing.services import erasure, events, person_export, retention

if TYPE_CHECKING:
    from ticketing.console.visit import Visit

HOME = "/console/privacy"
ERASURE = HOME + "/erasures/{erasure_id}"
RETENTION = "/console/events/{event_id}/retention"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _address(visit: Visit) -> str | None:
    """The typed address, if it is one (pydantic's e-mail rule, as the API's)."""
    try:
        return str(TypeAdapter(EmailStr).validate_python(visit.form.get("email", "").strip()))
    except ValidationError:
        return None


def _home(visit: Visit, status: int = 200, **errors: str) -> Answer:
    values = {"email": visit.form.get("email", "")} if visit.request.method == "POST" else {}
    return visit.render("privacy.html", status, values=values, errors=errors)


@page("GET", HOME, kinds=STAFF, nav="console.nav.privacy")
def privacy_home(visit: Visit) -> Answer:
    return _home(visit)


@page("POST", HOME + "/export", kinds=STAFF)
def export(visit: Visit) -> Answer:
    email = _address(visit)
    if email is None:
        return _home(visit, 422, email=visit.t("console.privacy.bad_email"))
    found = person_export.export_person(visit.stores.privacy.export, visit.principal, email)
    if visit.form.get("format") == "xlsx":
        workbook = person_export.export_workbook(found, visit.language)
        return download(workbook, XLSX, "personal-data.xlsx")
    data = json.dumps(found, ensure_ascii=False, indent=2).encode()
    return download(data, "application/json; charset=utf-8", "personal-data.json")


@page("POST", HOME + "/erase", kinds=STAFF, admin_only=True)
def confirm_erasure(visit: Visit) -> Answer:
    """The second form: what the erasure will touch, and a box to tick before it starts."""
    email = _address(visit)
    if email is None:
        return _home(visit, 422, email=visit.t("console.privacy.bad_email"))
    return _confirmation(visit, email, new_form_key())


def _confirmation(
    visit: Visit, email: str, form_key: str, status: int = 200, **errors: str
) -> Answer:
    """The second form, with its one-time key: a double submit starts one erasure."""
    found = person_export.export_person(visit.stores.privacy.export, visit.principal, email)
    counts = {kind: len(rows) for kind, rows in found.items()}
    return visit.render(
        "privacy_confirm.html", status, email=email, counts=counts, errors=errors, form_key=form_key
    )


@page("POST", HOME + "/erase/confirmed", kinds=STAFF, admin_only=True)
def erase(visit: Visit) -> Answer:
    email = _address(visit)
    if email is None:
        return _home(visit, 422, email=visit.t("console.privacy.bad_email"))
    form_key = visit.form.get(FORM_KEY, "").strip() or new_form_key()
    if visit.form.get("confirm") != "on":
        needed = visit.t("console.privacy.confirm_needed")
        return _confirmation(visit, email, form_key, 422, confirm=needed)
    try:
        # the form's key is the request's Idempotency-Key: a second submit of the same form
        # answers the first erasure (services/erasure.py), it starts no other
        started = erasure.request_erasure(
            visit.stores.privacy.erasure, visit.principal, email, form_key
        )
    except InvalidRequest:  # the key was used with another address: a new form
        used = visit.t("console.backoffice.form_used")
        return _confirmation(visit, email, new_form_key(), 422, confirm=used)
    where = ERASURE.format(erasure_id=started.erasure_id)
    return visit.done(where, "console.privacy.erasure_started")


@page("GET", ERASURE, kinds=STAFF)
def erasure_page(visit: Visit) -> Answer:
    found = erasure.erasure_status(
        visit.stores.privacy.erasure, visit.principal, visit.params["erasure_id"]
    )
    return visit.render("privacy_erasure.html", erasure=found)


def _retention_form(visit: Visit, status: int = 200, **errors: str) -> Answer:
    event = events.get_event(visit.stores.events, visit.principal, visit.params["event_id"])
    values = {"retention_days": str(event.retention_days)}
    if visit.request.method == "POST":
        values = {"retention_days": visit.form.get("retention_days", "")}
    return visit.render("privacy_retention.html", status, event=event, values=values, errors=errors)


@page("GET", RETENTION, kinds=STAFF)
def retention_page(visit: Visit) -> Answer:
    return _retention_form(visit)


@page("POST", RETENTION, kinds=STAFF)
def set_retention(visit: Visit) -> Answer:
    event_id = visit.params["event_id"]
    days = visit.form.get("retention_days", "").strip()
    if not days.isdigit() or not 1 <= int(days) <= 3650:
        return _retention_form(visit, 422, retention_days=visit.t("console.privacy.bad_days"))
    hold = visit.form.get("legal_hold") == "on"
    try:
        retention.set_retention(
            visit.stores.privacy.retention, visit.principal, event_id, int(days), hold
        )
    except InvalidRequest:
        return _retention_form(visit, 422, retention_days=visit.t("console.privacy.bad_days"))
    visit.record("EVENT", event_id, "activity.event.retention", days=days, hold=str(hold))
    return visit.done(RETENTION.format(event_id=event_id), "console.privacy.retention_saved")

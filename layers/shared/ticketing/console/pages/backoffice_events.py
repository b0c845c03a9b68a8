"""The organizer's events: the list, a new event (the use case and fields of ``POST
/events``, its price options in three rows, no script needed), and an event's page with
what can be done with it and its activity log. The API changes no event setting yet
(``functions/events`` has no PATCH): the organizer's own settings are on /console/settings.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from ticketing.console.backoffice_forms import (
    FORM_KEY,
    field_errors,
    new_form_key,
    rule_error,
    typed,
)
from ticketing.console.pages.orders import STAFF, formats
from ticketing.console.registry import page
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.events import EventDraft
from ticketing.i18n import LANGUAGES
from ticketing.services import events

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit

EVENTS = "/console/events"
NEW_EVENT = EVENTS + "/new"
EVENT_PAGE = EVENTS + "/{event_id}"
ROWS = 3  # price option rows of the form
FIELDS = ("name", "venue", "starts_at", "ends_at", "timezone", "currency", "capacity", "language")
ROW_FIELDS = ("name", "price", "tax_rate")


@page("GET", EVENTS, kinds=STAFF, nav="console.nav.events")
def event_list(visit: Visit) -> Answer:
    cursor = visit.query.get("cursor") or None
    try:
        found, next_cursor = events.list_events(visit.stores.events, visit.principal, 50, cursor)
    except InvalidRequest:  # a cursor that is not one: the first page
        found, next_cursor = events.list_events(visit.stores.events, visit.principal, 50, None)
    return visit.render(
        "backoffice_events.html", events=found, next_cursor=next_cursor, **formats(visit)
    )


def _new_form(visit: Visit, values: dict[str, str], status: int = 200, **more: Any) -> Answer:
    return visit.render(
        "backoffice_event_new.html",
        status,
        values=values,
        errors=more.pop("errors", {}),
        rows=range(ROWS),
        languages=LANGUAGES,
    )


@page("GET", NEW_EVENT, kinds=STAFF)
def new_event(visit: Visit) -> Answer:
    values = {
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "language": visit.language,
        "option_0_tax_rate": "19",
        FORM_KEY: new_form_key(),
    }
    return _new_form(visit, values)


@page("POST", NEW_EVENT, kinds=STAFF)
def create_event(visit: Visit) -> Answer:
    names = [f"option_{i}_{f}" for i in range(ROWS) for f in ROW_FIELDS]
    values = typed(visit.form, (*FIELDS, *names, "voucher_option", FORM_KEY))
    values[FORM_KEY] = values[FORM_KEY] or new_form_key()
    body, rows = _draft(values)
    desk = events.EventDesk(
        visit.stores.events, visit.stores.backoffice.idempotency, visit.stores.clock
    )
    try:
        draft = EventDraft.model_validate(body)
        event, created = events.create_event(desk, visit.principal, draft, values[FORM_KEY])
    except ValidationError as invalid:
        errors = _to_rows(field_errors(visit.language, invalid), rows)
        return _new_form(visit, values, 422, errors=errors)
    except InvalidRequest as refused:
        errors = rule_error(visit.language, refused)
        if refused.field == "Idempotency-Key":
            values[FORM_KEY] = new_form_key()
            errors = {"": visit.t("console.backoffice.form_used")}
        return _new_form(visit, values, 422, errors=errors)
    location = EVENT_PAGE.format(event_id=event.event_id)
    if created:
        visit.record("EVENT", event.event_id, "activity.event.created", name=event.name)
    return visit.done(location, "console.backoffice.event_created", name=event.name)


def _draft(values: dict[str, str]) -> tuple[dict[str, Any], list[int]]:
    """The API's event body from the form, and which form row each price option came from."""
    zone = values["timezone"]
    body: dict[str, Any] = {
        name: values[name] for name in ("name", "venue", "timezone", "currency", "language")
    }
    body["starts_at"] = _moment(values["starts_at"], zone)
    body["ends_at"] = _moment(values["ends_at"], zone)
    capacity = values["capacity"]
    body["capacity"] = int(capacity) if capacity.isdigit() else capacity or None
    options, rows = [], []
    for i in range(ROWS):
        row = {f: values[f"option_{i}_{f}"] for f in ROW_FIELDS}
        if not any(row.values()):
            continue
        options.append({"id": _slug(row["name"], i), **row})
        rows.append(i)
    body["price_options"] = options
    chosen = values["voucher_option"]
    if chosen.isdigit() and int(chosen) in rows:
        body["voucher_price_option"] = options[rows.index(int(chosen))]["id"]
    return body, rows


def _moment(typed_value: str, zone: str) -> str | None:
    """A ``datetime-local`` value (no offset) as the moment it is in the event's zone."""
    if not typed_value:
        return None
    try:
        local = datetime.fromisoformat(typed_value)
        if local.tzinfo is None:
            local = local.replace(tzinfo=ZoneInfo(zone))
    except (ValueError, ZoneInfoNotFoundError):
        return typed_value  # the model says what is wrong with it (or with the zone)
    return local.isoformat()


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _slug(name: str, row: int) -> str:
    """A price option's id from its name: "Ermäßigt" -> "ermaessigt"."""
    folded = name.lower().translate(_GERMAN)
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40]
    return slug or f"option-{row + 1}"


def _to_rows(errors: dict[str, str], rows: list[int]) -> dict[str, str]:
    """``price_options.1.price`` -> ``option_2_price`` (the form's row of that option)."""
    mapped: dict[str, str] = {}
    for name, message in errors.items():
        parts = name.split(".")
        if parts[0] == "price_options" and len(parts) >= 3 and parts[1].isdigit():
            field = parts[2] if parts[2] in ROW_FIELDS else "name"
            name = f"option_{rows[int(parts[1])]}_{field}"
        elif parts[0] == "price_options":
            name = "option_0_name"
        elif parts[0] == "voucher_price_option":
            name = "voucher_option"
        mapped.setdefault(name, message)
    return mapped


@page("GET", EVENT_PAGE, kinds=STAFF)
def event_page(visit: Visit) -> Answer:
    event = events.get_event(visit.stores.events, visit.principal, visit.params["event_id"])
    return visit.render(
        "backoffice_event.html",
        event=event,
        activity=visit.stores.activity.of("EVENT", event.event_id),
        **formats(visit, event.timezone),
    )

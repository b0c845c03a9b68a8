"""The exhibitor's console (issue 13 item 2, seed 000): its event, "Gutscheine bestellen", the
download overview with each batch's live progress and its Excel file.

Every page calls the use cases ``functions/voucher_batches`` calls, with the contact's
principal (its exhibitor key's). Who redeemed and the statement: ``exhibitor_reports.py``.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from ticketing.api.spoken import detail, field_message, say
from ticketing.console.http import Answer, redirect
from ticketing.console.pages import home as _home  # noqa: F401 - the overview leads the nav
from ticketing.console.registry import page
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.people import UserKind
from ticketing.domain.visitor_vouchers import (
    BatchOrder,
    VoucherBatch,
    batch_percent,
    batch_seconds_left,
    batch_step,
)
from ticketing.i18n import Language, format_count, format_date, format_datetime, format_span
from ticketing.i18n.languages import LOCALES
from ticketing.services import events as event_rules
from ticketing.services.visitor_vouchers import batches
from ticketing.services.visitor_vouchers.batches import BatchDesk
from ticketing.services.visitor_vouchers.invitation_tracking import batch_counts

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ticketing.console.visit import Visit
    from ticketing.domain.events import Event

EXHIBITOR = {UserKind.EXHIBITOR}
BASE = "/console/exhibitor"
ORDER = f"{BASE}/order"
BATCHES = f"{BASE}/batches"
ORDER_FIELDS = ("quantity", "label", "valid_from", "valid_until")
# "1000", "1.000", "1,000", "1 000": a number as people write it, groups of three
_QUANTITY = re.compile(r"\d{1,3}(?:[.,' \u00a0\u202f]\d{3})+|\d+")


def event_id_of(visit: Visit) -> str:
    """The contact's event: the scope of its exhibitor's key."""
    return visit.principal.scope or ""


def own_event(visit: Visit) -> Event:
    return event_rules.get_event(visit.stores.events, visit.principal, event_id_of(visit))


def exhibitor_home(visit: Visit) -> Answer:
    """/console for a contact: its event (name, dates, venue), its exhibitor, the links."""
    exhibitor = batches.exhibitor_of(visit.stores.access, visit.principal)
    event = own_event(visit)
    organizer = visit.stores.access.get_organizer(exhibitor.organizer_id)
    return visit.render(
        "exhibitor_home.html",
        kind=visit.user.kind.value,
        organizer_name=organizer.name if organizer else "",
        events=[],  # the organizer's overview of home.html
        exhibitor=exhibitor,
        event=event,
        when=format_span(event.starts_at, event.ends_at, event.timezone, visit.language),
    )


# ordering -------------------------------------------------------------------------------------


def _order_form(
    visit: Visit,
    status: int = 200,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    refused: str | None = None,
) -> Answer:
    event = own_event(visit)
    until = event.ends_at.astimezone(ZoneInfo(event.timezone)).date().isoformat()
    return visit.render(
        "exhibitor_order.html",
        status,
        event=event,
        values=values or {"quantity": "", "label": "", "valid_from": "", "valid_until": until},
        errors=errors or {},
        refused=refused,
        once=secrets.token_urlsafe(16),  # a double click orders once (Idempotency-Key)
    )


@page("GET", ORDER, kinds=EXHIBITOR, nav="console.exhibitor.nav.order")
def order_page(visit: Visit) -> Answer:
    return _order_form(visit)


def parse_order(
    form: Mapping[str, str], language: Language
) -> tuple[BatchOrder | None, dict[str, str]]:
    """The order the form asks for, or the errors of its fields in ``language``."""
    values = {name: form.get(name, "").strip() for name in ORDER_FIELDS}
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {"label": values["label"]}
    quantity = values["quantity"]
    if _QUANTITY.fullmatch(quantity):
        raw["quantity"] = int(re.sub(r"\D", "", quantity))
    else:
        errors["quantity"] = say(language, "problem.field.whole_number")
    for name in ("valid_from", "valid_until"):
        if values[name]:
            raw[name] = values[name]
    try:
        order = BatchOrder.model_validate(raw)
    except ValidationError as invalid:
        for item in invalid.errors():
            name = str(item["loc"][0]) if item.get("loc") else ""
            if name in ("valid_from", "valid_until"):
                errors.setdefault(name, say(language, "console.exhibitor.order.invalid_day"))
            elif name in values:
                errors.setdefault(name, field_message(language, item, str(item["msg"])))
        return None, errors
    return (None, errors) if errors else (order, errors)


@page("POST", ORDER, kinds=EXHIBITOR)
def order(visit: Visit) -> Answer:
    values = {name: visit.form.get(name, "").strip() for name in ORDER_FIELDS}
    wanted, errors = parse_order(visit.form, visit.language)
    if wanted is None:
        return _order_form(visit, 422, values, _labelled(visit, errors))
    key = visit.form.get("once", "").strip()[:200] or None
    try:
        batch, _ = batches.order_batch(
            _desk(visit), visit.principal, event_id_of(visit), wanted, key
        )
    except InvalidRequest as invalid:
        field = invalid.field if invalid.field in values else "valid_until"
        errors = {field: visit.t("console.exhibitor.order.until_later")}
        return _order_form(visit, 422, values, errors)
    except Conflict as refused:
        return _order_form(visit, 409, values, refused=detail(visit.language, refused))
    visit.record(
        "EVENT",
        batch.event_id,
        "activity.exhibitor.batch_ordered",
        quantity=str(batch.quantity),
        label=batch.label,
        batch=batch.batch_id,
    )
    return visit.done(
        f"{BATCHES}/{batch.batch_id}",
        "console.exhibitor.order.done",
        quantity=_number(batch.quantity, visit.language),
        label=batch.label or "-",
    )


def _labelled(visit: Visit, errors: Mapping[str, str]) -> dict[str, str]:
    """``Quantity must be at least 1``: the field's label with what is wrong."""
    return {
        name: visit.t(
            "console.exhibitor.order.field_error",
            field=visit.t(f"console.exhibitor.order.{name}"),
            message=message,
        )
        for name, message in errors.items()
    }


def _desk(visit: Visit) -> BatchDesk:
    ports = visit.stores.visitor_vouchers
    return BatchDesk(
        ports.batches,
        visit.stores.access,
        visit.stores.events,
        ports.queue,
        ports.idempotency,
        visit.stores.clock,
    )


# the download overview ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Progress:
    """A batch as its progress bar shows it."""

    batch: VoucherBatch
    step: str  # generating | writing_file | ready | failed
    percent: float
    seconds_left: int | None
    percent_text: str  # "42,5 %"
    text: str  # what the bar says in words: percent and time left, or ready, or failed
    created: str

    @property
    def done(self) -> bool:
        return self.step in ("ready", "failed")

    def as_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch.batch_id,
            "status": self.batch.status,
            "step": self.step,
            "percent": self.percent,
            "seconds_left": self.seconds_left,
            "generated": self.batch.generated,
            "quantity": self.batch.quantity,
            "percent_text": self.percent_text,
            "text": self.text,
            "done": self.done,
            "download": f"{BATCHES}/{self.batch.batch_id}/download"
            if self.step == "ready"
            else None,
        }


def progress_of(visit: Visit, batch: VoucherBatch, zone: str | None = None) -> Progress:
    """Step, percent and seconds left as the API's batch view computes them (times in the
    event's ``zone``)."""
    step = batch_step(batch)
    percent = batch_percent(batch)
    left = batch_seconds_left(batch, visit.now)
    shown = _percent(percent, visit.language)
    if step in ("ready", "failed"):
        text = visit.t(f"console.exhibitor.progress.{step}")
    elif step == "writing_file":
        text = visit.t("console.exhibitor.progress.writing_file", percent=shown)
    elif batch.status == "pending" and batch.generated == 0:
        text = visit.t("console.exhibitor.progress.waiting", percent=shown)
    else:
        text = visit.t(
            "console.exhibitor.progress.generating", percent=shown, left=_left(visit, left)
        )
    created = format_datetime(batch.created_at, zone, visit.language)
    return Progress(batch, step, percent, left, shown, text, created)


def _left(visit: Visit, seconds: int | None) -> str:
    if seconds is None:
        return visit.t("console.exhibitor.progress.left_unknown")
    if seconds < 90:
        return visit.t("console.exhibitor.progress.left_seconds", seconds=seconds)
    return visit.t("console.exhibitor.progress.left_minutes", minutes=round(seconds / 60))


def _percent(value: float, language: Language) -> str:
    from babel.numbers import format_percent

    return format_percent(value / 100, "#,##0.0 %", locale=LOCALES[language])


def _number(value: int, language: Language) -> str:
    return format_count(value, language)


@page("GET", BATCHES, kinds=EXHIBITOR, nav="console.exhibitor.nav.batches")
def batches_page(visit: Visit) -> Answer:
    found = batches.batches(visit.stores.visitor_vouchers.batches, visit.principal)
    zone = own_event(visit).timezone
    shown = [progress_of(visit, b, zone) for b in found]
    return visit.render(
        "exhibitor_batches.html",
        shown=shown,
        working=any(not p.done for p in shown),
        quantities={p.batch.batch_id: _number(p.batch.quantity, visit.language) for p in shown},
    )


def _own(visit: Visit) -> VoucherBatch:
    store = visit.stores.visitor_vouchers.batches
    return batches.own_batch(store, visit.principal, visit.params["batch_id"])


def _moment(moment: datetime, zone: str, language: Language, last_day: bool = False) -> str:
    """A validity's start or end as it was ordered: a whole day as its date (an end at
    midnight is the day before's end), any other moment with its time."""
    local = moment.astimezone(ZoneInfo(zone))
    if local.time() != time(0):
        return format_datetime(local, None, language)
    return format_date(local - timedelta(days=1) if last_day else local, None, language)


@page("GET", BATCHES + "/{batch_id}", kinds=EXHIBITOR)
def batch_page(visit: Visit) -> Answer:
    batch = _own(visit)
    zone = own_event(visit).timezone
    tracking = visit.stores.invitations.tracking(visit.stores)
    return visit.render(
        "exhibitor_batch.html",
        progress=progress_of(visit, batch, zone),
        counts=batch_counts(tracking, batch),  # codes, assigned, invited, registered, used
        quantity=_number(batch.quantity, visit.language),
        valid_from=_moment(batch.valid_from, zone, visit.language) if batch.valid_from else "",
        valid_until=_moment(batch.valid_until, zone, visit.language, last_day=True),
    )


@page("GET", BATCHES + "/{batch_id}/progress", kinds=EXHIBITOR)
def batch_progress(visit: Visit) -> Answer:
    """What the page's script polls: the bar's values and its words, as JSON."""
    progress = progress_of(visit, _own(visit))  # the JSON has no times: no event read
    body = json.dumps(progress.as_json(), ensure_ascii=False)
    return Answer(200, body, {"Content-Type": "application/json; charset=utf-8"})


@page("GET", BATCHES + "/{batch_id}/download", kinds=EXHIBITOR)
def batch_download(visit: Visit) -> Answer:
    """The batch's Excel file: a redirect to its short-lived presigned URL (as the API's batch
    view gives it); back to the batch's page while its codes are still being made."""
    batch = _own(visit)
    if batch.status != "ready":
        return visit.done(f"{BATCHES}/{batch.batch_id}", "console.exhibitor.batch.not_ready")
    ports = visit.stores.visitor_vouchers
    url = batches.batch_download(ports.batches, visit.stores.events, visit.stores.docs, batch)
    return redirect(url)

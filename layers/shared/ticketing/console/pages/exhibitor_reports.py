"""The exhibitor's console, what came of its vouchers (seed 000): who redeemed (filterable,
with the Excel file) and the statement, in plain words. The use cases are those of
``GET /events/{event_id}/redemptions`` and ``GET /events/{event_id}/statement``."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Final

from ticketing.console.http import Answer, download
from ticketing.console.pages.exhibitor import BASE, EXHIBITOR, event_id_of, own_event
from ticketing.console.registry import page
from ticketing.i18n import format_count, format_datetime, format_money
from ticketing.services import questions
from ticketing.services.visitor_vouchers import billing

if TYPE_CHECKING:
    from ticketing.console.visit import Visit
    from ticketing.domain.visitor_vouchers import Registration

REDEMPTIONS: Final = f"{BASE}/redemptions"
STATEMENT: Final = f"{BASE}/statement"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CAME = ("", "yes", "no")  # the checked-in filter: all, checked in, not (yet)


def fold(text: str) -> str:
    """Text as a search compares it: case, accents and width aside ("Müller" ~ "muller")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matches(registration: Registration, text: str, came: str) -> bool:
    if came == "yes" and registration.checked_in_at is None:
        return False
    if came == "no" and registration.checked_in_at is not None:
        return False
    names = (registration.first_name, registration.last_name, registration.company or "")
    return fold(text) in fold(" ".join(names))


@page("GET", REDEMPTIONS, kinds=EXHIBITOR, nav="console.exhibitor.nav.redemptions")
def redemptions(visit: Visit) -> Answer:
    """Who registered the exhibitor's codes and whether they came; ``?q=`` (name or company),
    ``?checked_in=yes|no``, ``?format=xlsx`` for the Excel file of what the filter shows."""
    text = visit.query.get("q", "").strip()[:100]
    came = visit.query.get("checked_in", "")
    came = came if came in CAME else ""
    event_id = event_id_of(visit)
    # seed 002: only the answers the organizer shares with exhibitors
    every, shared = questions.exhibitor_registrations(
        visit.stores.visitor_vouchers.vouchers, visit.stores.questions, visit.principal, event_id
    )
    shown = sorted(
        (r for r in every if matches(r, text, came)), key=lambda r: r.redeemed_at, reverse=True
    )
    event = own_event(visit)
    if visit.query.get("format") == "xlsx":
        from ticketing.documents.layouts import redemptions_workbook

        organizer = visit.stores.access.get_organizer(event.organizer_id)
        data = redemptions_workbook(event, shown, organizer.name if organizer else "", shared)
        return download(data, XLSX, f"redemptions-{event_id}.xlsx")
    moment = {
        r.code: (
            format_datetime(r.redeemed_at, event.timezone, visit.language),
            format_datetime(r.checked_in_at, event.timezone, visit.language)
            if r.checked_in_at
            else "",
        )
        for r in shown
    }
    return visit.render(
        "exhibitor_redemptions.html",
        shown=shown,
        total=len(every),
        moment=moment,
        text=text,
        came=came,
        choices=CAME,
        xlsx_query={"q": text, "checked_in": came, "format": "xlsx"},
    )


@page("GET", STATEMENT, kinds=EXHIBITOR, nav="console.exhibitor.nav.statement")
def statement(visit: Visit) -> Answer:
    """Issued, redeemed, used, billable, unit price and total, and what they mean."""
    stores = visit.stores
    desk = billing.Billing(stores.figures, stores.access, stores.events)
    found = billing.statement(desk, visit.principal, event_id_of(visit))
    return visit.render(
        "exhibitor_statement.html",
        statement=found,
        figures={
            name: format_count(getattr(found, name), visit.language)
            for name in ("issued", "redeemed", "used", "billable")
        },
        unit_price=format_money(found.unit_price, found.currency, visit.language),
        total=format_money(found.total, found.currency, visit.language),
    )

"""The organizer's orders (issue 13, seed 001): "Bestellung suchen", the order detail and its
customer care: "Mail erneut versenden" (to a corrected address), mark paid, the invoice, the
direct links, "Alle einchecken", the name on one ticket; the holder's consent to mail with its
history, changed on the customer's request, and the mail withheld from the order (issue 15).

Each page calls the use case the API's handler calls (functions/bookings, functions/checkins,
functions/documents) with the session's principal; each POST records what it did in the
order's activity log and says so on the next page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from pydantic import ValidationError

from ticketing.console.http import Answer, download
from ticketing.console.registry import page
from ticketing.console.rendering import render
from ticketing.domain.errors import InvalidRequest, NotFound
from ticketing.domain.orders import Attendee, Order
from ticketing.domain.people import UserKind
from ticketing.i18n.formats import format_datetime, format_money, format_tax_rate
from ticketing.services import checkins, consent, documents, orders, positions

if TYPE_CHECKING:
    from datetime import datetime
    from decimal import Decimal

    from ticketing.console.visit import Visit

STAFF = {UserKind.ORGANIZER}
SEARCH = "/console/orders"
SEARCH_PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def order_path(number: str) -> str:
    return f"{SEARCH}/{number}"


def formats(visit: Visit, timezone: str | None = None) -> dict[str, Any]:
    """``money(amount, currency)``, ``when(moment)`` and ``rate(tax)`` in the visit's language."""

    def money(amount: Decimal, currency: str) -> str:
        return format_money(amount, currency, visit.language)

    def when(moment: datetime | None) -> str:
        return format_datetime(moment, timezone, visit.language) if moment else ""

    def rate(value: Decimal) -> str:
        return format_tax_rate(value, visit.language)

    return {"money": money, "when": when, "rate": rate}


# search -----------------------------------------------------------------------------------


def _found(visit: Visit) -> dict[str, Any]:
    """The search's state for ``?q=`` (and ``cursor``): what GET /orders?q= answers."""
    query = visit.query.get("q", "").strip()
    result: dict[str, Any] = {"q": query, "found": [], "error": None, "next": None}
    if not query:
        return result
    try:
        found, cursor = orders.search_page(
            visit.stores.orders,
            visit.principal,
            query,
            SEARCH_PAGE_SIZE,
            visit.query.get("cursor") or None,
        )
    except InvalidRequest as invalid:
        from ticketing.api.spoken import detail

        result["error"] = detail(visit.language, invalid) if invalid.message_id else None
        result["error"] = result["error"] or visit.t("console.orders.search_too_short")
        return result
    result["found"] = found
    if cursor:
        result["next"] = f"{SEARCH}?{urlencode({'q': query, 'cursor': cursor})}"
    return result


@page("GET", f"{SEARCH}/found", kinds=STAFF)
def search_fragment(visit: Visit) -> Answer:
    """The result list alone, for the search field's script (as you type)."""
    found = _found(visit)
    body = render("orders_found.html", visit.language, **found, **formats(visit))
    return Answer(422 if found["error"] else 200, body)


@page("GET", SEARCH, kinds=STAFF, nav="console.nav.orders")
def search(visit: Visit) -> Answer:
    """Seed 001 "Bestellung suchen": by order number or the customer's last name; a GET
    form, so it works without a script (the script fetches ``/found`` as you type)."""
    found = _found(visit)
    return visit.render(
        "orders_search.html", 422 if found["error"] else 200, **found, **formats(visit)
    )


# the order --------------------------------------------------------------------------------


def _detail(visit: Visit, status: int = 200, **form: Any) -> Answer:
    number = visit.params["order_number"]
    order, event = orders.order_detail(
        visit.stores.orders, visit.stores.events, visit.principal, number
    )
    from ticketing.domain.answers import labelled  # seed 002: the order's answers

    asked = visit.stores.questions.get(order.event_id).questions
    holder = consent.consent_of_order(visit.stores.notifications.consents, order)
    return visit.render(
        "orders_detail.html",
        status,
        order=order,
        event=event,
        answers=labelled(asked, order.answers, visit.language),
        ticket_answers={
            p.position_id: labelled(asked, p.answers, visit.language) for p in order.positions
        },
        mail_failures=visit.stores.mail_failures.for_order(order.order_number),
        # issue 15: the holder's consent with its history, and the mail withheld from the order
        consent=holder,
        consent_reminders=consent.reminders_on(holder, order),
        withheld=visit.stores.notifications.withheld.for_order(order.order_number),
        activity=visit.stores.activity.of("ORDER", order.order_number),
        errors=form.get("errors", {}),
        values=form.get("values", {}),
        **formats(visit, event.timezone),
    )


@page("GET", SEARCH + "/{order_number}", kinds=STAFF)
def detail(visit: Visit) -> Answer:
    return _detail(visit)


@page("POST", SEARCH + "/{order_number}/resend", kinds=STAFF)
def resend(visit: Visit) -> Answer:
    """Seed 001 "Mail erneut versenden", to a corrected address if one is typed."""
    typed = visit.form.get("email", "").strip()
    try:
        order = orders.resend_confirmation(
            visit.stores.orders,
            visit.stores.mail,
            visit.stores.clock,
            visit.principal,
            visit.params["order_number"],
            typed or None,
        )
    except InvalidRequest as invalid:
        from ticketing.api.spoken import detail as said

        errors = {"email": said(visit.language, invalid)}
        return _detail(visit, 422, errors=errors, values={"email": typed})
    visit.record("ORDER", order.order_number, "activity.order.resent", to=order.mail_recipient)
    return visit.done(
        order_path(order.order_number), "console.orders.done_resent", to=order.mail_recipient
    )


@page("POST", SEARCH + "/{order_number}/consent", kinds=STAFF)
def change_consent(visit: Visit) -> Answer:
    """Consent changed on the customer's request (PUT /customers/consents's use case, recorded
    with the channel ``organizer``) for the order's address."""
    order = orders.owned_order(visit.stores.orders, visit.principal, visit.params["order_number"])
    wanted = {
        what: visit.form[what] == "on"
        for what in ("reminders", "marketing")
        if visit.form.get(what) in ("on", "off")
    }
    if not wanted:
        return _detail(visit, 422, errors={"consent": visit.t("console.orders.consent_none")})
    stores = visit.stores
    changed = consent.organizer_changes(
        stores.notifications.consents, stores.clock, visit.principal, order.mail_recipient, wanted
    )
    state = ", ".join(f"{what}={'on' if on else 'off'}" for what, on in wanted.items())
    visit.record("ORDER", order.order_number, "activity.order.consent", change=state)
    return visit.done(
        order_path(order.order_number), "console.orders.done_consent", to=changed.address
    )


@page("POST", SEARCH + "/{order_number}/payment", kinds=STAFF)
def mark_paid(visit: Visit) -> Answer:
    """Cash or transfer received (POST /orders/{order_number}/payment's use case)."""
    order = orders.mark_paid(
        visit.stores.orders, visit.stores.clock, visit.principal, visit.params["order_number"]
    )
    visit.record("ORDER", order.order_number, "activity.order.paid")
    return visit.done(order_path(order.order_number), "console.orders.done_paid")


@page("POST", SEARCH + "/{order_number}/checkins", kinds=STAFF)
def check_in_all(visit: Visit) -> Answer:
    """Seed 001 "Alle einchecken" (POST /orders/{order_number}/checkins's use case)."""
    principal, stores = visit.principal, visit.stores
    order = orders.owned_order(stores.orders, principal, visit.params["order_number"])
    fresh, done = checkins.check_in_order(
        stores.orders, stores.clock, principal, order, stores.events
    )
    visit.record("ORDER", fresh.order_number, "activity.order.checked_in", count=str(done))
    return visit.done(
        order_path(fresh.order_number), "console.orders.done_checked_in", count=str(done)
    )


@page("POST", SEARCH + "/{order_number}/positions/{position_id}/name", kinds=STAFF)
def rename(visit: Visit) -> Answer:
    """The name on one ticket (PATCH /orders/{order_number}/positions/{position_id})."""
    position_id = visit.params["position_id"]
    values = {f: visit.form.get(f, "").strip() for f in ("first_name", "last_name")}
    try:
        attendee = Attendee(**values)
    except ValidationError as invalid:
        from ticketing.api.spoken import field_message

        errors = {
            f"{position_id}.{e['loc'][0]}": field_message(visit.language, e, e["msg"])
            for e in invalid.errors()
            if e.get("loc")
        }
        return _detail(visit, 422, errors=errors, values={position_id: values})
    stores = visit.stores
    deps = positions.Renaming(stores.orders, stores.events, stores.docs, stores.access)
    order = positions.rename_holder(
        deps, visit.principal, visit.params["order_number"], position_id, attendee
    )
    visit.record(
        "ORDER", order.order_number, "activity.order.renamed",
        ticket=position_id, name=attendee.full_name,
    )  # fmt: skip
    return visit.done(
        order_path(order.order_number),
        "console.orders.done_renamed",
        ticket=position_id,
        name=attendee.full_name,
    )


# files ------------------------------------------------------------------------------------


@page("GET", SEARCH + "/{order_number}/invoice", kinds=STAFF)
def invoice(visit: Visit) -> Answer:
    """ "Rechnung drucken": GET /orders/{order_number}/invoice's use case, as a PDF."""
    stores = visit.stores
    order, event = orders.order_detail(
        stores.orders, stores.events, visit.principal, visit.params["order_number"]
    )
    organizer = stores.access.get_organizer(order.organizer_id)
    if organizer is None:
        raise NotFound(f"no order {order.order_number}")
    number, data = documents.invoice(
        stores.orders, stores.docs, stores.clock, order, event, organizer
    )
    return download(data, documents.PDF, f"invoice-{number}.pdf", inline=True)


@page("GET", SEARCH + "/{order_number}/links.xlsx", kinds=STAFF)
def direct_links(visit: Visit) -> Answer:
    """ "Direkt-Links für den Kunden": GET /orders/{order_number}/links?format=xlsx's file."""
    from ticketing.documents.layouts import direct_links_workbook

    order, event = orders.order_detail(
        visit.stores.orders, visit.stores.events, visit.principal, visit.params["order_number"]
    )
    data = direct_links_workbook(event, order, author=organizer_name(visit, order))
    return download(data, XLSX, f"links-{order.order_number}.xlsx")


def organizer_name(visit: Visit, order: Order | None = None, organizer_id: str = "") -> str:
    """An Excel file names its organizer as its author (as the API's files do)."""
    organizer = visit.stores.access.get_organizer(order.organizer_id if order else organizer_id)
    return organizer.name if organizer else ""

"""The organizer's events on the orders side (issue 13, seed 001): the dashboard of each
event and its booking list (a page at a time, and the whole list as Excel).

The figures come from services/dashboard.py (which says what each one costs); the list from
the use case of GET /events/{event_id}/orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ticketing.console.http import Answer, download
from ticketing.console.pages.orders import STAFF, XLSX, formats, organizer_name
from ticketing.console.registry import page
from ticketing.i18n.formats import format_datetime
from ticketing.services import events, orders
from ticketing.services.dashboard import Dashboard, event_summary
from ticketing.services.visitor_vouchers.billing import Billing

if TYPE_CHECKING:
    from ticketing.console.visit import Visit
    from ticketing.domain.events import Event

EVENTS = "/console/events"
BOOKINGS_PAGE_SIZE = 50


def dashboard_path(event_id: str) -> str:
    return f"{EVENTS}/{event_id}/dashboard"


@page("GET", EVENTS + "/{event_id}/dashboard", kinds=STAFF)
def dashboard(visit: Visit) -> Answer:
    """Sold of capacity, revenue by price option, vouchers, check-ins (all from the event's
    counters; an event older than them is summed from its orders, and its check-ins counted
    when asked: that reads every order's positions), and the event's activity log."""
    stores = visit.stores
    deps = Dashboard(
        stores.orders, stores.events, Billing(stores.figures, stores.access, stores.events)
    )
    summary = event_summary(
        deps,
        visit.principal,
        visit.params["event_id"],
        count_check_ins=visit.query.get("checkins") == "1",
    )
    event = summary.event
    return visit.render(
        "orders_dashboard.html",
        summary=summary,
        event=event,
        activity=stores.activity.of("EVENT", event.event_id),
        **formats(visit, event.timezone),
    )


@page("GET", EVENTS + "/{event_id}/orders", kinds=STAFF)
def bookings(visit: Visit) -> Answer:
    """Seed 001 "Buchungsliste": newest first, a page at a time (the API's cursor)."""
    event, rows, cursor = orders.booking_list(
        visit.stores.orders,
        visit.stores.events,
        visit.principal,
        visit.params["event_id"],
        BOOKINGS_PAGE_SIZE,
        visit.query.get("cursor") or None,
    )
    here = f"{EVENTS}/{event.event_id}/orders"
    return visit.render(
        "orders_bookings.html",
        event=event,
        rows=rows,
        next=f"{here}?{urlencode({'cursor': cursor})}" if cursor else None,
        first=here if visit.query.get("cursor") else None,
        **formats(visit, event.timezone),
    )


@page("GET", EVENTS + "/{event_id}/orders.xlsx", kinds=STAFF)
def bookings_xlsx(visit: Visit) -> Answer:
    """The whole booking list as Excel (GET /events/{event_id}/orders?format=xlsx's file)."""
    from ticketing.documents.layouts import booking_list_workbook

    event, rows = orders.all_bookings(
        visit.stores.orders, visit.stores.events, visit.principal, visit.params["event_id"]
    )
    author = organizer_name(visit, organizer_id=event.organizer_id)
    data = booking_list_workbook(event, rows, author=author)
    return download(data, XLSX, f"bookings-{event.event_id}.xlsx")


@dataclass(frozen=True, slots=True)
class EventLine:
    event: Event
    starts: str  # in the event's zone and the visit's language


def event_overview(visit: Visit, limit: int = 100) -> list[EventLine]:
    """The organizer's events (GET /events's use case, first page) for its home page."""
    found, _ = events.list_events(visit.stores.events, visit.principal, limit, None)
    return [EventLine(e, format_datetime(e.starts_at, e.timezone, visit.language)) for e in found]

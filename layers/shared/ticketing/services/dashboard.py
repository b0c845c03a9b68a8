"""The organizer's dashboard of one event (issue 13, seed 001): sold of capacity, revenue by
price option, visitor vouchers issued / redeemed / used, check-ins.

What each figure costs (n = the event's orders, e = its exhibitors):

- sold, capacity, orders / tickets / revenue by price option, check-ins: the event item and
  its check-in counters, one GetItem and one Query (services/ports_dashboard.py). ``sold`` and
  the booked price option's figures rise in the booking transaction (bookings, voucher
  registrations, the console's booking form: services/ordering.place_order); ``checked_in``
  rises in the check-in transaction by the positions it marks, on one of 16 counter items at
  random (many scanners at once), so a ticket scanned twice, or a retried "check in all",
  counts once.
  No use case cancels an order, so nothing lowers them.
- vouchers: the exhibitors' figure counters, as their statements show them
  (:func:`~ticketing.services.visitor_vouchers.billing.statements`): one query and e reads.

An event created before the figures were kept has none for its first orders: its dashboard
is counted as it was before, revenue from the booking list's order headers (ceil(n / 500)
queries) and check-ins, when asked (``count_check_ins``), from every order's positions
(n queries).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.services.orders import all_bookings
from ticketing.services.roles import require
from ticketing.services.visitor_vouchers.billing import Billing, statements

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ticketing.domain.events import Event
    from ticketing.domain.figures import EventFigures
    from ticketing.domain.orders import Order
    from ticketing.domain.visitor_vouchers import Statement
    from ticketing.services.ports import OrderStore
    from ticketing.services.ports_dashboard import EventFigureStore


@dataclass(frozen=True, slots=True)
class OptionSales:
    """One price option's orders, tickets and revenue (gross, in the event's currency)."""

    option_id: str
    name: str
    orders: int = 0
    tickets: int = 0
    revenue: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class EventSummary:
    event: Event
    options: list[OptionSales]
    orders: int
    revenue: Decimal
    vouchers_issued: int
    vouchers_redeemed: int
    vouchers_used: int
    checked_in: int | None = None  # None: not counted (an event older than its figures)
    tickets: int = 0
    counted: bool = True  # False: an event older than its figures, summed from its orders

    @property
    def sold(self) -> int:
        return self.event.sold

    @property
    def capacity(self) -> int:
        return self.event.capacity


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the dashboard reads."""

    orders: OrderStore
    events: EventFigureStore
    billing: Billing


def revenue_by_option(event: Event, orders: Iterable[Order]) -> list[OptionSales]:
    """Orders, tickets and gross revenue per price option, in the event's order of options
    (an option no longer offered but booked before comes last, under its id)."""
    names = {o.id: o.name for o in event.price_options}
    counted = {o.id: OptionSales(o.id, o.name) for o in event.price_options}
    for order in orders:
        row = counted.get(order.price_option) or OptionSales(
            order.price_option, names.get(order.price_option, order.price_option)
        )
        counted[order.price_option] = replace(
            row,
            orders=row.orders + 1,
            tickets=row.tickets + order.quantity,
            revenue=row.revenue + order.total,
        )
    return list(counted.values())


def options_of(event: Event, figures: EventFigures) -> list[OptionSales]:
    """The counted figures per price option, in the same order as :func:`revenue_by_option`."""
    rows = [OptionSales(o.id, o.name) for o in event.price_options]
    offered = {o.id for o in event.price_options}
    rows += [OptionSales(i, i) for i in sorted(figures.options) if i not in offered]
    out = []
    for row in rows:
        f = figures.options.get(row.option_id)
        out.append(
            row
            if f is None
            else replace(row, orders=f.orders, tickets=f.tickets, revenue=f.revenue)
        )
    return out


def event_summary(
    deps: Dashboard, principal: Principal, event_id: str, count_check_ins: bool = False
) -> EventSummary:
    """The event's figures for its organizer (another tenant's event: NotFound).

    ``count_check_ins`` matters only for an event older than its figures (see the module)."""
    require(principal, Role.ORGANIZER)
    found = deps.events.with_figures(event_id)
    if found is None or not principal.owns(found[0].organizer_id):
        raise NotFound(f"no event {event_id}")
    event, figures = found
    if figures is None:
        return _summed(deps, principal, event_id, count_check_ins)
    _, statements_ = statements(deps.billing, principal, event_id)
    return _summary(event, options_of(event, figures), statements_, figures.checked_in)


def _summary(
    event: Event, options: list[OptionSales], of: list[Statement], checked_in: int | None
) -> EventSummary:
    return EventSummary(
        event=event,
        options=options,
        orders=sum(o.orders for o in options),
        revenue=sum((o.revenue for o in options), Decimal("0.00")),
        vouchers_issued=sum(s.issued for s in of),
        vouchers_redeemed=sum(s.redeemed for s in of),
        vouchers_used=sum(s.used for s in of),
        checked_in=checked_in,
        tickets=sum(o.tickets for o in options),
    )


def _summed(
    deps: Dashboard, principal: Principal, event_id: str, count_check_ins: bool
) -> EventSummary:
    """An event older than its figures: summed from the booking list (and its positions)."""
    event, bookings = all_bookings(deps.orders, deps.events, principal, event_id)
    numbers: list[str] = []
    options = revenue_by_option(event, _noting(bookings, numbers if count_check_ins else None))
    _, statements_ = statements(deps.billing, principal, event_id)
    checked_in = check_ins(deps.orders, numbers) if count_check_ins else None
    return replace(_summary(event, options, statements_, checked_in), counted=False)


def _noting(orders: Iterable[Order], numbers: list[str] | None) -> Iterator[Order]:
    for order in orders:
        if numbers is not None:
            numbers.append(order.order_number)
        yield order


def check_ins(orders: OrderStore, order_numbers: Iterable[str]) -> int:
    """Positions checked in over the given orders: one read of each order's positions."""
    total = 0
    for number in order_numbers:
        order = orders.get(number)
        if order is not None:
            total += sum(1 for p in order.positions if p.checked_in_at is not None)
    return total

"""The organizer's dashboard of one event (issue 13, seed 001): sold of capacity, revenue by
price option, visitor vouchers issued / redeemed / used, check-ins.

What each figure costs (n = the event's orders, e = its exhibitors):

- sold and capacity: the event item's ``sold`` counter (raised in the booking transaction):
  one read.
- vouchers: the exhibitors' figure counters, as their statements show them
  (:func:`~ticketing.services.visitor_vouchers.billing.statements`): one query and e reads.
- revenue by price option: no counter exists, so it is summed from the booking list's order
  headers (one price option per order), read 500 at a time: ceil(n / 500) queries.
- check-ins: no counter exists either, and an order's header does not carry its positions, so
  :func:`check_ins` reads each order's positions: n queries. The dashboard therefore shows it
  only when asked (``count_check_ins``); a counter on the event item, raised in the check-in
  write, would make it one read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from ticketing.domain.events import Event
from ticketing.domain.identity import Principal, Role
from ticketing.domain.orders import Order
from ticketing.services.orders import all_bookings
from ticketing.services.ports import EventStore, OrderStore
from ticketing.services.roles import require
from ticketing.services.visitor_vouchers.billing import Billing, statements


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
    checked_in: int | None = None  # None: not counted (see :func:`check_ins`)
    tickets: int = 0

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
    events: EventStore
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


def event_summary(
    deps: Dashboard, principal: Principal, event_id: str, count_check_ins: bool = False
) -> EventSummary:
    """The event's figures for its organizer (another tenant's event: NotFound)."""
    require(principal, Role.ORGANIZER)
    event, bookings = all_bookings(deps.orders, deps.events, principal, event_id)
    numbers: list[str] = []
    options = revenue_by_option(event, _noting(bookings, numbers if count_check_ins else None))
    _, statements_ = statements(deps.billing, principal, event_id)
    return EventSummary(
        event=event,
        options=options,
        orders=sum(o.orders for o in options),
        revenue=sum((o.revenue for o in options), Decimal("0.00")),
        vouchers_issued=sum(s.issued for s in statements_),
        vouchers_redeemed=sum(s.redeemed for s in statements_),
        vouchers_used=sum(s.used for s in statements_),
        checked_in=check_ins(deps.orders, numbers) if count_check_ins else None,
        tickets=sum(o.tickets for o in options),
    )


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

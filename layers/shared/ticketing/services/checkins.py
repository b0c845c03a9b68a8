"""Check-in at the entrance: each ticket once, whatever the number of scanners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.domain.errors import Conflict, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.orders import Order, Position, parse_ticket_reference, secret_matches
from ticketing.observability import count
from ticketing.services.event_times import refuse_unless_check_in_open
from ticketing.services.parts import AlreadyCheckedIn
from ticketing.services.roles import require

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.services.ports import EventStore, OrderStore


@dataclass(frozen=True, slots=True)
class CheckIn:
    order: Order
    position: Position
    checked_in_at: datetime

    @property
    def unpaid(self) -> bool:
        """Seed 001: cash and transfer are settled by the organizer; the door should know."""
        return self.order.payment_status != "paid"


class AlreadyUsed(Conflict):
    def __init__(self, at: datetime, event: Event | None = None) -> None:
        super().__init__(
            f"this ticket was checked in at {at.isoformat()}",
            message_id="problem.checkin.already",
            # said in the event's time zone, as the door reads its clock
            params={"at": at.astimezone(ZoneInfo(event.timezone)) if event else at},
        )
        self.at = at
        self.extensions = {"checked_in_at": at.isoformat()}


def check_in(
    orders: OrderStore, clock: Clock, principal: Principal, secret: str, events: EventStore
) -> CheckIn:
    """Scan one ticket: the first scan wins, a second answers with the time of the first.
    Only while check-in is open: from ``checkin_opens_at`` (if set) to the event's end."""
    require(principal, Role.ORGANIZER)
    reference = parse_ticket_reference(secret)
    if reference is None:
        raise NotFound("unknown ticket", message_id="problem.checkin.unknown")
    order = orders.get(reference[0])
    position = order.position(reference[1]) if order else None
    if (
        order is None
        or position is None
        or not principal.owns(order.organizer_id)
        or not secret_matches(secret.strip(), position.secret)
    ):
        raise NotFound("unknown ticket", message_id="problem.checkin.unknown")
    event = events.get(order.event_id)
    if position.checked_in_at is not None:
        raise AlreadyUsed(position.checked_in_at, event)
    now = clock.now()
    _refuse_unless_open(event, now)
    try:
        orders.check_in(order, position.position_id, position.secret, now)
    except AlreadyCheckedIn as first:
        raise AlreadyUsed(first.at, event) from None
    count("CheckIns")
    return CheckIn(order, position.model_copy(update={"checked_in_at": now}), now)


def check_in_order(
    orders: OrderStore, clock: Clock, principal: Principal, order: Order, events: EventStore
) -> tuple[Order, int]:
    """Seed 001 "Alle einchecken": every position of the order not yet checked in (while
    check-in is open, as for one ticket)."""
    require(principal, Role.ORGANIZER)
    now = clock.now()
    _refuse_unless_open(events.get(order.event_id), now)
    done = orders.check_in_all(order, now)
    count("CheckIns", done)
    fresh = orders.get(order.order_number)
    assert fresh is not None
    return fresh, done


def _refuse_unless_open(event: Event | None, now: datetime) -> None:
    if event is not None:  # an order outlives no event; a missing one refuses nothing
        refuse_unless_check_in_open(event, now)

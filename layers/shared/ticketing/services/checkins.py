"""Check-in at the entrance: each ticket once, whatever the number of scanners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ticketing.clock import Clock
from ticketing.domain.errors import Conflict, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.orders import Order, Position, parse_ticket_reference, secret_matches
from ticketing.observability import count
from ticketing.services.ports import AlreadyCheckedIn, OrderStore
from ticketing.services.roles import require


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
    def __init__(self, at: datetime) -> None:
        super().__init__(f"this ticket was checked in at {at.isoformat()}")
        self.at = at
        self.extensions = {"checked_in_at": at.isoformat()}


def check_in(orders: OrderStore, clock: Clock, principal: Principal, secret: str) -> CheckIn:
    """Scan one ticket: the first scan wins, a second answers with the time of the first."""
    require(principal, Role.ORGANIZER)
    reference = parse_ticket_reference(secret)
    if reference is None:
        raise NotFound("unknown ticket")
    order = orders.get(reference[0])
    position = order.position(reference[1]) if order else None
    if (
        order is None
        or position is None
        or not principal.owns(order.organizer_id)
        or not secret_matches(secret.strip(), position.secret)
    ):
        raise NotFound("unknown ticket")
    if position.checked_in_at is not None:
        raise AlreadyUsed(position.checked_in_at)
    now = clock.now()
    try:
        orders.check_in(order, position.position_id, position.secret, now)
    except AlreadyCheckedIn as first:
        raise AlreadyUsed(first.at) from None
    count("CheckIns")
    return CheckIn(order, position.model_copy(update={"checked_in_at": now}), now)


def check_in_order(
    orders: OrderStore, clock: Clock, principal: Principal, order: Order
) -> tuple[Order, int]:
    """Seed 001 "Alle einchecken": every position of the order not yet checked in."""
    require(principal, Role.ORGANIZER)
    done = orders.check_in_all(order, clock.now())
    count("CheckIns", done)
    fresh = orders.get(order.order_number)
    assert fresh is not None
    return fresh, done

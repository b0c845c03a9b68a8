"""An event's dashboard figures as values (issue 13): what the booking and check-in
transactions counted. Kept apart from the ports, so that reading an event does not load them
(cold start)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class OptionFigures:
    """One price option's orders, tickets and gross revenue, as the bookings raised them."""

    orders: int = 0
    tickets: int = 0
    revenue: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class EventFigures:
    """The event's counters; ``options`` holds the price options booked so far, by id."""

    options: dict[str, OptionFigures] = field(default_factory=dict)
    checked_in: int = 0

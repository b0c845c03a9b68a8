"""The event's own figures for its dashboard (issue 13): counters kept with the event.

The booking transaction raises the booked price option's orders, tickets and revenue where it
raises ``sold`` (on the event item); the check-in transaction raises ``checked_in`` by the
positions it marks (a position already checked in fails the write's condition and counts
nothing), on counters of their own so that many scanners at once do not contend for the event.
So the dashboard reads the event and its figures in two reads whatever the orders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ticketing.services.ports import EventStore

if TYPE_CHECKING:
    from ticketing.domain.events import Event
    from ticketing.domain.figures import EventFigures


class EventFigureStore(EventStore, Protocol):
    def with_figures(self, event_id: str) -> tuple[Event, EventFigures | None] | None:
        """The event and its figures in two reads (None: no such event). Figures None: the
        event was created before they were kept, so they would not count its first orders
        and check-ins."""
        ...

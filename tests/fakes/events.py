"""Events in memory (``EventStore``); the places an order takes are counted on the event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

from tests.fakes.database import FakeDatabase, FakeTransactions, FakeWrite, page_of
from ticketing.domain.events import Event
from ticketing.services.ports import Cursor, Part


class FakeEventStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def add(self, event: Event, also: Sequence[Part] = ()) -> None:
        """Write a new event (its id must be free), together with ``also`` if given."""

        def put() -> None:
            self.db.events[event.event_id] = event

        new = FakeWrite(
            ("event", event.event_id), lambda: event.event_id not in self.db.events, put
        )
        FakeTransactions(self.db).commit([Part("event", new), *also])

    def get(self, event_id: str) -> Event | None:
        return self.db.events.get(event_id)

    def list_for(
        self, organizer_id: str, limit: int, cursor: Cursor | None
    ) -> tuple[list[Event], Cursor | None]:
        """The organizer's events by their real start (UTC), then id."""
        rows = [
            (f"{e.starts_at.astimezone(UTC).isoformat()}#{e.event_id}", e)
            for e in self.db.events.values()
            if e.organizer_id == organizer_id
        ]
        rows.sort(key=lambda row: row[0])
        return page_of(f"events of {organizer_id}", rows, limit, cursor)

    def starting_on(self, day: str) -> list[Event]:
        """Events whose start falls on ``day`` in their own time zone."""
        return sorted(
            (
                e
                for e in self.db.events.values()
                if e.starts_at.astimezone(ZoneInfo(e.timezone)).date().isoformat() == day
            ),
            key=lambda e: e.event_id,
        )

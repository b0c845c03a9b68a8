"""Events in memory (``EventStore``); the places an order takes are counted on the event."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.fakes.database import FakeDatabase, FakeTransactions, FakeWrite, page_of
from ticketing.domain.events import Event
from ticketing.domain.figures import EventFigures, OptionFigures
from ticketing.domain.money import to_cents
from ticketing.services.ports import Cursor, Part


class FakeEventStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def add(self, event: Event, also: Sequence[Part] = ()) -> None:
        """Write a new event (its id must be free), together with ``also`` if given."""

        def put() -> None:
            self.db.events[event.event_id] = event
            self.db.event_figures[event.event_id] = {"kept": 1}  # figures from its start

        new = FakeWrite(
            ("event", event.event_id), lambda: event.event_id not in self.db.events, put
        )
        FakeTransactions(self.db).commit([Part("event", new), *also])

    def get(self, event_id: str) -> Event | None:
        return self.db.events.get(event_id)

    def with_figures(self, event_id: str) -> tuple[Event, EventFigures | None] | None:
        """The event and its figures (None for an event stored without ``add``'s mark)."""
        with self.db.lock:
            event = self.db.events.get(event_id)
            counters = dict(self.db.event_figures.get(event_id, {}))
        if event is None:
            return None
        return event, figures_of(counters)

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


def booked(db: FakeDatabase, event_id: str, option: str, tickets: int, total: Decimal) -> None:
    """The booking's figures on the event: its price option's orders, tickets and cents."""
    db.count_event(event_id, f"orders:{option}", 1)
    db.count_event(event_id, f"tickets:{option}", tickets)
    db.count_event(event_id, f"cents:{option}", int(to_cents(total) * 100))


CHECK_INS = "checked_in#"  # + shard: the event's check-in counters, apart from the event


def checked_in(db: FakeDatabase, event_id: str, positions: int) -> FakeWrite:
    """A check-in's count on one of the event's 16 counters drawn at random, as DynamoDB's
    (``ADD`` on an item of its own, no condition)."""
    shard = secrets.randbelow(16)
    return FakeWrite(
        ("check_ins", event_id, shard),
        apply=lambda: db.count_event(event_id, f"{CHECK_INS}{shard}", positions),
    )


def figures_of(counters: dict[str, int]) -> EventFigures | None:
    if not counters.get("kept"):
        return None
    options: dict[str, dict[str, int]] = {}
    for name, value in counters.items():
        figure, _, option = name.partition(":")
        if option:
            options.setdefault(option, {})[figure] = value
    return EventFigures(
        options={
            option: OptionFigures(
                row.get("orders", 0), row.get("tickets", 0), Decimal(row.get("cents", 0)).scaleb(-2)
            )
            for option, row in options.items()
        },
        checked_in=sum(v for k, v in counters.items() if k.startswith(CHECK_INS)),
    )

"""Events in DynamoDB."""

from __future__ import annotations

import time
from datetime import UTC
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.adapters import event_figures, keys
from ticketing.adapters.dynamo import Item, Table
from ticketing.adapters.records import from_item, to_item
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.events import Event

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.domain.figures import EventFigures
    from ticketing.services.ports import Part


class DynamoEventStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def add(self, event: Event, also: Sequence[Part] = ()) -> None:
        """Write a new event, together with ``also`` (an idempotency record) if given."""
        item = to_item(
            event,
            "event",
            **keys.event(event.event_id),
            GSI1PK=keys.tenant_events(event.organizer_id),
            # UTC, so that the sort key orders events by their real start
            GSI1SK=f"{event.starts_at.astimezone(UTC).isoformat()}#{event.event_id}",
            # the local day it starts, for the reminders the day before
            GSI2PK=keys.event_day(
                event.starts_at.astimezone(ZoneInfo(event.timezone)).date().isoformat()
            ),
            GSI2SK=event.event_id,
        )
        item[event_figures.KEPT] = True  # its dashboard figures count from its first order
        DynamoTransactions(self.table).add("event", item, also)

    def get(self, event_id: str) -> Event | None:
        item = self.table.get(keys.event(event_id))
        return None if item is None else from_item(Event, item)

    def with_figures(self, event_id: str) -> tuple[Event, EventFigures | None] | None:
        """The event and its dashboard figures: one GetItem, and one Query of its check-in
        shards (none for an event older than its figures)."""
        item = self.table.get(keys.event(event_id))
        if item is None:
            return None
        shards: list[Item] = []
        if item.get(event_figures.KEPT):
            key = keys.event(event_id)
            shards = self.table.query_partition(key["PK"], keys.EVENT_CHECK_INS)
        return from_item(Event, item), event_figures.read(item, shards)

    def starting_on(self, day: str) -> list[Event]:
        items, _ = self.table.query_index(keys.event_day(day), limit=1000, index=keys.GSI2)
        return [from_item(Event, i) for i in items]

    def list_for(
        self, organizer_id: str, limit: int, cursor: dict[str, object] | None
    ) -> tuple[list[Event], dict[str, object] | None]:
        partition = keys.tenant_events(organizer_id)
        if cursor is not None and cursor.get(keys.GSI1PK) != partition:
            raise InvalidRequest("cursor is not one this API handed out", field="cursor")
        items, last = self.table.query_index(partition, limit=limit, start_after=cursor)
        return [from_item(Event, i) for i in items], last


class CachedEventStore(DynamoEventStore):
    """Events read by public pages, kept for a minute per Lambda instance.

    A registration needs the event's name, time zone and price option; none of it changes
    between two visitors. Capacity is still enforced by the booking transaction's condition.
    """

    def __init__(self, table: Table | None = None, seconds: float = 60.0) -> None:
        super().__init__(table)
        self._seconds = seconds
        self._kept: dict[str, tuple[float, Event]] = {}

    def get(self, event_id: str) -> Event | None:
        kept = self._kept.get(event_id)
        if kept is not None and time.monotonic() - kept[0] < self._seconds:
            return kept[1]
        event = super().get(event_id)
        if event is not None:
            self._kept[event_id] = (time.monotonic(), event)
        return event

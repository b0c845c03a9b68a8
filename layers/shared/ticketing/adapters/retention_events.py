"""The events the retention schedule walks: every tenant's events that started before now
(an event that ended started before it), and their orders, through the ``GSI1`` lists."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Item, Table, Update
from ticketing.adapters.records import from_item
from ticketing.domain.events import Event

if TYPE_CHECKING:
    from collections.abc import Iterator


class DynamoRetentionEvents:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def _pages(self, partition: str, between: tuple[str, str] | None = None) -> Iterator[Item]:
        cursor: dict[str, Any] | None = None
        while True:
            items, cursor = self.table.query_index(
                partition, limit=500, start_after=cursor, sort_between=between
            )
            yield from items
            if cursor is None:
                return

    def ended_before(self, at: datetime) -> list[Event]:
        started = ("0", at.astimezone(UTC).isoformat() + "~")  # GSI1SK: <starts_at>#<event_id>
        ended: list[Event] = []
        for organizer in self._pages(keys.ALL_ORGANIZERS):
            partition = keys.tenant_events(str(organizer["organizer_id"]))
            for item in self._pages(partition, started):
                event = from_item(Event, item)
                if event.ends_at <= at:
                    ended.append(event)
        return ended

    def order_numbers(self, event_id: str) -> list[str]:
        return [str(i["order_number"]) for i in self._pages(keys.event_orders(event_id))]

    def mark_retained(self, event_id: str, at: datetime) -> None:
        self.table.write(
            Update(
                keys.event(event_id),
                "SET #retained = :at",
                condition="attribute_exists(PK)",
                names={"#retained": "retained_at"},
                values={":at": at.isoformat()},
            )
        )

    def set_retention(self, event_id: str, retention_days: int, legal_hold: bool) -> None:
        self.table.write(
            Update(
                keys.event(event_id),
                "SET #days = :days, #hold = :hold",
                condition="attribute_exists(PK)",
                names={"#days": "retention_days", "#hold": "legal_hold"},
                values={":days": retention_days, ":hold": legal_hold},
            )
        )

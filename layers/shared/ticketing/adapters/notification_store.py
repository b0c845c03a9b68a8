"""Notifications to ticket holders (issue 15): their items and recipient records (DynamoDB) and
the fan-out's queue (SQS)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ticketing.adapters import aws, notification_keys
from ticketing.adapters.dynamo import ConditionCheck, ConditionFailed, Put, Table, Update, Write
from ticketing.adapters.keys import GSI1SK, GSI2
from ticketing.adapters.records import from_item, to_item
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.domain.notifications import Kind, Notification, State
from ticketing.settings import settings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.services.ports import Part
    from ticketing.services.ports_notifications import Recipient


class _Stored(Notification):
    """``kind`` names an item's entity in the table: the message's kind is ``message_kind``."""

    kind: Kind = "information"
    message_kind: Kind


def _item(notification: Notification) -> dict[str, object]:
    n = notification
    keys = notification_keys.indexes(
        n.notification_id, n.event_id, n.state, n.created_at, n.updated_at
    )
    item = to_item(n, "notification", **notification_keys.notification(n.notification_id), **keys)
    return {**item, "message_kind": n.kind}


def _read(item: dict[str, object]) -> Notification:
    stored = from_item(_Stored, item)
    data = stored.model_dump(exclude={"message_kind"})
    return Notification.model_validate({**data, "kind": stored.message_kind})


def _write(part: Part) -> Write:
    if not isinstance(part.write, Put | Update | ConditionCheck):
        raise TypeError(f"part {part.label!r} is no DynamoDB write: {part.write!r}")
    return part.write


class DynamoNotificationStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def add(self, notification: Notification, also: Sequence[Part] = ()) -> None:
        """A new notification, together with ``also`` (an idempotency record) if given."""
        DynamoTransactions(self.table).add("notification", _item(notification), also)

    def get(self, notification_id: str) -> Notification | None:
        item = self.table.get(notification_keys.notification(notification_id), consistent=True)
        return None if item is None else _read(item)

    def in_state(self, state: State, limit: int = 200) -> list[Notification]:
        items, _ = self.table.query_index(notification_keys.in_state(state), limit=limit)
        return [_read(i) for i in items]

    def of_event(self, event_id: str, limit: int = 200) -> list[Notification]:
        items, _ = self.table.query_index(
            notification_keys.event_notifications(event_id),
            limit=limit,
            index=GSI2,
            newest_first=True,
        )
        return [_read(i) for i in items]

    def replace(self, notification: Notification, version: int) -> bool:
        written = notification.model_copy(update={"version": version + 1})
        try:
            self.table.write(Put(_item(written), condition="version = :v", values={":v": version}))
        except ConditionFailed:
            return False
        return True

    def claim_page(
        self,
        notification: Notification,
        recipients: Sequence[Recipient],
        cursor: str | None,
        also: Sequence[Part] = (),
    ) -> bool:
        n = notification
        progress = _item(n)
        ops: list[Write] = [
            Put(
                {
                    **notification_keys.notified(n.notification_id, r.order_number),
                    "kind": "notified",
                    "outcome": r.outcome,
                },
                condition="attribute_not_exists(PK)",
            )
            for r in recipients
        ]
        queued = sum(1 for r in recipients if r.outcome == "queued")
        bookmark = "#cursor = :cursor" if cursor is not None else ""
        ops.append(
            Update(
                notification_keys.notification(n.notification_id),
                "SET pages = pages + :one, version = version + :one, updated_at = :at, #sk = :sk"
                + (f", {bookmark}" if bookmark else "")
                + " ADD recipients :r, sent :s, suppressed :x"
                + ("" if cursor is not None else " REMOVE #cursor"),
                condition="version = :v",
                names={"#cursor": "cursor", "#sk": GSI1SK},
                values={
                    ":one": 1,
                    ":at": progress["updated_at"],
                    ":sk": progress[GSI1SK],
                    ":v": n.version,
                    ":r": len(recipients),
                    ":s": queued,
                    ":x": len(recipients) - queued,
                    **({":cursor": cursor} if cursor is not None else {}),
                },
            )
        )
        ops.extend(_write(part) for part in also)
        try:
            self.table.transact(ops)
        except ConditionFailed:
            return False
        return True

    def count_failed(self, notification_id: str, failed: int) -> None:
        self.table.write(
            Update(
                notification_keys.notification(notification_id),
                "SET version = version + :one ADD sent :minus, failed :n",
                values={":one": 1, ":minus": -failed, ":n": failed},
            )
        )

    def was_claimed(self, notification_id: str, order_number: str) -> bool:
        key = notification_keys.notified(notification_id, order_number)
        return self.table.get(key, consistent=True) is not None


class SqsNotificationQueue:
    """``{"notification_id"}`` for the fan-out worker."""

    def enqueue_notification(self, notification_id: str) -> None:
        aws.sqs().send_message(
            QueueUrl=settings().notification_queue_url,
            MessageBody=json.dumps({"notification_id": notification_id}),
        )

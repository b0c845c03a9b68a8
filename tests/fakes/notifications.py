"""Notifications to ticket holders in memory (issue 15): the store and the fan-out queue."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from tests.fakes.database import MAX_PARTS, FakeDatabase, FakeTransactions, FakeWrite
from ticketing.domain.notifications import Notification, State
from ticketing.services.ports import Part
from ticketing.services.ports_notifications import Recipient


class FakeNotificationStore:
    def __init__(self, db: FakeDatabase | None = None) -> None:
        self.db = db or FakeDatabase()
        self.notifications: dict[str, Notification] = {}
        self.notified: dict[tuple[str, str], str] = {}
        self.lock = threading.Lock()

    def add(self, notification: Notification, also: Sequence[Part] = ()) -> None:
        n = notification

        def put() -> None:
            self.notifications[n.notification_id] = n

        new = FakeWrite(
            ("notification", n.notification_id),
            lambda: n.notification_id not in self.notifications,
            put,
        )
        FakeTransactions(self.db).commit([Part("notification", new), *also])

    def get(self, notification_id: str) -> Notification | None:
        return self.notifications.get(notification_id)

    def in_state(self, state: State, limit: int = 200) -> list[Notification]:
        found = [n for n in self.notifications.values() if n.state == state]
        found.sort(key=lambda n: (n.updated_at, n.notification_id))
        return found[:limit]

    def of_event(self, event_id: str, limit: int = 200) -> list[Notification]:
        found = [n for n in self.notifications.values() if n.event_id == event_id]
        found.sort(key=lambda n: (n.created_at, n.notification_id), reverse=True)
        return found[:limit]

    def replace(self, notification: Notification, version: int) -> bool:
        with self.lock:
            stored = self.notifications.get(notification.notification_id)
            if stored is None or stored.version != version:
                return False
            written = notification.model_copy(update={"version": version + 1})
            self.notifications[notification.notification_id] = written
            return True

    def claim_page(
        self,
        notification: Notification,
        recipients: Sequence[Recipient],
        cursor: str | None,
        also: Sequence[Part] = (),
    ) -> bool:
        n = notification
        writes: list[FakeWrite] = []
        for part in also:
            if not isinstance(part.write, FakeWrite):
                raise TypeError(f"part {part.label!r} was not made by a fake store")
            writes.append(part.write)
        if len(recipients) + len(writes) + 1 > MAX_PARTS:
            raise ValueError(f"a transaction holds 1 to {MAX_PARTS} operations")  # as DynamoDB
        with self.db.lock, self.lock:
            stored = self.notifications.get(n.notification_id)
            if stored is None or stored.version != n.version:
                return False
            if any((n.notification_id, r.order_number) in self.notified for r in recipients):
                return False
            if not all(w.check() for w in writes):
                return False
            for r in recipients:
                self.notified[(n.notification_id, r.order_number)] = r.outcome
            for w in writes:
                w.apply()
            queued = sum(1 for r in recipients if r.outcome == "queued")
            self.notifications[n.notification_id] = stored.model_copy(
                update={
                    "pages": stored.pages + 1,
                    "cursor": cursor,
                    "version": stored.version + 1,
                    "updated_at": n.updated_at,
                    "recipients": stored.recipients + len(recipients),
                    "sent": stored.sent + queued,
                    "suppressed": stored.suppressed + len(recipients) - queued,
                }
            )
            return True

    def count_failed(self, notification_id: str, failed: int) -> None:
        with self.lock:
            stored = self.notifications[notification_id]
            self.notifications[notification_id] = stored.model_copy(
                update={
                    "version": stored.version + 1,
                    "sent": stored.sent - failed,
                    "failed": stored.failed + failed,
                }
            )

    def was_claimed(self, notification_id: str, order_number: str) -> bool:
        return (notification_id, order_number) in self.notified


class FakeNotificationQueue:
    def __init__(self) -> None:
        self.queued: list[str] = []

    def enqueue_notification(self, notification_id: str) -> None:
        self.queued.append(notification_id)

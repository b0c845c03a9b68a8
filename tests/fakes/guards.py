"""Idempotency records and failed attempts in memory: the guards that join a commit."""

from __future__ import annotations

from datetime import datetime

from tests.fakes.database import FakeDatabase, FakeWrite
from ticketing.services.ports import IdempotencyRecord, Part


class FakeIdempotencyStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def find(self, scope: str, key: str) -> IdempotencyRecord | None:
        return self.db.idempotency.get((scope, key))

    def claim(self, scope: str, key: str, record: IdempotencyRecord, at: datetime) -> Part:
        """The part that takes ``key`` for ``record``; refused once the key is taken."""
        taken = (scope, key)

        def put() -> None:
            self.db.idempotency[taken] = record

        return Part(
            "idempotency",
            FakeWrite(("idempotency", *taken), lambda: taken not in self.db.idempotency, put),
        )


class FakeAttempts:
    """Failed guesses per client: the moments of its latest failures, and its refusal."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def recent(self, client: str, now: int, window: int) -> list[int]:
        return [m for m in self.db.attempt_log.get(client, []) if m > now - window]

    def record_failure(self, client: str, now: int, window: int, limit: int) -> list[int]:
        with self.db.lock:
            recent = sorted([*self.recent(client, now, window), now])[-(limit + 1) :]
            self.db.attempt_log[client] = recent
            self.db.refused_until[client] = recent[-limit] + window if len(recent) >= limit else 0
            self.db.attempts[client] = self.db.attempts.get(client, 0) + 1
            return recent

    def below(self, client: str, now: int) -> Part:
        """Holds only while the client is not refused at ``now`` (a condition check)."""
        return Part(
            "attempts",
            FakeWrite(("attempts", client), lambda: self.db.refused_until.get(client, 0) <= now),
        )


class FakeLinkSecrets:
    """The secrets of an order's public links, from the orders in memory."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def self_service_secret(self, order_number: str) -> str | None:
        order = self.db.orders.get(order_number)
        return None if order is None else order.self_service_secret

    def download_token(self, order_number: str, presented: str) -> str | None:
        chunks = [v for k, v in sorted(self.db.positions.items()) if k[0] == order_number]
        found = (p for chunk in chunks for p in chunk if p.download_token == presented)
        return next((p.download_token for p in found), None)

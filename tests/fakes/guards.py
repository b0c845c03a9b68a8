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
    """Failed guesses per client and window."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def failures(self, client: str, window: int) -> int:
        return self.db.attempts.get((client, window), 0)

    def record_failure(self, client: str, window: int, expires_at: int) -> int:
        with self.db.lock:
            failures = self.db.attempts.get((client, window), 0) + 1
            self.db.attempts[(client, window)] = failures
            return failures

    def below(self, client: str, window: int, limit: int) -> Part:
        """Holds only while the client has fewer than ``limit`` failures (a condition check)."""
        return Part(
            "attempts",
            FakeWrite(("attempts", client, window), lambda: self.failures(client, window) < limit),
        )

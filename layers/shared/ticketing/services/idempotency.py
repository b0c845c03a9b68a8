"""Idempotency: a write a client may retry is answered once (the ``Idempotency-Key`` header).

The use case asks ``earlier()`` before any check (the places a booking took may have been the
last ones), joins ``claim()`` to the commit of its change, and, should a concurrent twin have
taken the key first, answers with the twin's result (``after()``). The key is bound to its
tenant, its operation and the request it came with: the same key with another body is a 422.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.services.parts import IdempotencyRecord, Part, WriteRefused

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from ticketing.services.ports import IdempotencyStore


@dataclass(frozen=True, slots=True)
class Once:
    store: IdempotencyStore
    scope: str
    key: str | None
    request_hash: str

    @classmethod
    def of(
        cls, store: IdempotencyStore, tenant: str, operation: str, key: str | None, request: str
    ) -> Once:
        """``request``: everything that makes the request this request (path and body)."""
        digest = hashlib.sha256(f"{operation}\n{request}".encode()).hexdigest()
        return cls(store, f"{tenant}#{operation}", key, digest)

    def earlier(self) -> str | None:
        """What the first request with this key made, if there was one."""
        if self.key is None:
            return None
        record = self.store.find(self.scope, self.key)
        if record is None:
            return None
        if record.request_hash != self.request_hash:
            raise InvalidRequest(
                "this Idempotency-Key was used for a different request; use a new key",
                field="Idempotency-Key",
            )
        return record.result

    def claim(self, result: str, at: datetime) -> list[Part]:
        """The part that takes the key for ``result`` (none without a key)."""
        if self.key is None:
            return []
        record = IdempotencyRecord(result, self.request_hash)
        return [self.store.claim(self.scope, self.key, record, at)]

    def write(self, result: str, at: datetime, write: Callable[[list[Part]], None]) -> str | None:
        """Run ``write`` with the key's claim; None when it wrote, or the result of a
        concurrent twin that took the key first."""
        try:
            write(self.claim(result, at))
        except WriteRefused as refused:
            twin = self.after(refused)
            if twin is None:
                raise
            return twin
        return None

    def after(self, refused: WriteRefused) -> str | None:
        """The result of a concurrent twin, when the commit was refused because it had
        taken the key first."""
        if self.key is None or "idempotency" not in refused.labels:
            return None
        result = self.earlier()
        if result is None:
            raise Conflict("the first request with this Idempotency-Key is still running; retry")
        return result

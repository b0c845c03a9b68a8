"""Idempotency records: what a write made the first time its ``Idempotency-Key`` was used."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Put, Table
from ticketing.services.parts import IdempotencyRecord, Part

KEEP_FOR = timedelta(hours=24)


def _hashed(key: str) -> str:
    # the key is the client's; the table keeps only its digest
    return hashlib.sha256(key.encode()).hexdigest()


class DynamoIdempotencyStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def find(self, scope: str, key: str) -> IdempotencyRecord | None:
        item = self.table.get(keys.idempotency(scope, _hashed(key)), consistent=True)
        if item is None:
            return None
        return IdempotencyRecord(str(item["result"]), str(item.get("request_hash", "")))

    def claim(self, scope: str, key: str, record: IdempotencyRecord, at: datetime) -> Part:
        return Part(
            "idempotency",
            Put(
                {
                    **keys.idempotency(scope, _hashed(key)),
                    "kind": "idempotency",
                    "result": record.result,
                    "request_hash": record.request_hash,
                    keys.TTL_ATTRIBUTE: int((at + KEEP_FOR).timestamp()),
                },
                condition="attribute_not_exists(PK)",
            ),
        )

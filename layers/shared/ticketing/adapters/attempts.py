"""Failed attempts on public doors, counted per client and window (TTL cleans them up)."""

from __future__ import annotations

import hashlib

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionCheck, Table, Update
from ticketing.services.ports import Part


class DynamoAttempts:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def below(self, client: str, window: int, limit: int) -> Part:
        return Part(
            "attempts",
            ConditionCheck(
                keys.attempts(_hashed(client), window),
                "attribute_not_exists(#failures) OR #failures < :limit",
                names={"#failures": "failures"},
                values={":limit": limit},
            ),
        )

    def record_failure(self, client: str, window: int, expires_at: int) -> int:
        item = self.table.write(
            Update(
                keys.attempts(_hashed(client), window),
                "SET #expires = :expires ADD #failures :one",
                names={"#expires": keys.TTL_ATTRIBUTE, "#failures": "failures"},
                values={":one": 1, ":expires": expires_at},
            )
        )
        return int((item or {}).get("failures", 1))

    def failures(self, client: str, window: int) -> int:
        item = self.table.get(keys.attempts(_hashed(client), window))
        return int(item.get("failures", 0)) if item else 0


def _hashed(client: str) -> str:
    # the table keeps no IP addresses, only a digest that groups one client's attempts
    return hashlib.sha256(client.encode()).hexdigest()[:32]

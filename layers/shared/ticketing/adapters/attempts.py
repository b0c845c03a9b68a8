"""Failed attempts on public endpoints, counted per client in ten-minute windows (TTL)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionCheck, Table, Update, Write
from ticketing.domain.vouchers import attempt_window


class DynamoAttempts:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def not_blocked(self, client: str, at: datetime, limit: int) -> tuple[str, Write]:
        """A condition for the redeeming transaction: the client is below ``limit`` failures."""
        start, _ = attempt_window(at)
        return (
            "attempts",
            ConditionCheck(
                keys.attempts(_hashed(client), start),
                "attribute_not_exists(#failures) OR #failures < :limit",
                names={"#failures": "failures"},
                values={":limit": limit},
            ),
        )

    def record_failure(self, client: str, at: datetime) -> int:
        start, end = attempt_window(at)
        item = self.table.write(
            Update(
                keys.attempts(_hashed(client), start),
                "SET #expires = :expires ADD #failures :one",
                names={"#expires": keys.TTL_ATTRIBUTE, "#failures": "failures"},
                values={":one": 1, ":expires": int(end.timestamp()) + 3600},
            )
        )
        return int((item or {}).get("failures", 1))

    def failures(self, client: str, at: datetime) -> int:
        """Failed attempts of ``client`` in the window ``at`` falls in."""
        start, _ = attempt_window(at)
        item = self.table.get(keys.attempts(_hashed(client), start))
        return int(item.get("failures", 0)) if item else 0


def _hashed(client: str) -> str:
    # the table keeps no IP addresses, only a digest that groups one client's attempts
    return hashlib.sha256(client.encode()).hexdigest()[:32]

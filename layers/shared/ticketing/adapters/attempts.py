"""Failed attempts on public doors: one item per client holds the moments of its latest
failures (epoch milliseconds, at most a few) and until when it is refused
(``refused_until``; see ``services/throttle.py``). TTL cleans up."""

from __future__ import annotations

import hashlib

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionCheck, ConditionFailed, Table, Update
from ticketing.services.parts import Part

_FAILURES = "failures"
_REFUSED_UNTIL = "refused_until"


class DynamoAttempts:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def recent(self, client: str, now: int, window: int) -> list[int]:
        failures, _ = self._read(client)
        return [moment for moment in failures if moment > now - window]

    def below(self, client: str, now: int) -> Part:
        return Part(
            "attempts",
            ConditionCheck(
                keys.attempts(_hashed(client)),
                "attribute_not_exists(#until) OR #until <= :now",
                names={"#until": _REFUSED_UNTIL},
                values={":now": now},
            ),
        )

    def record_failure(self, client: str, now: int, window: int, limit: int) -> list[int]:
        """Read, add, write back under the version read (a concurrent failure: again)."""
        key = keys.attempts(_hashed(client))
        while True:
            failures, version = self._read(client)
            recent = [m for m in failures if m > now - window] + [now]
            recent = sorted(recent)[-(limit + 1) :]
            until = recent[-limit] + window if len(recent) >= limit else 0
            try:
                # an update, not a put: the doors' functions may update items, not replace them
                self.table.write(
                    Update(
                        key,
                        "SET #failures = :failures, #until = :until, #version = :next, "
                        "#expires = :expires",
                        condition="attribute_not_exists(PK) OR #version = :version",
                        names={
                            "#failures": _FAILURES,
                            "#until": _REFUSED_UNTIL,
                            "#version": "version",
                            "#expires": keys.TTL_ATTRIBUTE,
                        },
                        values={
                            ":failures": recent,
                            ":until": until,
                            ":next": version + 1,
                            ":version": version,
                            ":expires": (max(recent) + window) // 1000 + 3600,
                        },
                    )
                )
            except ConditionFailed:
                continue
            return recent

    def _read(self, client: str) -> tuple[list[int], int]:
        item = self.table.get(keys.attempts(_hashed(client)), consistent=True)
        if item is None:
            return [], 0
        return [int(m) for m in item.get(_FAILURES, [])], int(item.get("version", 0))


def _hashed(client: str) -> str:
    # the table keeps no IP addresses, only a digest that groups one client's attempts
    return hashlib.sha256(client.encode()).hexdigest()[:32]

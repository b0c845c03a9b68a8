"""Failed validations and redemptions of a merchant's terminal, one item per terminal: the
moments of its latest failures and until when it is locked (``services/terminal_guard.py``).
The same kind of item as the public doors' failed attempts (``adapters/attempts.py``), under
a key of its own; TTL cleans up."""

from __future__ import annotations

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionCheck, ConditionFailed, Table, Update
from ticketing.services.parts import Part
from ticketing.services.ports_terminal import LockState

_FAILURES = "failures"
_LOCKED_UNTIL = "refused_until"  # the attribute name the doors' items use as well


class DynamoTerminalLocks:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def state(self, terminal_id: str, now: int, window: int) -> LockState:
        failures, locked_until, _ = self._read(terminal_id)
        return LockState([m for m in failures if m > now - window], locked_until)

    def unlocked(self, terminal_id: str, now: int) -> Part:
        return Part(
            "terminal_lock",
            ConditionCheck(
                keys.terminal_lock(terminal_id),
                "attribute_not_exists(#until) OR #until <= :now",
                names={"#until": _LOCKED_UNTIL},
                values={":now": now},
            ),
        )

    def record_failure(
        self, terminal_id: str, now: int, window: int, limit: int, lock: int
    ) -> LockState:
        """Read, add, write back under the version read (a concurrent failure: again)."""
        while True:
            failures, locked_until, version = self._read(terminal_id)
            recent = sorted([m for m in failures if m > now - window] + [now])[-limit:]
            if locked_until <= now and len(recent) >= limit:
                locked_until = now + lock
            try:
                # an update, not a put: the terminal function may update items, not replace them
                self.table.write(
                    Update(
                        keys.terminal_lock(terminal_id),
                        "SET #failures = :failures, #until = :until, #version = :next, "
                        "#expires = :expires",
                        condition="attribute_not_exists(PK) OR #version = :version",
                        names={
                            "#failures": _FAILURES,
                            "#until": _LOCKED_UNTIL,
                            "#version": "version",
                            "#expires": keys.TTL_ATTRIBUTE,
                        },
                        values={
                            ":failures": recent,
                            ":until": locked_until,
                            ":next": version + 1,
                            ":version": version,
                            ":expires": max(locked_until, now + window) // 1000 + 3600,
                        },
                    )
                )
            except ConditionFailed:
                continue
            return LockState(recent, locked_until)

    def _read(self, terminal_id: str) -> tuple[list[int], int, int]:
        item = self.table.get(keys.terminal_lock(terminal_id), consistent=True)
        if item is None:
            return [], 0, 0
        failures = [int(m) for m in item.get(_FAILURES, [])]
        return failures, int(item.get(_LOCKED_UNTIL, 0)), int(item.get("version", 0))

"""Terminal locks and gift redemptions in memory (``services/ports_terminal.py``)."""

from __future__ import annotations

from datetime import datetime

from tests.fakes.database import FakeDatabase, FakeWrite
from ticketing.domain.gift_redemptions import Redemption
from ticketing.services.ports import Part
from ticketing.services.ports_terminal import LockState


class FakeTerminalLocks:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.log: dict[str, list[int]] = {}
        self.locked_until: dict[str, int] = {}

    def state(self, terminal_id: str, now: int, window: int) -> LockState:
        recent = [m for m in self.log.get(terminal_id, []) if m > now - window]
        return LockState(recent, self.locked_until.get(terminal_id, 0))

    def record_failure(
        self, terminal_id: str, now: int, window: int, limit: int, lock: int
    ) -> LockState:
        with self.db.lock:
            recent = sorted([*self.state(terminal_id, now, window).failures, now])[-limit:]
            self.log[terminal_id] = recent
            until = self.locked_until.get(terminal_id, 0)
            if until <= now and len(recent) >= limit:
                until = self.locked_until[terminal_id] = now + lock
            return LockState(recent, until)

    def unlocked(self, terminal_id: str, now: int) -> Part:
        return Part(
            "terminal_lock",
            FakeWrite(
                ("terminal_lock", terminal_id),
                lambda: self.locked_until.get(terminal_id, 0) <= now,
            ),
        )


class FakeRedemptionStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.redemptions: dict[str, Redemption] = {}

    def recording(self, redemption: Redemption) -> Part:
        def put() -> None:
            self.redemptions[redemption.redemption_id] = redemption

        return Part(
            "redemption",
            FakeWrite(
                ("redemption", redemption.redemption_id),
                lambda: redemption.redemption_id not in self.redemptions,
                put,
            ),
        )

    def get_redemption(self, redemption_id: str) -> Redemption | None:
        return self.redemptions.get(redemption_id)

    def reversing(self, redemption: Redemption, at: datetime, by: str) -> Part:
        rid = redemption.redemption_id

        def holds() -> bool:
            current = self.redemptions.get(rid)
            return current is not None and current.reversed_at is None

        def update() -> None:
            current = self.redemptions[rid]
            self.redemptions[rid] = current.model_copy(
                update={"reversed_at": at, "reversed_by": by}
            )

        return Part("redemption", FakeWrite(("redemption", rid), holds, update))

    def for_merchant(self, merchant_id: str, start: datetime, end: datetime) -> list[Redemption]:
        found = [
            r
            for r in self.redemptions.values()
            if r.merchant_id == merchant_id and start <= r.redeemed_at < end
        ]
        return sorted(found, key=lambda r: (r.redeemed_at, r.redemption_id))

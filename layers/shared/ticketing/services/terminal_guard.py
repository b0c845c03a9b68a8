"""The lock of a merchant's terminal that fails too often (issue 14, "Bad input and abuse").

A terminal that fails ``MAX_FAILURES`` validations or redemptions within ``WINDOW_SECONDS``
(an unknown or malformed code: what a guess looks like) is refused for ``LOCK_SECONDS``
(429 with ``Retry-After``); its answers slow down before that, as the public doors' do
(``services/throttle.slow_down``). A used, expired or not accepted code is no guess: the
cashier scanned a real voucher. The lock is asked before any lookup; a redemption joins
``guard()`` to its commit so that a terminal locked meanwhile cannot slip through.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, TypeVar

from ticketing.domain.errors import TooManyAttempts
from ticketing.services.throttle import Pause, slow_down

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import Part
    from ticketing.services.ports_terminal import LockState, TerminalLocks

WINDOW_SECONDS = 60
MAX_FAILURES = 10
LOCK_SECONDS = 15 * 60
_WINDOW_MS = WINDOW_SECONDS * 1000
_LOCK_MS = LOCK_SECONDS * 1000

E = TypeVar("E", bound=Exception)


class TerminalGuard:
    def __init__(
        self, locks: TerminalLocks, clock: Clock, terminal_id: str, pause: Pause = time.sleep
    ) -> None:
        self._locks = locks
        self._terminal = terminal_id
        self._pause = pause
        self.now = clock.now()
        self._now_ms = int(self.now.timestamp() * 1000)
        self._state: LockState | None = None

    def refuse_if_locked(self) -> None:
        """Refuse a locked terminal before it looks anything up (one read)."""
        self._state = self._locks.state(self._terminal, self._now_ms, _WINDOW_MS)
        if self._state.locked_until > self._now_ms:
            raise self.refused()

    def guard(self) -> list[Part]:
        """The part of a redemption's commit that holds only while the terminal is not
        locked; none for a terminal without failures on record (nothing to contend for)."""
        if self._state is None or not (self._state.failures or self._state.locked_until):
            return []
        return [self._locks.unlocked(self._terminal, self._now_ms)]

    def missed(self, error: E) -> E | TooManyAttempts:
        """Count a failure that could be a guess, hold the answer back, and return what to
        raise: ``error``, or the refusal once the terminal is locked."""
        self._state = self._locks.record_failure(
            self._terminal, self._now_ms, _WINDOW_MS, MAX_FAILURES, _LOCK_MS
        )
        if self._state.locked_until > self._now_ms:
            return self.refused()
        self._pause(slow_down(len(self._state.failures)))
        return error

    def refused(self) -> TooManyAttempts:
        until = self._state.locked_until if self._state else self._now_ms + _LOCK_MS
        wait = max(1, math.ceil((until - self._now_ms) / 1000))
        minutes = math.ceil(wait / 60)
        return TooManyAttempts(
            f"This terminal failed too often and is locked. Please try again in {minutes} minutes.",
            wait,
            message_id="problem.terminal.locked",
            params={"minutes": minutes},
        )

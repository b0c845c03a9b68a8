"""The one guard of public doors against guessing (registration, self-service and ticket links).

Only a failure that could be a guess counts (an unknown code, an order and address that do
not match, a wrong link); a visitor told that their own code was used already is not guessing.
A door reports each such failure (``missed``) and asks before it looks anything up
(``refuse_if_blocked``); a door that commits a success also joins ``guard()`` to the commit,
so that a client with failures on record that was refused meanwhile cannot slip through.

Failures count in a window that slides with time (not in windows aligned to the clock,
where twice the limit fit across a boundary): the store keeps the moments of a client's
latest failures, and a client with ``MAX_FAILURES`` of them within the last
``WINDOW_SECONDS`` is refused (429) until the oldest of those is that old. Failures slow the
answer down long before.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ticketing.domain.errors import TooManyAttempts

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import Attempts, Part

WINDOW_SECONDS = 600  # failed attempts count for ten minutes
MAX_FAILURES = 10  # this many within the window: refused until the oldest of them is gone
_WINDOW_MS = WINDOW_SECONDS * 1000


# What a door reads and compares when the thing asked for does not exist, so that an unknown
# order takes the time a wrong secret takes: a number no order has (day 00, no "BE") and a
# secret of the real length.
UNKNOWN_ORDER_NUMBER = "00XX-000000-000000"
DUMMY_SECRET = "0" * 26


def slow_down(failures: int) -> float:
    """Seconds to hold back an answer after ``failures`` misses: nothing for a typo or two,
    then a growing pause, so that guessing gets slow long before it is refused."""
    return min(2.0, 0.25 * max(0, failures - 3))


Pause = Callable[[float], None]
E = TypeVar("E", bound=Exception)


class Throttle:
    def __init__(
        self, attempts: Attempts, clock: Clock, client: str, pause: Pause = time.sleep
    ) -> None:
        self._attempts = attempts
        self._client = client
        self._pause = pause
        self.now = clock.now()
        self._now_ms = int(self.now.timestamp() * 1000)
        self._recent: list[int] | None = None  # the failures the store last told of

    def refuse_if_blocked(self) -> None:
        """Refuse a client that has used up its failures (one read)."""
        self._recent = self._attempts.recent(self._client, self._now_ms, _WINDOW_MS)
        if len(self._recent) >= MAX_FAILURES:
            raise self.refused()

    def guard(self) -> list[Part]:
        """Parts of a success's commit, after ``refuse_if_blocked``: hold only while the client
        is not refused. None for a client without failures on record when it was asked: many
        real visitors behind one address must not all check (and contend for) one item."""
        if not self._recent:
            return []
        return [self._attempts.below(self._client, self._now_ms)]

    def missed(self, error: E) -> E | TooManyAttempts:
        """Count a failure that could be a guess, hold the answer back, and return what to
        raise: ``error``, or the refusal once the client has failed too often."""
        self._recent = self._attempts.record_failure(
            self._client, self._now_ms, _WINDOW_MS, MAX_FAILURES
        )
        if len(self._recent) > MAX_FAILURES:
            return self.refused()
        self._pause(slow_down(len(self._recent)))
        return error

    def refused(self) -> TooManyAttempts:
        # until the oldest of the last MAX_FAILURES failures leaves the window
        recent = self._recent
        if recent is None or len(recent) < MAX_FAILURES:  # refused at commit time: ask
            recent = self._attempts.recent(self._client, self._now_ms, _WINDOW_MS)
        until = recent[-MAX_FAILURES] + _WINDOW_MS if len(recent) >= MAX_FAILURES else 0
        wait = max(1, math.ceil((until - self._now_ms) / 1000))
        minutes = wait // 60 + 1
        return TooManyAttempts(
            f"Too many failed attempts. Please try again in {minutes} minutes.",
            wait,
            message_id="problem.too_many_attempts",
            params={"minutes": minutes},
        )

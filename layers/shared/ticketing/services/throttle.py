"""The one guard of public doors against guessing (registration, self-service links).

Only a failure that could be a guess counts (an unknown code, an order and address that do
not match); a visitor told that their own code was used already is not guessing. A door
reports each such failure (``missed``) and either asks before it looks anything up
(``refuse_if_blocked``) or joins ``guard()`` to the commit of a success, so that a client
refused meanwhile cannot slip through. Failures slow the answer down; more than
``MAX_FAILURES`` in a window are refused (429) until the window ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from ticketing.clock import Clock
from ticketing.domain.errors import TooManyAttempts
from ticketing.services.ports import Attempts, Part

WINDOW_SECONDS = 600  # failed attempts count in ten-minute windows
MAX_FAILURES = 10  # more than this in a window: refused until the window ends


@dataclass(frozen=True, slots=True)
class Window:
    start: int  # epoch seconds
    end: datetime

    @property
    def expires_at(self) -> int:
        """When the counter may go (an hour after the window, as a TTL)."""
        return int(self.end.timestamp()) + 3600

    def seconds_left(self, now: datetime) -> int:
        return max(1, int((self.end - now).total_seconds()))


def window(at: datetime) -> Window:
    """The fixed window ``at`` falls in."""
    start = int(at.timestamp()) // WINDOW_SECONDS * WINDOW_SECONDS
    return Window(start, datetime.fromtimestamp(start + WINDOW_SECONDS, tz=at.tzinfo))


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
        self._window = window(self.now)

    def refuse_if_blocked(self) -> None:
        """Refuse a client that has used up its failures (one read)."""
        if self._attempts.failures(self._client, self._window.start) >= MAX_FAILURES:
            raise self.refused()

    def guard(self) -> Part:
        """A part of a success's commit: holds only while the client is not refused."""
        return self._attempts.below(self._client, self._window.start, MAX_FAILURES)

    def missed(self, error: E) -> E | TooManyAttempts:
        """Count a failure that could be a guess, hold the answer back, and return what to
        raise: ``error``, or the refusal once the client has failed too often."""
        failures = self._attempts.record_failure(
            self._client, self._window.start, self._window.expires_at
        )
        if failures > MAX_FAILURES:
            return self.refused()
        self._pause(slow_down(failures))
        return error

    def refused(self) -> TooManyAttempts:
        # at most one window: the counter's window ends no later than that
        wait = self._window.seconds_left(self.now)
        return TooManyAttempts(
            f"Too many failed attempts. Please try again in {wait // 60 + 1} minutes.", wait
        )

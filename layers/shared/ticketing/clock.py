"""The one clock services read. Tests and the local stack move it; nothing else calls now()."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """Real time moved by an offset: set it to a moment and it runs on from there.

    The local stack's ``POST /_local/clock`` sets it, so that demos of expiry and reminders
    see the day they ask for while time still advances (newest-first lists stay ordered).
    """

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def set(self, moment: datetime | None) -> None:
        with self._lock:
            self._offset = timedelta(0) if moment is None else moment - datetime.now(UTC)

    @property
    def shifted(self) -> bool:
        return self._offset != timedelta(0)


_current: Clock = SystemClock()


def current() -> Clock:
    return _current


def install(clock: Clock) -> None:
    """Replace the process-wide clock (tests, local stack)."""
    global _current
    _current = clock

"""The clock tests set by hand."""

from __future__ import annotations

from datetime import datetime, timedelta


class FixedClock:
    """A clock tests set by hand."""

    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment

    def advance(self, by: timedelta) -> datetime:
        self.moment += by
        return self.moment

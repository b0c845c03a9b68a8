"""When does an Amazon EventBridge Scheduler schedule run next?

The local stack has no EventBridge Scheduler, so it fires schedules itself and needs to know
when. This module understands the three expression kinds Scheduler accepts:

* ``rate(N minute|minutes|hour|hours|day|days)``
* ``cron(minutes hours day-of-month month day-of-week year)``, evaluated in UTC
* ``at(yyyy-mm-ddThh:mm:ss)``, a one-time schedule, evaluated in UTC

Not supported (refused with ``ValueError``): ``W`` (nearest weekday) in day-of-month,
``#`` (nth weekday) and ``L`` (last weekday) in day-of-week, and ``ScheduleExpressionTimezone``
(everything is UTC).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

__all__ = ["NoMoreRuns", "next_run"]

MIN_YEAR = 1970
MAX_YEAR = 2199

_EXPRESSION = re.compile(r"(?P<kind>rate|cron|at)\((?P<body>.*)\)", re.DOTALL)
_RATE_BODY = re.compile(r"\s*(?P<count>[0-9]+)\s+(?P<unit>minutes?|hours?|days?)\s*")
_AT_BODY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
_NUMBER = re.compile(r"[0-9]+")

_RATE_UNITS: Mapping[str, timedelta] = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
}

_MONTH_NAMES: Mapping[str, int] = {
    name.upper(): number for number, name in enumerate(calendar.month_abbr) if name
}
# EventBridge numbers the week from Sunday = 1, unlike Python's Monday = 0.
_DAY_NAMES: Mapping[str, int] = {
    name: number for number, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 1)
}


class NoMoreRuns(Exception):
    """The schedule will never run again after the given moment."""


@dataclass(frozen=True)
class _FieldSpec:
    name: str
    low: int
    high: int
    names: Mapping[str, int]


_MINUTES = _FieldSpec("minutes", 0, 59, {})
_HOURS = _FieldSpec("hours", 0, 23, {})
_DAY_OF_MONTH = _FieldSpec("day-of-month", 1, 31, {})
_MONTH = _FieldSpec("month", 1, 12, _MONTH_NAMES)
_DAY_OF_WEEK = _FieldSpec("day-of-week", 1, 7, _DAY_NAMES)
_YEAR = _FieldSpec("year", MIN_YEAR, MAX_YEAR, {})


@dataclass(frozen=True)
class _Cron:
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    # None means the field is "?", so the other day field decides.
    days_of_month: frozenset[int] | None
    last_day_of_month: bool
    months: frozenset[int]
    days_of_week: frozenset[int] | None
    years: frozenset[int]

    def matches_date(self, day: date) -> bool:
        if day.year not in self.years or day.month not in self.months:
            return False
        if self.days_of_week is not None:
            return _eventbridge_weekday(day) in self.days_of_week
        if self.last_day_of_month and day.day == calendar.monthrange(day.year, day.month)[1]:
            return True
        return self.days_of_month is not None and day.day in self.days_of_month

    def first_time_from(self, hour: int, minute: int) -> time | None:
        """The earliest matching time of day at or after ``hour:minute``, if any."""
        for candidate_hour in self.hours[bisect_left(self.hours, hour) :]:
            earliest_minute = minute if candidate_hour == hour else 0
            index = bisect_left(self.minutes, earliest_minute)
            if index < len(self.minutes):
                return time(candidate_hour, self.minutes[index])
        return None


def next_run(expression: str, after: datetime) -> datetime:
    """Return the first moment strictly after ``after`` at which ``expression`` fires.

    ``after`` must be timezone-aware; the result is timezone-aware UTC. For ``rate(...)`` the
    caller passes the previous run time, and the next run is one interval later.

    Raises ``ValueError`` for a malformed expression or a naive ``after``, and ``NoMoreRuns``
    when the schedule never fires after ``after`` (a past ``at(...)``, or a ``cron(...)`` whose
    years are exhausted).
    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError(f"next_run({expression!r}) needs a timezone-aware datetime, got {after}")
    match = _EXPRESSION.fullmatch(expression)
    if match is None:
        raise ValueError(
            f"invalid schedule expression {expression!r}: expected rate(...), cron(...) or at(...)"
        )
    kind, body = match["kind"], match["body"]
    after_utc = after.astimezone(UTC)
    if kind == "rate":
        return after_utc + _parse_rate(expression, body)
    if kind == "at":
        moment = _parse_at(expression, body)
        if moment <= after_utc:
            raise NoMoreRuns(f"{expression!r} ran at {moment.isoformat()}, not after {after}")
        return moment
    return _next_cron_run(_parse_cron(expression, body), expression, after_utc)


def _parse_rate(expression: str, body: str) -> timedelta:
    match = _RATE_BODY.fullmatch(body)
    if match is None:
        raise ValueError(
            f"invalid schedule expression {expression!r}: expected rate(N unit) with unit "
            "minute(s), hour(s) or day(s)"
        )
    count = int(match["count"])
    if count < 1:
        raise ValueError(f"invalid schedule expression {expression!r}: the rate must be >= 1")
    return count * _RATE_UNITS[match["unit"].removesuffix("s")]


def _parse_at(expression: str, body: str) -> datetime:
    if _AT_BODY.fullmatch(body) is None:
        raise ValueError(
            f"invalid schedule expression {expression!r}: expected at(yyyy-mm-ddThh:mm:ss)"
        )
    try:
        moment = datetime.strptime(body, "%Y-%m-%dT%H:%M:%S")
    except ValueError as error:
        raise ValueError(f"invalid schedule expression {expression!r}: {error}") from None
    return moment.replace(tzinfo=UTC)


def _parse_cron(expression: str, body: str) -> _Cron:
    fields = body.split()
    if len(fields) != 6:
        raise ValueError(
            f"invalid schedule expression {expression!r}: cron needs 6 fields (minutes hours "
            f"day-of-month month day-of-week year), got {len(fields)}"
        )
    minutes, hours, day_of_month, month, day_of_week, year = fields
    if (day_of_month == "?") == (day_of_week == "?"):
        raise ValueError(
            f"invalid schedule expression {expression!r}: exactly one of day-of-month and "
            "day-of-week must be '?'"
        )

    days_of_month: frozenset[int] | None = None
    last_day_of_month = False
    if day_of_month.upper() == "L":
        last_day_of_month = True
        days_of_month = frozenset()
    elif day_of_month != "?":
        if "W" in day_of_month.upper():
            raise ValueError(
                f"invalid schedule expression {expression!r}: W (nearest weekday) in "
                "day-of-month is not supported"
            )
        if "L" in day_of_month.upper():
            raise ValueError(
                f"invalid schedule expression {expression!r}: L in day-of-month is only "
                "supported on its own"
            )
        days_of_month = frozenset(_parse_field(expression, day_of_month, _DAY_OF_MONTH))

    days_of_week: frozenset[int] | None = None
    if day_of_week != "?":
        if "#" in day_of_week:
            raise ValueError(
                f"invalid schedule expression {expression!r}: # (nth weekday of the month) in "
                "day-of-week is not supported"
            )
        # No day name contains an L, so any L here is the "last weekday" wildcard.
        if "L" in day_of_week.upper():
            raise ValueError(
                f"invalid schedule expression {expression!r}: L (last weekday of the month) in "
                "day-of-week is not supported"
            )
        days_of_week = frozenset(_parse_field(expression, day_of_week, _DAY_OF_WEEK))

    return _Cron(
        minutes=tuple(sorted(_parse_field(expression, minutes, _MINUTES))),
        hours=tuple(sorted(_parse_field(expression, hours, _HOURS))),
        days_of_month=days_of_month,
        last_day_of_month=last_day_of_month,
        months=frozenset(_parse_field(expression, month, _MONTH)),
        days_of_week=days_of_week,
        years=frozenset(_parse_field(expression, year, _YEAR)),
    )


def _parse_field(expression: str, field: str, spec: _FieldSpec) -> set[int]:
    values: set[int] = set()
    for item in field.split(","):
        values.update(_parse_item(expression, item, spec))
    return values


def _parse_item(expression: str, item: str, spec: _FieldSpec) -> range:
    base, slash, step_text = item.partition("/")
    step = 1
    if slash:
        if _NUMBER.fullmatch(step_text) is None or int(step_text) < 1:
            raise ValueError(
                f"invalid schedule expression {expression!r}: step {step_text!r} in "
                f"{spec.name} must be a whole number >= 1"
            )
        step = int(step_text)

    if base == "*":
        low, high = spec.low, spec.high
    elif "-" in base:
        start_text, _, end_text = base.partition("-")
        low = _parse_value(expression, start_text, spec)
        high = _parse_value(expression, end_text, spec)
        if low > high:
            raise ValueError(
                f"invalid schedule expression {expression!r}: range {base!r} in {spec.name} "
                "runs backwards"
            )
    else:
        low = _parse_value(expression, base, spec)
        # "a/n" means every n-th value from a to the end of the field.
        high = spec.high if slash else low
    return range(low, high + 1, step)


def _parse_value(expression: str, text: str, spec: _FieldSpec) -> int:
    if _NUMBER.fullmatch(text):
        value = int(text)
    elif text.upper() in spec.names:
        value = spec.names[text.upper()]
    else:
        raise ValueError(
            f"invalid schedule expression {expression!r}: {text!r} is not a valid {spec.name} value"
        )
    if not spec.low <= value <= spec.high:
        raise ValueError(
            f"invalid schedule expression {expression!r}: {spec.name} value {value} is outside "
            f"{spec.low}-{spec.high}"
        )
    return value


def _next_cron_run(cron: _Cron, expression: str, after: datetime) -> datetime:
    if after.year > MAX_YEAR:
        raise NoMoreRuns(f"{expression!r} never runs after {MAX_YEAR}")
    # Cron fires on whole minutes, so the first candidate is the next whole minute.
    start = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    day, hour, minute = start.date(), start.hour, start.minute
    # Skip whole years, months and days that cannot match before looking at times of day, so
    # sparse schedules (Feb 29th, a single year) cost a few thousand steps at most.
    while day.year <= MAX_YEAR:
        if day.year not in cron.years:
            day, hour, minute = date(day.year + 1, 1, 1), 0, 0
        elif day.month not in cron.months:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
            hour = minute = 0
        elif not cron.matches_date(day):
            day, hour, minute = day + timedelta(days=1), 0, 0
        else:
            at_time = cron.first_time_from(hour, minute)
            if at_time is not None:
                return datetime.combine(day, at_time, tzinfo=UTC)
            day, hour, minute = day + timedelta(days=1), 0, 0
    raise NoMoreRuns(f"{expression!r} never runs after {after.isoformat()}")


def _eventbridge_weekday(day: date) -> int:
    return day.isoweekday() % 7 + 1

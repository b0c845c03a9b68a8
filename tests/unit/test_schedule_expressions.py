"""Behaviour of the local EventBridge Scheduler expression evaluator."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ticketing_local.schedule_expressions import NoMoreRuns, next_run


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- rate(...) ---------------------------------------------------------------------------------


def test_hourly_rate_runs_an_hour_after_the_last_run() -> None:
    assert next_run("rate(1 hour)", utc(2025, 1, 10, 9, 15, 30)) == utc(2025, 1, 10, 10, 15, 30)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("rate(1 minute)", utc(2025, 1, 10, 9, 1)),
        ("rate(5 minutes)", utc(2025, 1, 10, 9, 5)),
        ("rate(2 hours)", utc(2025, 1, 10, 11, 0)),
        ("rate(1 day)", utc(2025, 1, 11, 9, 0)),
        ("rate(3 days)", utc(2025, 1, 13, 9, 0)),
        # Scheduler wants "1 minute" but "2 minutes"; being lenient locally costs nothing.
        ("rate(1 minutes)", utc(2025, 1, 10, 9, 1)),
        ("rate(2 hour)", utc(2025, 1, 10, 11, 0)),
    ],
)
def test_rate_adds_its_interval_to_the_last_run(expression: str, expected: datetime) -> None:
    assert next_run(expression, utc(2025, 1, 10, 9, 0)) == expected


def test_rate_answers_in_utc_whatever_the_zone_of_the_last_run() -> None:
    last_run = datetime(2025, 1, 10, 10, 0, tzinfo=timezone(timedelta(hours=1)))

    result = next_run("rate(5 minutes)", last_run)

    assert result == utc(2025, 1, 10, 9, 5)
    assert result.tzinfo is UTC


def test_daily_rate_crosses_month_and_year_ends() -> None:
    assert next_run("rate(1 day)", utc(2025, 12, 31, 23, 30)) == utc(2026, 1, 1, 23, 30)


# --- cron(...) ---------------------------------------------------------------------------------


def test_cron_every_fifteen_minutes_runs_on_the_quarter_hours() -> None:
    expression = "cron(*/15 * * * ? *)"

    assert next_run(expression, utc(2025, 1, 10, 9, 16, 59)) == utc(2025, 1, 10, 9, 30)
    assert next_run(expression, utc(2025, 1, 10, 9, 45)) == utc(2025, 1, 10, 10, 0)


def test_cron_never_returns_the_moment_it_was_asked_about() -> None:
    expression = "cron(0 9 * * ? *)"

    assert next_run(expression, utc(2025, 1, 10, 9, 0)) == utc(2025, 1, 11, 9, 0)
    just_before = utc(2025, 1, 10, 8, 59, 59) + timedelta(microseconds=999_999)
    assert next_run(expression, just_before) == utc(2025, 1, 10, 9, 0)


def test_cron_seconds_after_a_run_wait_for_the_next_one() -> None:
    assert next_run("cron(0 9 * * ? *)", utc(2025, 1, 10, 9, 0, 1)) == utc(2025, 1, 11, 9, 0)


@pytest.mark.parametrize("weekdays", ["MON-FRI", "2-6", "mon-fri", "MON,TUE,WED,THU,FRI"])
def test_cron_weekday_mornings_skip_the_weekend(weekdays: str) -> None:
    expression = f"cron(0 8 ? * {weekdays} *)"
    friday_run = utc(2025, 1, 10, 8, 0)

    assert next_run(expression, utc(2025, 1, 9, 8, 0)) == friday_run
    assert next_run(expression, friday_run) == utc(2025, 1, 13, 8, 0)


@pytest.mark.parametrize(
    ("day_of_week", "expected"),
    [
        ("1", utc(2025, 1, 12, 12, 0)),  # Sunday
        ("SUN", utc(2025, 1, 12, 12, 0)),
        ("7", utc(2025, 1, 11, 12, 0)),  # Saturday
        ("SAT", utc(2025, 1, 11, 12, 0)),
        ("WED", utc(2025, 1, 15, 12, 0)),
    ],
)
def test_cron_day_of_week_counts_from_sunday(day_of_week: str, expected: datetime) -> None:
    wednesday_afternoon = utc(2025, 1, 8, 13, 0)

    assert next_run(f"cron(0 12 ? * {day_of_week} *)", wednesday_afternoon) == expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (utc(2025, 1, 10), utc(2025, 1, 31, 18, 0)),
        (utc(2025, 1, 31, 18, 0), utc(2025, 2, 28, 18, 0)),
        (utc(2025, 2, 28, 18, 0), utc(2025, 3, 31, 18, 0)),
        (utc(2025, 4, 1), utc(2025, 4, 30, 18, 0)),
        (utc(2028, 2, 1), utc(2028, 2, 29, 18, 0)),
        (utc(2025, 12, 31, 18, 0), utc(2026, 1, 31, 18, 0)),
    ],
)
def test_cron_last_day_of_month(after: datetime, expected: datetime) -> None:
    assert next_run("cron(0 18 L * ? *)", after) == expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (utc(2025, 3, 1), utc(2028, 2, 29, 9, 0)),
        (utc(2028, 2, 29, 9, 0), utc(2032, 2, 29, 9, 0)),
        # 2100 is divisible by 4 but not a leap year.
        (utc(2096, 3, 1), utc(2104, 2, 29, 9, 0)),
    ],
)
def test_leap_day(after: datetime, expected: datetime) -> None:
    assert next_run("cron(0 9 29 2 ? *)", after) == expected


def test_sparse_cron_is_answered_without_walking_every_minute() -> None:
    started = time.perf_counter()

    assert next_run("cron(0 9 29 2 ? *)", utc(2096, 3, 1)) == utc(2104, 2, 29, 9, 0)
    with pytest.raises(NoMoreRuns):
        next_run("cron(0 0 30 2 ? *)", utc(1970, 1, 1))  # Feb 30th: every year is searched

    assert time.perf_counter() - started < 1.0


def test_cron_month_names_and_lists() -> None:
    expression = "cron(30 6 1 JAN,JUL ? *)"

    assert next_run(expression, utc(2025, 1, 10)) == utc(2025, 7, 1, 6, 30)
    assert next_run(expression, utc(2025, 7, 1, 6, 30)) == utc(2026, 1, 1, 6, 30)


def test_cron_month_range() -> None:
    expression = "cron(0 0 1 MAR-MAY ? *)"

    assert next_run(expression, utc(2025, 1, 10)) == utc(2025, 3, 1)
    assert next_run(expression, utc(2025, 5, 1)) == utc(2026, 3, 1)


def test_cron_step_from_a_start_value_runs_to_the_end_of_the_field() -> None:
    expression = "cron(5/20 * * * ? *)"  # minutes 5, 25, 45

    assert next_run(expression, utc(2025, 1, 10, 9, 26)) == utc(2025, 1, 10, 9, 45)
    assert next_run(expression, utc(2025, 1, 10, 9, 45)) == utc(2025, 1, 10, 10, 5)


def test_cron_step_within_a_range() -> None:
    expression = "cron(0 8-18/4 * * ? *)"  # hours 8, 12, 16

    assert next_run(expression, utc(2025, 1, 10, 8, 0)) == utc(2025, 1, 10, 12, 0)
    assert next_run(expression, utc(2025, 1, 10, 16, 0)) == utc(2025, 1, 11, 8, 0)


def test_cron_days_of_month_list() -> None:
    expression = "cron(0 0 1,15 * ? *)"

    assert next_run(expression, utc(2025, 1, 10)) == utc(2025, 1, 15)
    assert next_run(expression, utc(2025, 1, 15)) == utc(2025, 2, 1)


def test_cron_rolls_over_the_end_of_the_year() -> None:
    assert next_run("cron(0 0 * * ? *)", utc(2025, 12, 31, 23, 59, 59)) == utc(2026, 1, 1)


def test_cron_is_evaluated_in_utc() -> None:
    half_past_ten_in_athens = datetime(2025, 1, 10, 10, 30, tzinfo=timezone(timedelta(hours=2)))

    result = next_run("cron(0 9 * * ? *)", half_past_ten_in_athens)

    assert result == utc(2025, 1, 10, 9, 0)
    assert result.tzinfo is UTC


def test_cron_year_field_limits_the_runs() -> None:
    expression = "cron(0 0 1 1 ? 2027)"

    assert next_run(expression, utc(2025, 1, 10)) == utc(2027, 1, 1)
    with pytest.raises(NoMoreRuns):
        next_run(expression, utc(2027, 1, 1))


def test_cron_year_range_and_list() -> None:
    assert next_run("cron(0 0 1 1 ? 2030-2032)", utc(2030, 1, 1)) == utc(2031, 1, 1)
    assert next_run("cron(0 0 1 1 ? 2026,2029)", utc(2026, 6, 1)) == utc(2029, 1, 1)


def test_cron_after_the_last_supported_year_has_no_more_runs() -> None:
    assert next_run("cron(59 23 31 12 ? *)", utc(2199, 1, 1)) == utc(2199, 12, 31, 23, 59)
    with pytest.raises(NoMoreRuns):
        next_run("cron(59 23 31 12 ? *)", utc(2199, 12, 31, 23, 59))


# --- at(...) -----------------------------------------------------------------------------------


def test_at_runs_once_at_its_moment() -> None:
    assert next_run("at(2025-03-01T12:00:00)", utc(2025, 1, 10)) == utc(2025, 3, 1, 12, 0)


def test_at_compares_moments_across_zones() -> None:
    an_hour_earlier_in_utc = datetime(2025, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=1)))

    result = next_run("at(2025-03-01T12:00:00)", an_hour_earlier_in_utc)

    assert result == utc(2025, 3, 1, 12, 0)
    assert result.tzinfo is UTC


@pytest.mark.parametrize("after", [utc(2025, 3, 1, 12, 0), utc(2025, 3, 1, 12, 0, 1)])
def test_at_in_the_past_has_no_more_runs(after: datetime) -> None:
    expression = "at(2025-03-01T12:00:00)"
    assert next_run(expression, utc(2025, 3, 1, 11, 59, 59)) == utc(2025, 3, 1, 12, 0)

    with pytest.raises(NoMoreRuns, match=r"2025-03-01T12:00:00"):
        next_run(expression, after)


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "every(5 minutes)",
        "rate(5 minutes) ",
        "RATE(5 minutes)",
        "rate(0 minutes)",
        "rate(-1 hours)",
        "rate(5)",
        "rate(5 weeks)",
        "rate(1.5 hours)",
        "cron(0 9 * * ?)",
        "cron(0 9 * * ? * *)",
        "cron(0 9 * * * *)",
        "cron(0 9 ? * ? *)",
        "cron(60 9 * * ? *)",
        "cron(0 24 * * ? *)",
        "cron(0 9 0 * ? *)",
        "cron(0 9 32 * ? *)",
        "cron(0 9 * 13 ? *)",
        "cron(0 9 * FOO ? *)",
        "cron(0 9 ? * 0 *)",
        "cron(0 9 ? * 8 *)",
        "cron(0 9 ? * MONDAY *)",
        "cron(0 9 * * ? 1969)",
        "cron(0 9 * * ? 2200)",
        "cron(*/0 9 * * ? *)",
        "cron(*/x 9 * * ? *)",
        "cron(0/5/5 9 * * ? *)",
        "cron(10-5 9 * * ? *)",
        "cron(1-2-3 9 * * ? *)",
        "cron(? 9 * * ? *)",
        "cron(0 9 1,,2 * ? *)",
        "cron(0 9 L-2 * ? *)",
        "at(2025-02-30T00:00:00)",
        "at(2025-01-10 09:00:00)",
        "at(2025-01-10T09:00)",
        "at(2025-01-10T09:00:00Z)",
    ],
)
def test_malformed_expressions_are_refused(expression: str) -> None:
    with pytest.raises(ValueError, match=r"invalid schedule expression") as refused:
        next_run(expression, utc(2025, 1, 10))

    assert repr(expression) in str(refused.value)


@pytest.mark.parametrize(
    ("expression", "feature"),
    [
        ("cron(0 9 15W * ? *)", "W"),
        ("cron(0 9 LW * ? *)", "W"),
        ("cron(0 9 ? * 6#3 *)", "#"),
        ("cron(0 9 ? * 6L *)", "L"),
    ],
)
def test_nth_and_nearest_weekday_wildcards_are_refused_as_unsupported(
    expression: str, feature: str
) -> None:
    with pytest.raises(ValueError, match=r"not supported") as refused:
        next_run(expression, utc(2025, 1, 10))

    assert f"{feature} " in str(refused.value)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match=r"timezone-aware"):
        next_run("rate(1 hour)", datetime(2025, 1, 10, 9, 0))

"""The order's calendar file (issue 11): RFC 5545 as a calendar reads it (its attachment to
the confirmation: tests/unit/services/test_calendar_attachment.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ticketing.documents.calendar import CalendarEntry, render_calendar

BERLIN_SUMMER = timezone(timedelta(hours=2))
ENTRY = CalendarEntry(
    uid="order-72BE-040526-000001@tickets.example",
    summary="INTERFORST 2026; Fachmesse, Forst & Technik",
    location="Messe München, Halle A1\nEingang West",
    starts_at=datetime(2026, 7, 12, 9, 0, tzinfo=BERLIN_SUMMER),
    ends_at=datetime(2026, 7, 16, 18, 0, tzinfo=BERLIN_SUMMER),
    stamp=datetime(2026, 5, 4, 10, 0, tzinfo=UTC),
    description="Bestellung 72BE-040526-000001: 3 Ticket(s). " + "Ä" * 60,
    organizer="Demo Messe GmbH",
    organizer_email="tickets@demo-messe.example",
)


def parse_ics(data: bytes) -> list[dict[str, tuple[dict[str, str], str]]]:
    """A tiny reader of RFC 5545: unfold lines (CRLF + space), split ``NAME;PARAMS:VALUE``,
    unescape TEXT values; the components as dictionaries, outermost first."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    lines = text.replace("\r\n ", "").split("\r\n")
    assert lines[-1] == ""
    components: list[dict[str, tuple[dict[str, str], str]]] = []
    stack: list[dict[str, tuple[dict[str, str], str]]] = []
    for line in lines[:-1]:
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        if name == "BEGIN":
            stack.append({"BEGIN": ({}, value)})
            components.append(stack[-1])
            continue
        if name == "END":
            assert stack.pop()["BEGIN"][1] == value
            continue
        parameters = dict(p.split("=", 1) for p in params)
        unescaped = (
            value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
        )
        stack[-1][name] = (parameters, unescaped)
    assert not stack
    return components


def test_the_calendar_file_is_rfc_5545_with_utc_times() -> None:
    data = render_calendar(ENTRY)

    calendar, event = parse_ics(data)
    assert calendar["BEGIN"][1] == "VCALENDAR"
    assert calendar["VERSION"][1] == "2.0"
    assert calendar["PRODID"][1]
    assert event["BEGIN"][1] == "VEVENT"
    assert event["UID"][1] == "order-72BE-040526-000001@tickets.example"
    assert event["DTSTART"][1] == "20260712T070000Z"
    assert event["DTEND"][1] == "20260716T160000Z"
    assert event["DTSTAMP"][1] == "20260504T100000Z"
    assert event["SUMMARY"][1] == "INTERFORST 2026; Fachmesse, Forst & Technik"
    assert event["LOCATION"][1] == "Messe München, Halle A1\nEingang West"
    assert event["DESCRIPTION"][1].endswith("Ä" * 60)
    assert event["ORGANIZER"] == ({"CN": '"Demo Messe GmbH"'}, "mailto:tickets@demo-messe.example")


def test_long_lines_are_folded_at_75_octets_between_characters() -> None:
    data = render_calendar(ENTRY)

    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no line cuts a character in two
    assert b"\r\n " in data


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        render_calendar(
            CalendarEntry(
                uid="x",
                summary="x",
                location="x",
                starts_at=datetime(2026, 7, 12, 9, 0),  # naive: the case under test
                ends_at=ENTRY.ends_at,
                stamp=ENTRY.stamp,
            )
        )

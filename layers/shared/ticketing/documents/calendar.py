"""An order's event as an iCalendar file (RFC 5545), attached to its confirmation (issue 11).

One ``VEVENT``: the event's name (``SUMMARY``), its venue (``LOCATION``), start and end in UTC
(``DTSTART``/``DTEND`` ending in ``Z``: every calendar shows them in its own zone), and a
``UID`` per order, so that a second confirmation of the same order updates the entry instead of
adding another. Written by hand: the format is a few lines of text, not worth a dependency.
Text values are escaped (``\\``, ``;``, ``,``, line breaks) and lines folded at 75 octets, as
the RFC asks; lines end in CRLF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["CALENDAR", "CalendarEntry", "render_calendar"]

CALENDAR = "text/calendar"
_PRODUCT = "-//ticketing//Tickets//EN"
_LINE_OCTETS = 75


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    uid: str  # globally unique and stable: one per order
    summary: str
    location: str
    starts_at: datetime  # aware
    ends_at: datetime
    stamp: datetime  # when the entry was made (the order's time)
    description: str = ""
    url: str = ""
    organizer: str = ""  # the organizer's name and address: the entry's ORGANIZER
    organizer_email: str = ""


def render_calendar(entry: CalendarEntry) -> bytes:
    """The ``.ics`` file of one entry, UTF-8."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{_text(entry.uid)}",
        f"DTSTAMP:{_utc(entry.stamp)}",
        f"DTSTART:{_utc(entry.starts_at)}",
        f"DTEND:{_utc(entry.ends_at)}",
        f"SUMMARY:{_text(entry.summary)}",
        f"LOCATION:{_text(entry.location)}",
    ]
    if entry.description:
        lines.append(f"DESCRIPTION:{_text(entry.description)}")
    if entry.url:
        lines.append(f"URL:{entry.url}")
    if entry.organizer_email:
        # a cal-address (a mailto: URI), the name in its CN parameter
        name = f';CN="{_parameter(entry.organizer)}"' if entry.organizer else ""
        lines.append(f"ORGANIZER{name}:mailto:{entry.organizer_email}")
    lines += ["TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(f"{_fold(line)}\r\n" for line in lines).encode("utf-8")


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar times must be aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _parameter(value: str) -> str:
    """A quoted parameter value: no quotes, no control characters."""
    return "".join(c for c in value if c != '"' and c.isprintable())


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space, cut
    between characters (never inside a UTF-8 sequence)."""
    parts: list[str] = []
    current, size, limit = "", 0, _LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, _LINE_OCTETS - 1  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)

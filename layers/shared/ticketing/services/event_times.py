"""What an event's times allow: nothing is booked, redeemed or checked in once it is over,
and nothing is checked in before its check-in opens (where the organizer set a time).

Each refusal is a 409 that names the moment, in the event's time zone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.domain.errors import Conflict

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.domain.events import Event

# what is refused once the event is over -> the English words of the refusal
_OVER = {
    "problem.booking.event_over": "This event ended on {ends_at}; it can no longer be booked.",
    "problem.voucher.event_over": (
        "This event ended on {ends_at}; vouchers can no longer be redeemed."
    ),
    "problem.checkin.over": "This event ended on {ends_at}; check-in is closed.",
}


def refuse_if_over(event: Event, now: datetime, message_id: str) -> None:
    """Refuse (409) what ``message_id`` names once ``event`` has ended."""
    if event.ends_at <= now:
        ends_at = _local(event, event.ends_at)
        raise Conflict(
            _OVER[message_id].format(ends_at=f"{ends_at:%Y-%m-%d %H:%M}"),
            message_id=message_id,
            params={"ends_at": ends_at},
        )


def refuse_unless_check_in_open(event: Event, now: datetime) -> None:
    """Check-in runs from the event's ``checkin_opens_at`` (any time, if unset) to its end."""
    refuse_if_over(event, now, "problem.checkin.over")
    opens_at = event.checkin_opens_at
    if opens_at is not None and now < opens_at:
        local = _local(event, opens_at)
        raise Conflict(
            f"Check-in for this event opens on {local:%Y-%m-%d %H:%M}.",
            message_id="problem.checkin.not_open",
            params={"opens_at": local},
        )


def _local(event: Event, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(event.timezone))

"""The calendar file of an order (issue 11): its event as an ``.ics`` entry for the
confirmation mail, one ``UID`` per order.

The entry holds no link: the order's page and ticket links carry secrets, and a calendar entry
is often synced to third parties. It names the order number instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ticketing.documents.calendar import CALENDAR, CalendarEntry, render_calendar
from ticketing.i18n import translate
from ticketing.mail.render import Attachment

if TYPE_CHECKING:
    from ticketing.domain.events import Event
    from ticketing.domain.orders import Order
    from ticketing.domain.parties import Organizer


def calendar_entry(
    order: Order, event: Event, organizer: Organizer | None, base_url: str
) -> CalendarEntry:
    host = urlsplit(base_url).hostname or "ticketing.invalid"
    description = translate(
        order.language,
        "calendar.description",
        order_number=order.order_number,
        quantity=order.quantity,
    )
    return CalendarEntry(
        uid=f"order-{order.order_number}@{host}",
        summary=event.name,
        location=event.venue,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        stamp=order.created_at,
        description=description,
        organizer=organizer.name if organizer else "",
        organizer_email=str(organizer.contact_email or organizer.email) if organizer else "",
    )


def calendar_attachment(
    order: Order, event: Event, organizer: Organizer | None, base_url: str
) -> Attachment:
    """The order's event as ``event-{order number}.ics``."""
    data = render_calendar(calendar_entry(order, event, organizer, base_url))
    return Attachment(f"event-{order.order_number}.ics", CALENDAR, data)

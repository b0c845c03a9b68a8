"""The order confirmation carries the event as a calendar file (issue 11), on the fakes."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair
from tests.unit.test_calendar_file import parse_ics
from ticketing.adapters.ses_mailer import build_mime
from ticketing.services import confirmations
from ticketing.services.bookings import book
from ticketing.services.confirmations import Composing
from ticketing.services.mail import deliver
from ticketing.services.ordering import confirmation_request


def test_the_confirmation_carries_the_events_calendar_file(platform: FakePlatform) -> None:
    platform.access.add_party(samples.an_organizer(), None)
    event = a_fair(platform)
    order, _, _ = book(
        platform.booking(),
        samples.organizer_of(event),
        event.event_id,
        samples.a_booking_request(2),
    )
    deps = Composing(
        platform.orders,
        platform.events,
        platform.documents,
        platform.access,
        platform.clock,
        "https://tickets.example",
    )

    assert deliver(
        platform.mailer,
        platform.sent_mail,
        platform.clock,
        confirmation_request(order, "confirm-1"),
        lambda r: confirmations.compose(deps, r),
    )

    [sent] = platform.mailer.sent
    raw = build_mime("noreply@platform.example", sent.to, sent.mail, sent.attachments)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    [ics] = [p for p in parsed.iter_attachments() if p.get_filename().endswith(".ics")]  # type: ignore[union-attr]
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_filename() == f"event-{order.order_number}.ics"
    _, entry = parse_ics(ics.get_payload(decode=True))  # type: ignore[arg-type]
    assert entry["UID"][1] == f"order-{order.order_number}@tickets.example"
    assert entry["SUMMARY"][1] == event.name
    assert entry["LOCATION"][1] == event.venue
    assert entry["DTSTART"][1] == event.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert entry["DTEND"][1] == event.ends_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert order.order_number in entry["DESCRIPTION"][1]

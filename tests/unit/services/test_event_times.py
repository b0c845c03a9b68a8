"""What an event's times allow, on the fakes: no event that is over before it is made, no
booking, registration or check-in once it is over, no check-in before ``checkin_opens_at``."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import (
    a_booked_order,
    a_fair,
    a_visitor,
    an_exhibitor,
    issued_vouchers,
)
from tests.unit.services.test_events import ORGANIZER, a_draft
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.events import Event, EventDraft
from ticketing.services.bookings import book
from ticketing.services.checkins import check_in, check_in_order
from ticketing.services.events import create_event
from ticketing.services.visitor_vouchers.registration import register

# the fakes' clock stands at 2026-05-04; a fair that ended the day before
ENDED = {"starts_at": "2026-05-01T09:00:00+02:00", "ends_at": "2026-05-03T18:00:00+02:00"}


def test_an_event_that_ends_in_the_past_is_refused_on_ends_at(platform: FakePlatform) -> None:
    with pytest.raises(InvalidRequest) as refused:
        create_event(platform.event_desk(), ORGANIZER, a_draft(starts="2026-04-01T09:00:00+02:00"))

    assert refused.value.field == "ends_at"
    assert refused.value.message_id == "problem.event.ends_in_past"
    assert platform.db.events == {}


def test_an_event_that_ends_in_the_future_is_made(platform: FakePlatform) -> None:
    event, created = create_event(platform.event_desk(), ORGANIZER, a_draft())

    assert created
    assert event.checkin_opens_at is None


def test_check_in_opens_before_the_events_end() -> None:
    draft = a_draft().model_dump()
    with pytest.raises(ValidationError, match="checkin_opens_at must be before ends_at"):
        EventDraft(**{**draft, "checkin_opens_at": draft["ends_at"]})

    opens = draft["starts_at"] - timedelta(hours=1)
    assert EventDraft(**{**draft, "checkin_opens_at": opens}).checkin_opens_at == opens


def test_an_event_that_is_over_takes_no_booking(platform: FakePlatform) -> None:
    event = a_fair(platform, **ENDED)
    request = samples.a_booking_request(1)

    with pytest.raises(Conflict) as refused:
        book(platform.booking(), samples.organizer_of(event), event.event_id, request)

    assert refused.value.message_id == "problem.booking.event_over"
    assert "2026-05-03 18:00" in refused.value.detail
    assert refused.value.params["ends_at"] == event.ends_at
    assert platform.events.get(event.event_id).sold == 0  # type: ignore[union-attr]


def test_an_event_that_is_over_takes_no_voucher_registration(platform: FakePlatform) -> None:
    event = a_fair(platform, **ENDED)
    valid_until = platform.clock.now() + timedelta(days=30)  # beyond the end, on purpose
    _, [code] = issued_vouchers(platform, event, an_exhibitor(platform, event), 1, valid_until)

    with pytest.raises(Conflict) as refused:
        register(platform.registration_desk(), "203.0.113.10", code, a_visitor(), lambda _: None)

    assert refused.value.message_id == "problem.voucher.event_over"
    assert platform.db.attempts == {}  # no guess


def over(platform: FakePlatform, event: Event) -> None:
    platform.clock.moment = event.ends_at + timedelta(minutes=1)


def test_no_check_in_after_the_events_end(platform: FakePlatform) -> None:
    event = a_fair(platform)
    order = a_booked_order(platform, event, 2)
    organizer = samples.organizer_of(event)
    over(platform, event)

    with pytest.raises(Conflict) as one:
        check_in(
            platform.orders, platform.clock, organizer, order.positions[0].secret, platform.events
        )
    with pytest.raises(Conflict) as every:
        check_in_order(platform.orders, platform.clock, organizer, order, platform.events)

    assert one.value.message_id == every.value.message_id == "problem.checkin.over"
    fresh = platform.orders.get(order.order_number)
    assert fresh is not None
    assert all(p.checked_in_at is None for p in fresh.positions)


def test_check_in_waits_for_the_time_the_organizer_set(platform: FakePlatform) -> None:
    opens = datetime.fromisoformat("2030-07-08T07:30:00+02:00")
    event = samples.a_fair().model_copy(update={"checkin_opens_at": opens})
    platform.events.add(event)
    order = a_booked_order(platform, event, 2)
    organizer = samples.organizer_of(event)
    secret = order.positions[0].secret

    with pytest.raises(Conflict) as early:
        check_in(platform.orders, platform.clock, organizer, secret, platform.events)
    with pytest.raises(Conflict):
        check_in_order(platform.orders, platform.clock, organizer, order, platform.events)
    platform.clock.moment = opens
    done = check_in(platform.orders, platform.clock, organizer, secret, platform.events)

    assert early.value.message_id == "problem.checkin.not_open"
    assert "2030-07-08 07:30" in early.value.detail
    assert done.checked_in_at == opens


def test_without_an_opening_time_check_in_is_open_until_the_end(platform: FakePlatform) -> None:
    event = a_fair(platform)  # 2030; the clock stands in 2026
    order = a_booked_order(platform, event, 1)
    platform.clock.moment = event.ends_at - timedelta(seconds=1)

    done = check_in(
        platform.orders,
        platform.clock,
        samples.organizer_of(event),
        order.positions[0].secret,
        platform.events,
    )

    assert done.checked_in_at == platform.clock.now()

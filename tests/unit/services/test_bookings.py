"""Bookings outside the shop (seed 001) on the fakes: once per key, never beyond capacity,
and the confirmation never lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.events import Event
from ticketing.domain.orders import Order
from ticketing.services import ordering
from ticketing.services.bookings import book
from ticketing.services.recovery import queue_pending_mail


def booked(
    platform: FakePlatform, event: Event, quantity: int, key: str | None = None
) -> tuple[Order, Event, bool]:
    request = samples.a_booking_request(quantity)
    return book(platform.booking(), samples.organizer_of(event), event.event_id, request, key)


def test_a_booking_takes_its_places_and_queues_its_confirmation(platform: FakePlatform) -> None:
    event = a_fair(platform, capacity=10)

    order, _, created = book(
        platform.booking(),
        samples.organizer_of(event),
        event.event_id,
        samples.a_booking_request(3),
    )

    assert created is True
    assert platform.events.get(event.event_id).sold == 3  # type: ignore[union-attr]
    assert len(platform.orders.get(order.order_number).positions) == 3  # type: ignore[union-attr]
    assert order.total == 3 * event.price_options[0].price
    [mail] = platform.mail.requests
    assert (mail.template, mail.to, mail.order_number) == (
        "order_confirmation",
        ["erika@example.org"],
        order.order_number,
    )
    assert platform.outbox.entries == []


def test_a_retried_booking_returns_the_first_order(platform: FakePlatform) -> None:
    event = a_fair(platform, capacity=10)
    organizer, request = samples.organizer_of(event), samples.a_booking_request(2)

    first, _, created = book(platform.booking(), organizer, event.event_id, request, "key-1")
    again, _, repeated = book(platform.booking(), organizer, event.event_id, request, "key-1")

    assert (created, repeated) == (True, False)
    assert again == first
    assert list(platform.db.orders) == [first.order_number]
    assert platform.events.get(event.event_id).sold == 2  # type: ignore[union-attr]
    assert len(platform.mail.requests) == 1


def test_a_retry_of_the_booking_that_took_the_last_places_still_returns_its_order(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform, capacity=2)
    organizer, request = samples.organizer_of(event), samples.a_booking_request(2)
    first, _, _ = book(platform.booking(), organizer, event.event_id, request, "key-1")

    again, _, created = book(platform.booking(), organizer, event.event_id, request, "key-1")

    assert (again.order_number, created) == (first.order_number, False)


def test_the_same_idempotency_key_with_another_body_is_refused(platform: FakePlatform) -> None:
    event = a_fair(platform, capacity=10)
    organizer = samples.organizer_of(event)
    book(platform.booking(), organizer, event.event_id, samples.a_booking_request(1), "key-1")

    with pytest.raises(InvalidRequest) as refused:
        book(platform.booking(), organizer, event.event_id, samples.a_booking_request(2), "key-1")

    assert refused.value.field == "Idempotency-Key"
    assert len(platform.db.orders) == 1


def test_the_same_idempotency_key_for_another_event_is_refused(platform: FakePlatform) -> None:
    event, other = a_fair(platform), a_fair(platform)
    organizer, request = samples.organizer_of(event), samples.a_booking_request(1)
    book(platform.booking(), organizer, event.event_id, request, "key-1")

    with pytest.raises(InvalidRequest):
        book(platform.booking(), organizer, other.event_id, request, "key-1")
    assert platform.events.get(other.event_id).sold == 0  # type: ignore[union-attr]


def test_a_twin_that_took_the_key_first_answers_with_its_order(platform: FakePlatform) -> None:
    event = a_fair(platform, capacity=10)
    organizer, request = samples.organizer_of(event), samples.a_booking_request(2)
    twins = []
    # the twin request with the same key commits between this one's reads and its commit
    platform.db.before_next_commit(
        lambda: twins.append(book(platform.booking(), organizer, event.event_id, request, "k"))
    )

    order, _, created = book(platform.booking(), organizer, event.event_id, request, "k")

    [(twin, _, twin_created)] = twins
    assert (twin_created, created) == (True, False)
    assert order == twin
    assert len(platform.db.orders) == 1
    assert platform.events.get(event.event_id).sold == 2  # type: ignore[union-attr]


def test_the_last_place_goes_to_one_of_two_bookings(platform: FakePlatform) -> None:
    event = a_fair(platform, capacity=1)
    organizer = samples.organizer_of(event)
    both_read = threading.Barrier(2, timeout=5)
    platform.db.before_commit = both_read.wait  # both checked the place left, then commit

    def booking() -> object:
        try:
            return book(platform.booking(), organizer, event.event_id, samples.a_booking_request(1))
        except Conflict as refused:
            return refused

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _: booking(), range(2)))

    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == 1
    assert conflicts[0].detail == "only 0 tickets are left for this event; 1 were asked for"
    assert len(platform.db.orders) == 1
    assert platform.events.get(event.event_id).sold == 1  # type: ignore[union-attr]
    assert len(platform.mail.requests) == 1


def test_a_booking_of_more_than_is_left_is_refused_before_anything_is_written(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform, capacity=2)

    # issue 10: a Conflict (409) like the race's, no longer an InvalidRequest on quantity
    with pytest.raises(Conflict) as refused:
        book(
            platform.booking(),
            samples.organizer_of(event),
            event.event_id,
            samples.a_booking_request(3),
        )

    assert refused.value.detail == "only 2 tickets are left for this event; 3 were asked for"
    assert refused.value.extensions == {"remaining": 2, "requested": 3}
    assert platform.db.commits == 1  # the event itself


def test_an_order_number_drawn_twice_is_drawn_again(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = a_fair(platform, capacity=10)
    organizer = samples.organizer_of(event)
    first, _, _ = book(platform.booking(), organizer, event.event_id, samples.a_booking_request(1))
    drawn = iter([first.order_number, "72BE-040526-123456"])
    monkeypatch.setattr(ordering, "new_order_number", lambda prefix, day: next(drawn))

    second, _, _ = book(platform.booking(), organizer, event.event_id, samples.a_booking_request(1))

    assert second.order_number == "72BE-040526-123456"
    assert platform.orders.get(first.order_number).quantity == 1  # type: ignore[union-attr]
    assert platform.events.get(event.event_id).sold == 2  # type: ignore[union-attr]


def test_a_booking_whose_mail_queue_is_down_keeps_its_mail_pending(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform, capacity=10)
    platform.mail.down = True

    order, _, created = book(
        platform.booking(),
        samples.organizer_of(event),
        event.event_id,
        samples.a_booking_request(1),
    )

    assert created is True
    assert platform.orders.get(order.order_number) is not None
    assert platform.mail.requests == []
    [pending] = platform.outbox.entries
    assert (pending.template, pending.order_number) == ("order_confirmation", order.order_number)


def test_recovery_queues_pending_mail_once_the_queue_is_back(platform: FakePlatform) -> None:
    event = a_fair(platform, capacity=10)
    platform.mail.down = True
    order, _, _ = book(
        platform.booking(),
        samples.organizer_of(event),
        event.event_id,
        samples.a_booking_request(1),
    )
    platform.mail.down = False

    too_soon = queue_pending_mail(platform.outbox, platform.mail, platform.clock)
    platform.clock.advance(timedelta(minutes=3))
    queued = queue_pending_mail(platform.outbox, platform.mail, platform.clock)
    again = queue_pending_mail(platform.outbox, platform.mail, platform.clock)

    assert (too_soon, queued, again) == (0, 1, 0)
    assert [r.order_number for r in platform.mail.requests] == [order.order_number]
    assert platform.outbox.entries == []

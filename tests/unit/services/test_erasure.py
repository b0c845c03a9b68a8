"""Seed 002 "Recht auf Vergessenwerden" on the fakes: an organizer erases a person; what
identifies them goes, what accounting needs stays, and the exhibitor's bill does not change."""

from __future__ import annotations

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, a_visitor, an_exhibitor, issued_vouchers
from ticketing.domain.erasure import ERASED
from ticketing.domain.orders import Order
from ticketing.services.bookings import book
from ticketing.services.checkins import check_in
from ticketing.services.erasure import erasure_status, request_erasure, run_erasure
from ticketing.services.visitor_vouchers.billing import statement
from ticketing.services.visitor_vouchers.registration import register

EMAIL = "erika@example.org"


def no_pause(seconds: float) -> None:
    return None


def booked_and_registered(platform: FakePlatform) -> tuple[Order, Order]:
    """A booking of one event and a voucher registration of another, by the same person."""
    concert = a_fair(platform)
    fair = samples.a_fair(organizer_id=concert.organizer_id)
    platform.events.add(fair)
    organizer = samples.organizer_of(concert)
    booked, _, _ = book(
        platform.booking(), organizer, concert.event_id, samples.a_booking_request(2), "k1"
    )
    exhibitor = an_exhibitor(platform, fair)
    _, codes = issued_vouchers(platform, fair, exhibitor, 2)
    registered = register(
        platform.registration_desk(),
        "203.0.113.9",
        codes[0],
        a_visitor("Erika+fair@Example.org"),
        no_pause,
    ).order
    check_in(
        platform.orders, platform.clock, organizer, registered.positions[0].secret, platform.events
    )
    return booked, registered


def test_an_erased_person_is_gone_from_orders_and_registrations(platform: FakePlatform) -> None:
    booked, registered = booked_and_registered(platform)
    organizer = samples.organizer_of(platform.events.get(booked.event_id))  # type: ignore[arg-type]
    fair = platform.events.get(registered.event_id)
    assert fair is not None
    exhibitor = samples.exhibitor_principal(
        platform.access.get_exhibitor(registered.exhibitor_id or "")  # type: ignore[arg-type]
    )
    bill_before = statement(platform.billing(), exhibitor, fair.event_id)

    erasure = request_erasure(platform.erasure_desk(), organizer, EMAIL)
    assert platform.erasure_queue.sent == [erasure.erasure_id]
    run_erasure(platform.erasure_desk(), erasure.erasure_id)

    done = erasure_status(platform.erasure_desk(), organizer, erasure.erasure_id)
    assert done.state == "done"
    assert done.counts["orders"] == 2
    assert done.counts["positions"] == 3
    assert (done.counts["voucher_registrations"], done.counts["claims"]) == (1, 1)
    for number, original in ((booked.order_number, booked), (registered.order_number, registered)):
        order = platform.orders.get(number)
        assert order is not None
        assert order.customer.email is None
        assert order.customer.last_name == ERASED
        assert {p.holder_name for p in order.positions} == {ERASED}
        assert (order.total, order.order_number) == (original.total, original.order_number)
    assert EMAIL not in repr(platform.db.__dict__)
    assert "Mustermann" not in repr(platform.db.__dict__)
    voucher = platform.vouchers.get_voucher(registered.voucher_code or "")
    assert voucher is not None
    assert voucher.registration is not None
    assert voucher.registration.checked_in_at is not None  # the exhibitor is still billed
    assert statement(platform.billing(), exhibitor, fair.event_id) == bill_before


def test_a_second_erasure_finds_nothing_left(platform: FakePlatform) -> None:
    booked, _ = booked_and_registered(platform)
    organizer = samples.organizer_of(platform.events.get(booked.event_id))  # type: ignore[arg-type]
    first = request_erasure(platform.erasure_desk(), organizer, EMAIL)
    run_erasure(platform.erasure_desk(), first.erasure_id)

    second = request_erasure(platform.erasure_desk(), organizer, EMAIL.upper())
    run_erasure(platform.erasure_desk(), second.erasure_id)

    again = erasure_status(platform.erasure_desk(), organizer, second.erasure_id)
    assert again.already_erased
    assert again.nothing_left


def test_an_unknown_address_is_answered_like_any_other(platform: FakePlatform) -> None:
    booked, _ = booked_and_registered(platform)
    organizer = samples.organizer_of(platform.events.get(booked.event_id))  # type: ignore[arg-type]
    erasure = request_erasure(platform.erasure_desk(), organizer, "nobody@example.org")
    run_erasure(platform.erasure_desk(), erasure.erasure_id)
    done = erasure_status(platform.erasure_desk(), organizer, erasure.erasure_id)
    assert done.nothing_left
    assert not done.already_erased
    assert platform.orders.get(booked.order_number).customer.email is not None  # type: ignore[union-attr]


def test_a_redelivered_erasure_counts_once(platform: FakePlatform) -> None:
    booked, _ = booked_and_registered(platform)
    organizer = samples.organizer_of(platform.events.get(booked.event_id))  # type: ignore[arg-type]
    erasure = request_erasure(platform.erasure_desk(), organizer, EMAIL)
    run_erasure(platform.erasure_desk(), erasure.erasure_id)
    platform.erasures.erasures[erasure.erasure_id].state = "running"  # as if it crashed at the end
    run_erasure(platform.erasure_desk(), erasure.erasure_id)
    assert (
        erasure_status(platform.erasure_desk(), organizer, erasure.erasure_id).counts["orders"] == 2
    )


def test_erasure_reads_only_the_persons_own_items(platform: FakePlatform) -> None:
    booked, _ = booked_and_registered(platform)
    event = platform.events.get(booked.event_id)
    assert event is not None
    organizer = samples.organizer_of(event)
    for i in range(20):
        request = samples.a_booking_request(1, email=f"other{i}@example.org")
        book(platform.booking(), organizer, event.event_id, request, f"other-{i}")
    erasure = request_erasure(platform.erasure_desk(), organizer, EMAIL)
    run_erasure(platform.erasure_desk(), erasure.erasure_id)
    assert platform.people.reads == 2  # the person's two entries, not the 22 orders


def test_retention_anonymizes_an_event_ninety_days_after_it_ended(platform: FakePlatform) -> None:
    from datetime import timedelta

    from ticketing.services.retention import RetentionDesk, run_retention, set_retention

    booked, registered = booked_and_registered(platform)
    concert = platform.events.get(booked.event_id)
    assert concert is not None
    organizer = samples.organizer_of(concert)
    desk = RetentionDesk(platform.retention_events, platform.erasure_desk())
    set_retention(desk, organizer, registered.event_id, None, True)  # the fair is held

    early = run_retention(desk, concert.ends_at + timedelta(days=89))
    later = run_retention(desk, concert.ends_at + timedelta(days=91))

    assert early.events == []
    assert later.events == [booked.event_id]
    assert later.counts["orders"] == 1
    assert later.held == 1
    kept = platform.orders.get(registered.order_number)
    assert kept is not None
    assert kept.customer.email is not None
    gone = platform.orders.get(booked.order_number)
    assert gone is not None
    assert gone.customer.email is None
    assert gone.total == booked.total
    assert run_retention(desk, concert.ends_at + timedelta(days=92)).events == []

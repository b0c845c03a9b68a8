"""The organizer's customer care on orders, on the fakes: find, mark paid, resend."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_booked_order, a_fair
from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.services.orders import booking_list, mark_paid, resend_confirmation, search


def test_search_finds_by_last_name_without_umlauts_and_by_order_number(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    organizer = samples.organizer_of(event)
    mueller = a_booked_order(platform, event, last_name="Müller")
    a_booked_order(platform, event, last_name="Mustermann")
    stranger = Principal(Role.ORGANIZER, "org_other", "org_other", "key_other")

    assert [o.order_number for o in search(platform.orders, organizer, "mull")] == [
        mueller.order_number
    ]
    assert len(search(platform.orders, organizer, "MU")) == 2
    assert [o.order_number for o in search(platform.orders, organizer, mueller.order_number)] == [
        mueller.order_number
    ]
    assert search(platform.orders, stranger, mueller.order_number) == []
    with pytest.raises(InvalidRequest):
        search(platform.orders, organizer, "m")


def test_an_order_is_marked_paid_once(platform: FakePlatform) -> None:
    event = a_fair(platform)
    order = a_booked_order(platform, event)
    platform.db.orders[order.order_number] = order.model_copy(
        update={"payment_status": "open", "positions": []}
    )

    paid = mark_paid(
        platform.orders, platform.clock, samples.organizer_of(event), order.order_number
    )

    assert (paid.payment_status, paid.paid_at) == ("paid", platform.clock.now())
    with pytest.raises(Conflict):
        mark_paid(platform.orders, platform.clock, samples.organizer_of(event), order.order_number)


def test_a_confirmation_resent_to_a_corrected_address_keeps_the_change(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    order = a_booked_order(platform, event, email="erika@exmaple.org")

    fresh = resend_confirmation(
        platform.orders,
        platform.mail,
        platform.clock,
        samples.organizer_of(event),
        order.order_number,
        "erika@example.org",
    )

    assert fresh.mail_recipient == "erika@example.org"
    [change] = fresh.email_changes
    assert (change.previous, change.current, change.by) == (
        "erika@exmaple.org",
        "erika@example.org",
        "key_organizer",
    )
    [mail] = platform.mail.requests
    assert (mail.template, mail.to) == ("order_confirmation", ["erika@example.org"])


def test_the_booking_list_is_newest_first_a_page_at_a_time(platform: FakePlatform) -> None:
    event = a_fair(platform)
    numbers = []
    for _ in range(3):
        numbers.append(a_booked_order(platform, event).order_number)
        platform.clock.advance(timedelta(minutes=1))
    organizer = samples.organizer_of(event)

    _, page, cursor = booking_list(
        platform.orders, platform.events, organizer, event.event_id, 2, None
    )
    _, rest, end = booking_list(
        platform.orders, platform.events, organizer, event.event_id, 2, cursor
    )

    assert [o.order_number for o in page + rest] == numbers[::-1]
    assert end is None
    with pytest.raises(NotFound):
        booking_list(platform.orders, platform.events, organizer, "evt_other", 2, None)

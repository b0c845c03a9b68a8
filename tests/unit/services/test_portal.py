"""The customer's self-service (seed 001, "Problembehandlung") on the fakes: the link goes only
to the order's own address, at most three a day, and guessing is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_booked_order, a_fair
from ticketing.domain.errors import NotFound, TooManyAttempts
from ticketing.services.portal import request_link, self_service, set_reminders

CLIENT = "198.51.100.7"


def asked(platform: FakePlatform, order_number: str, email: str) -> list[float]:
    pauses: list[float] = []
    request_link(platform.link_desk(), CLIENT, order_number, email, pauses.append)
    return pauses


def test_the_portal_link_goes_only_to_the_orders_own_address(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform), email="erika@example.org")

    asked(platform, order.order_number, "mallory@example.org")
    asked(platform, order.order_number.lower(), " Erika+Tickets@Example.org")

    [mail] = platform.mail.requests
    assert (mail.template, mail.to, mail.order_number) == (
        "self_service_link",
        ["erika@example.org"],
        order.order_number,
    )
    assert sum(platform.db.attempts.values()) == 1  # the wrong address, not the right one


def test_an_unknown_order_answers_alike_and_counts_as_a_guess(platform: FakePlatform) -> None:
    asked(platform, "72BE-040526-000001", "erika@example.org")
    asked(platform, "not an order number", "erika@example.org")

    assert platform.mail.requests == []
    assert sum(platform.db.attempts.values()) == 2


def test_an_order_gets_at_most_three_links_a_day(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform))

    for _ in range(5):
        asked(platform, order.order_number, "erika@example.org")
    platform.clock.advance(timedelta(hours=25))
    asked(platform, order.order_number, "erika@example.org")

    assert len(platform.mail.requests) == 3 + 1
    assert platform.db.attempts == {}


def test_ten_wrong_addresses_refuse_the_client_even_with_the_right_one(
    platform: FakePlatform,
) -> None:
    order = a_booked_order(platform, a_fair(platform))
    for n in range(10):
        asked(platform, order.order_number, f"guess{n}@example.org")

    with pytest.raises(TooManyAttempts) as refused:
        asked(platform, order.order_number, "erika@example.org")

    assert platform.mail.requests == []
    assert 0 < refused.value.retry_after <= 600


def test_the_order_page_needs_the_orders_own_secret(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform))

    found, event = self_service(
        platform.orders, platform.events, order.order_number, order.self_service_secret
    )

    assert (found.order_number, event.event_id) == (order.order_number, order.event_id)
    last = order.self_service_secret[-1]
    for number, secret in [
        # one character changed (to one that differs from the real one)
        (order.order_number, order.self_service_secret[:-1] + ("1" if last == "0" else "0")),
        ("72BE-040526-000001", order.self_service_secret),
    ]:
        with pytest.raises(NotFound):
            self_service(platform.orders, platform.events, number, secret)


def test_a_holder_switches_reminders_off_and_the_change_is_kept(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform))

    set_reminders(platform.orders, platform.clock, order, False)
    fresh = platform.orders.get(order.order_number)
    assert fresh is not None
    set_reminders(platform.orders, platform.clock, fresh, False)  # no change, no record

    stored = platform.orders.get(order.order_number)
    assert stored is not None
    assert stored.reminders is False
    assert [(c.reminders, c.at) for c in stored.consent_changes] == [(False, platform.clock.now())]

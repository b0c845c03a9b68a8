"""Guessing at public doors on the fakes: self-service and ticket links are throttled like the
portal and registration, an unknown order does the work of a wrong secret, and the limit
slides with time instead of starting again at a clock-aligned boundary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes import FakeLinkSecrets
from tests.fakes.platform import START, FakePlatform
from tests.unit.services.given import (
    a_booked_order,
    a_fair,
    a_visitor,
    an_exhibitor,
    issued_vouchers,
)
from ticketing.domain.errors import NotFound, TooManyAttempts
from ticketing.domain.voucher_codes import new_code
from ticketing.services.documents import TicketLinks, open_ticket_link
from ticketing.services.portal import OrderLinks, open_order_link
from ticketing.services.visitor_vouchers.registration import register

CLIENT = "198.51.100.9"


def links(platform: FakePlatform) -> OrderLinks:
    return OrderLinks(
        platform.orders, platform.events, secrets(platform), platform.attempts, platform.clock
    )


def secrets(platform: FakePlatform) -> FakeLinkSecrets:
    return FakeLinkSecrets(platform.db)


def tickets(platform: FakePlatform) -> TicketLinks:
    return TicketLinks(
        platform.orders,
        platform.events,
        platform.documents,
        secrets(platform),
        platform.attempts,
        platform.clock,
    )


def opened(platform: FakePlatform, number: str, secret: str, client: str = CLIENT) -> Any:
    return open_order_link(links(platform), client, number, secret, lambda _: None)


def test_wrong_order_links_count_as_guesses_and_refuse_the_client(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform))
    for n in range(10):
        with pytest.raises(NotFound):
            opened(platform, order.order_number, f"{n:026d}")

    with pytest.raises(TooManyAttempts) as refused:  # even with the right secret now
        opened(platform, order.order_number, order.self_service_secret)

    assert 0 < refused.value.retry_after <= 600
    found, _ = opened(platform, order.order_number, order.self_service_secret, "198.51.100.10")
    assert found.order_number == order.order_number  # another client is not refused
    assert platform.db.attempts == {CLIENT: 10}


def test_wrong_ticket_links_count_as_guesses_and_refuse_the_client(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform))
    token = order.positions[0].download_token
    for n in range(10):
        with pytest.raises(NotFound):
            open_ticket_link(tickets(platform), CLIENT, f"{token[:-3]}{n:03d}", lambda _: None)

    with pytest.raises(TooManyAttempts):
        open_ticket_link(tickets(platform), CLIENT, token, lambda _: None)
    assert open_ticket_link(tickets(platform), "198.51.100.10", token, lambda _: None)


class Reads:
    """Counts what a store was asked, by method."""

    def __init__(self, store: Any) -> None:
        self.store, self.asked = store, list[str]()

    def __getattr__(self, name: str) -> Any:
        self.asked.append(name)
        return getattr(self.store, name)


def test_an_unknown_order_does_the_reads_of_a_wrong_secret(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform))
    token = order.positions[0].download_token
    _, position, random = token.split(".")
    reads = {}
    for case, number, secret in [
        ("wrong secret", order.order_number, "0" * 26),
        ("unknown order", "72BE-040526-999999", "0" * 26),
        ("malformed number", "no-such-thing", "0" * 26),
    ]:
        stores = Reads(platform.orders), Reads(platform.events), Reads(secrets(platform))
        deps = OrderLinks(*stores, platform.attempts, platform.clock)
        with pytest.raises(NotFound):
            open_order_link(deps, f"client {case}", number, secret, lambda _: None)
        reads[case] = [store.asked for store in stores]
    for case, wrong in [
        ("wrong token", f"{token[:-1]}{'a' if token[-1] != 'a' else 'b'}"),
        ("unknown ticket", f"72BE-040526-999999.{position}.{random}"),
        ("malformed token", "nothing"),
    ]:
        orders, events, found = (
            Reads(platform.orders),
            Reads(platform.events),
            Reads(secrets(platform)),
        )
        deps_t = TicketLinks(
            orders, events, platform.documents, found, platform.attempts, platform.clock
        )
        with pytest.raises(NotFound):
            open_ticket_link(deps_t, f"client {case}", wrong, lambda _: None)
        reads[case] = [orders.asked, events.asked, found.asked]

    assert reads == {
        "wrong secret": [[], [], ["self_service_secret"]],
        "unknown order": [[], [], ["self_service_secret"]],
        "malformed number": [[], [], ["self_service_secret"]],
        "wrong token": [[], [], ["download_token"]],
        "unknown ticket": [[], [], ["download_token"]],
        "malformed token": [[], [], ["download_token"]],
    }


# -------------------------------------------------------------------------- a sliding limit


def test_eleven_guesses_straddling_a_boundary_within_eleven_seconds_are_refused(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    issued_vouchers(platform, event, an_exhibitor(platform, event), 1)
    platform.clock.now = lambda: moment  # type: ignore[method-assign]
    outcomes = []
    for second in range(11):  # 10:09:55 to 10:10:05: a ten-minute boundary in the middle
        moment = datetime(2026, 5, 4, 10, 9, 55, tzinfo=UTC) + timedelta(seconds=second)
        try:
            register(platform.registration_desk(), CLIENT, new_code(), a_visitor(), lambda _: None)
        except NotFound:
            outcomes.append("unknown")
        except TooManyAttempts:
            outcomes.append("refused")

    assert outcomes == ["unknown"] * 10 + ["refused"]


def test_the_order_page_refuses_guesses_across_a_boundary_too(platform: FakePlatform) -> None:
    order = a_booked_order(platform, a_fair(platform))
    platform.clock.now = lambda: moment  # type: ignore[method-assign]
    outcomes = []
    for second in range(11):
        moment = datetime(2026, 5, 4, 10, 9, 55, tzinfo=UTC) + timedelta(seconds=second)
        try:
            opened(platform, order.order_number, "0" * 26)
        except NotFound:
            outcomes.append("unknown")
        except TooManyAttempts:
            outcomes.append("refused")

    assert outcomes == ["unknown"] * 10 + ["refused"]


def test_a_refused_client_may_try_again_as_its_oldest_failures_leave_the_window(
    platform: FakePlatform,
) -> None:
    order = a_booked_order(platform, a_fair(platform))
    for minute in (0, 0, 0, 0, 0, 5, 5, 5, 5, 5):
        platform.clock.now = lambda at=minute: START + timedelta(minutes=at)  # type: ignore[method-assign]
        with pytest.raises(NotFound):
            opened(platform, order.order_number, "0" * 26)

    with pytest.raises(TooManyAttempts) as refused:
        opened(platform, order.order_number, order.self_service_secret)
    assert refused.value.retry_after == 300  # the first five are ten minutes old then
    platform.clock.now = lambda: START + timedelta(minutes=10)  # type: ignore[method-assign]

    assert opened(platform, order.order_number, order.self_service_secret)[0] == order
    for _ in range(5):  # the five of minute 5 still count
        with pytest.raises(NotFound):
            opened(platform, order.order_number, "0" * 26)
    with pytest.raises(TooManyAttempts):
        opened(platform, order.order_number, "0" * 26)


def test_a_client_refused_between_its_lookup_and_its_commit_gets_no_ticket(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    _, [code] = issued_vouchers(platform, event, an_exhibitor(platform, event), 1)
    for _ in range(5):
        with pytest.raises(NotFound):
            register(platform.registration_desk(), CLIENT, new_code(), a_visitor(), lambda _: None)
    now = int(platform.clock.now().timestamp() * 1000)

    def its_other_guesses() -> None:  # in parallel, while this registration is on its way
        for _ in range(6):
            platform.attempts.record_failure(CLIENT, now, 600_000, 10)

    platform.db.before_next_commit(its_other_guesses)
    with pytest.raises(TooManyAttempts):
        register(platform.registration_desk(), CLIENT, code, a_visitor(), lambda _: None)
    assert platform.vouchers.get_voucher(code).state == "issued"  # type: ignore[union-attr]

"""A visitor redeems a voucher by registering (seed 000), on the fakes: once per voucher, once
per person and fair, and only guessing is slowed down and refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.fakes.platform import FakePlatform
from tests.unit.services.given import (
    a_booked_order,
    a_fair,
    a_visitor,
    an_exhibitor,
    issued_vouchers,
)
from ticketing.domain.errors import Conflict, Expired, NotFound, TooManyAttempts
from ticketing.domain.events import Event
from ticketing.domain.voucher_codes import display, new_code
from ticketing.services.visitor_vouchers.registration import USED, Registered, register

VISITOR_IP = "203.0.113.10"


class Pauses(list[float]):
    """Stands in for ``time.sleep``: what a door held its answer back by."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fair_with_vouchers(
    platform: FakePlatform, count: int = 3, capacity: int = 100
) -> tuple[Event, list[str]]:
    event = a_fair(platform, capacity)
    _, codes = issued_vouchers(platform, event, an_exhibitor(platform, event), count)
    return event, codes


def registered(
    platform: FakePlatform, code: str, email: str = "erika@example.org", pause: Pauses | None = None
) -> Registered:
    return register(
        platform.registration_desk(),
        VISITOR_IP,
        code,
        a_visitor(email),
        pause if pause is not None else Pauses(),
    )


def test_a_visitor_registers_and_gets_a_free_personal_ticket(platform: FakePlatform) -> None:
    event, [code, *_] = fair_with_vouchers(platform)

    done = registered(platform, display(code).lower())

    order = platform.orders.get(done.order.order_number)
    assert order is not None
    assert (order.quantity, order.total, order.payment_status) == (1, Decimal("0.00"), "paid")
    assert (order.voucher_code, order.customer.full_name) == (code, "Erika Mustermann")
    voucher = platform.vouchers.get_voucher(code)
    assert voucher is not None
    assert voucher.state == "redeemed"
    assert voucher.registration.order_number == order.order_number  # type: ignore[union-attr]
    assert platform.figures.figures(voucher.exhibitor_id)["redeemed"] == 1
    assert platform.events.get(event.event_id).sold == 1  # type: ignore[union-attr]
    assert [(m.template, m.to) for m in platform.mail.requests] == [
        ("order_confirmation", ["erika@example.org"])
    ]


def test_a_visitor_told_the_code_is_used_is_not_counted_as_guessing(
    platform: FakePlatform,
) -> None:
    _, [code, *_] = fair_with_vouchers(platform)
    registered(platform, code)
    pauses = Pauses()

    for _ in range(12):  # the same visitor, told each time, tries their own code again
        with pytest.raises(Conflict) as used:
            registered(platform, code, pause=pauses)
        assert used.value.detail == USED

    assert platform.db.attempts == {}
    assert pauses == []
    assert len(platform.db.orders) == 1


def test_ten_unknown_codes_refuse_the_client(platform: FakePlatform) -> None:
    _, [code, *_] = fair_with_vouchers(platform)
    pauses = Pauses()

    for _ in range(10):
        with pytest.raises(NotFound):
            registered(platform, new_code(), pause=pauses)
    with pytest.raises(TooManyAttempts):  # even with a good code now
        registered(platform, code, pause=pauses)
    with pytest.raises(TooManyAttempts):
        registered(platform, new_code(), pause=pauses)

    assert platform.vouchers.get_voucher(code).state == "issued"  # type: ignore[union-attr]
    assert platform.db.orders == {}
    assert pauses == [0.0, 0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75]


def test_the_client_may_try_again_in_the_next_window(platform: FakePlatform) -> None:
    _, [code, *_] = fair_with_vouchers(platform)
    for _ in range(11):
        with pytest.raises((NotFound, TooManyAttempts)):
            registered(platform, new_code())

    platform.clock.advance(timedelta(minutes=10))

    assert registered(platform, code).order.voucher_code == code


def test_a_typo_caught_by_the_check_character_costs_no_attempt(platform: FakePlatform) -> None:
    _, [code, *_] = fair_with_vouchers(platform)
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")

    for _ in range(20):
        with pytest.raises(NotFound):
            registered(platform, typo)

    assert platform.db.attempts == {}


def test_a_code_of_another_fair_answers_like_an_unknown_one(platform: FakePlatform) -> None:
    _, [code, *_] = fair_with_vouchers(platform)
    elsewhere = a_visitor(event_id="evt_other0000000000")

    with pytest.raises(NotFound) as unknown:
        register(platform.registration_desk(), VISITOR_IP, code, elsewhere, Pauses())

    with pytest.raises(NotFound) as missing:
        registered(platform, new_code())
    assert unknown.value.detail == missing.value.detail
    assert sum(platform.db.attempts.values()) == 2
    assert platform.vouchers.get_voucher(code).state == "issued"  # type: ignore[union-attr]


def test_one_person_gets_one_voucher_ticket_per_fair(platform: FakePlatform) -> None:
    _, [first, second, _] = fair_with_vouchers(platform)
    registered(platform, first, "erika@example.org")

    with pytest.raises(Conflict) as refused:
        registered(platform, second, "Erika+fair@Example.org")

    assert "one person can redeem one voucher" in refused.value.detail
    assert platform.vouchers.get_voucher(second).state == "issued"  # type: ignore[union-attr]
    assert len(platform.db.orders) == 1
    assert platform.db.attempts == {}


def test_an_expired_voucher_is_gone_and_not_a_guess(platform: FakePlatform) -> None:
    event = a_fair(platform)
    end = platform.clock.now() + timedelta(days=1)
    _, [code] = issued_vouchers(platform, event, an_exhibitor(platform, event), 1, end)
    platform.clock.advance(timedelta(days=2))

    with pytest.raises(Expired):
        registered(platform, code)

    assert platform.db.attempts == {}
    assert platform.db.orders == {}


def test_a_fully_booked_fair_takes_no_registration(platform: FakePlatform) -> None:
    event, [code, *_] = fair_with_vouchers(platform, capacity=1)
    a_booked_order(platform, event)

    with pytest.raises(Conflict) as refused:
        registered(platform, code)

    assert "fully booked" in refused.value.detail
    assert platform.vouchers.get_voucher(code).state == "issued"  # type: ignore[union-attr]
    assert platform.db.claims == {}
    assert (
        platform.figures.figures(platform.vouchers.get_voucher(code).exhibitor_id)[  # type: ignore[union-attr]
            "redeemed"
        ]
        == 0
    )


def test_a_voucher_another_visitor_registered_meanwhile_is_used(platform: FakePlatform) -> None:
    _, [code, *_] = fair_with_vouchers(platform)
    platform.db.before_next_commit(lambda: registered(platform, code, "max@example.org"))

    with pytest.raises(Conflict) as refused:
        registered(platform, code, "erika@example.org")

    assert refused.value.detail == USED
    voucher = platform.vouchers.get_voucher(code)
    assert voucher.registration.email == "max@example.org"  # type: ignore[union-attr]
    assert len(platform.db.orders) == 1
    assert platform.figures.figures(voucher.exhibitor_id)["redeemed"] == 1  # type: ignore[union-attr]

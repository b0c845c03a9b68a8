"""Seed 000 "Was wird mir in Rechnung gestellt?" on the fakes: who registered, and what an
exhibitor pays: only the vouchers used at the fair, also after cancelling its stand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, a_visitor, an_exhibitor, issued_vouchers
from ticketing.domain.errors import NotFound
from ticketing.domain.events import Event
from ticketing.domain.parties import Exhibitor
from ticketing.services.access import cancel_exhibitor
from ticketing.services.checkins import check_in
from ticketing.services.visitor_vouchers.billing import registrations, statement, statements
from ticketing.services.visitor_vouchers.registration import register


def no_pause(seconds: float) -> None:
    return None


def three_registered_one_came(platform: FakePlatform) -> tuple[Event, Exhibitor]:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    _, codes = issued_vouchers(platform, event, exhibitor, 5)
    orders = [
        register(platform.registration_desk(), "203.0.113.10", code, a_visitor(email), no_pause)
        for code, email in zip(
            codes, ["erika@example.org", "max@example.org", "jana@example.org"], strict=False
        )
    ]
    ticket = orders[0].order.positions[0]
    check_in(
        platform.orders, platform.clock, samples.organizer_of(event), ticket.secret, platform.events
    )
    return event, exhibitor


def test_exhibitor_is_billed_only_for_used_vouchers(platform: FakePlatform) -> None:
    event, exhibitor = three_registered_one_came(platform)

    bill = statement(platform.billing(), samples.exhibitor_principal(exhibitor), event.event_id)

    assert (bill.issued, bill.redeemed, bill.used, bill.billable) == (5, 3, 1, 1)
    assert (bill.unit_price, bill.total, bill.currency) == (
        Decimal("12.00"),
        Decimal("12.00"),
        "EUR",
    )
    assert bill.cancelled is False


def test_a_cancelled_exhibitor_is_still_billed_for_what_was_used(platform: FakePlatform) -> None:
    event, exhibitor = three_registered_one_came(platform)
    organizer = samples.organizer_of(event)
    cancel_exhibitor(platform.access, platform.clock, organizer, exhibitor.exhibitor_id)

    _, [bill] = statements(platform.billing(), organizer, event.event_id)

    assert (bill.cancelled, bill.billable, bill.total) == (True, 1, Decimal("12.00"))


def test_the_exhibitor_sees_who_registered_and_who_came(platform: FakePlatform) -> None:
    event, exhibitor = three_registered_one_came(platform)

    seen = list(
        registrations(platform.vouchers, samples.exhibitor_principal(exhibitor), event.event_id)
    )

    assert sorted(r.email for r in seen) == [
        "erika@example.org",
        "jana@example.org",
        "max@example.org",
    ]
    assert [r.email for r in seen if r.checked_in_at is not None] == ["erika@example.org"]
    with pytest.raises(NotFound):
        list(registrations(platform.vouchers, samples.exhibitor_principal(exhibitor), "evt_x"))

"""Reminders (seed 003) on the fakes: each once, holders only with their consent, exhibitors a
week before their unredeemed vouchers end and never for a cancelled stand."""

from __future__ import annotations

from datetime import timedelta

from tests.fakes.platform import FakePlatform
from tests.unit.services.given import (
    a_booked_order,
    a_fair,
    a_visitor,
    an_exhibitor,
    issued_vouchers,
)
from ticketing.services.reminders import send_reminders
from ticketing.services.visitor_vouchers.registration import register

# the clock stands at 2026-05-04 10:00 UTC (noon in Munich): "tomorrow" is 5 May there
TOMORROW = ("2026-05-05T09:00:00+02:00", "2026-05-05T18:00:00+02:00")


def test_reminders_go_once_and_only_with_consent(platform: FakePlatform) -> None:
    fair = a_fair(platform, starts_at=TOMORROW[0], ends_at=TOMORROW[1])
    later = a_fair(
        platform, starts_at="2026-05-07T09:00:00+02:00", ends_at="2026-05-07T18:00:00+02:00"
    )
    willing = a_booked_order(platform, fair, email="erika@example.org")
    unwilling = a_booked_order(platform, fair, email="max@example.org")
    platform.orders.set_reminders(unwilling.order_number, False, platform.clock.now())
    a_booked_order(platform, later, email="jana@example.org")

    first = send_reminders(platform.reminding())
    second = send_reminders(platform.reminding())

    assert (first.holders, first.holders_without_consent) == (1, 1)
    assert second.holders == 0
    assert [(m.template, m.to, m.order_number) for m in platform.mail.requests] == [
        ("event_reminder", ["erika@example.org"], willing.order_number)
    ]


def test_the_day_before_is_the_day_before_in_the_events_time_zone(platform: FakePlatform) -> None:
    # 6 May 01:00 in Tokyo is 5 May in UTC: a day before counted in UTC would come a day late
    tokyo = a_fair(
        platform,
        starts_at="2026-05-06T01:00:00+09:00",
        ends_at="2026-05-06T18:00:00+09:00",
        timezone="Asia/Tokyo",
    )
    a_booked_order(platform, tokyo)

    sent = send_reminders(platform.reminding())

    assert sent.holders == 0  # 19:00 on 4 May in Tokyo: tomorrow is 5 May there
    platform.clock.advance(timedelta(days=1))  # 19:00 on 5 May in Tokyo, 10:00 UTC
    assert send_reminders(platform.reminding()).holders == 1


def test_exhibitors_hear_of_their_unredeemed_vouchers_a_week_before_they_end(
    platform: FakePlatform,
) -> None:
    fair = a_fair(platform)
    exhibitor = an_exhibitor(platform, fair)
    ends = platform.clock.now() + timedelta(days=7, hours=2)
    batch, codes = issued_vouchers(platform, fair, exhibitor, 3, ends)
    register(platform.registration_desk(), "203.0.113.10", codes[0], a_visitor(), lambda _: None)
    platform.mail.requests.clear()

    first = send_reminders(platform.reminding())
    second = send_reminders(platform.reminding())

    assert (first.exhibitors, second.exhibitors) == (1, 0)
    [mail] = platform.mail.requests
    assert (mail.template, mail.to) == ("voucher_reminder", [str(exhibitor.email)])
    assert mail.context["count"] == "2"
    assert mail.context["label"] == batch.label
    assert mail.context["valid_until"] == "11.05.2026 14:00"  # the fair's time, Munich


def test_a_cancelled_stand_gets_no_voucher_reminder(platform: FakePlatform) -> None:
    fair = a_fair(platform)
    exhibitor = an_exhibitor(platform, fair)
    issued_vouchers(platform, fair, exhibitor, 3, platform.clock.now() + timedelta(days=7, hours=2))
    platform.access.cancel_exhibitor(exhibitor.exhibitor_id, platform.clock.now())

    assert send_reminders(platform.reminding()).exhibitors == 0
    assert platform.mail.requests == []


def test_an_erased_order_is_not_reminded_and_the_others_still_are(platform: FakePlatform) -> None:
    """Erasure (issue 17) leaves an order without an address: nobody to remind, and the run
    goes on for everyone else."""
    from ticketing.domain.orders import anonymized

    fair = a_fair(platform, starts_at=TOMORROW[0], ends_at=TOMORROW[1])
    erased = a_booked_order(platform, fair, email="forget-me@example.org")
    kept = a_booked_order(platform, fair, email="erika@example.org")
    platform.db.orders[erased.order_number] = anonymized(platform.db.orders[erased.order_number])

    sent = send_reminders(platform.reminding())

    assert sent.holders == 1
    assert [(m.to, m.order_number) for m in platform.mail.requests] == [
        (["erika@example.org"], kept.order_number)
    ]

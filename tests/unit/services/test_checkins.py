"""Check-in at the entrance on the fakes: each ticket once, whatever the number of scanners."""

from __future__ import annotations

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_booked_order, a_fair
from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.services.checkins import AlreadyUsed, check_in, check_in_order


def test_a_ticket_is_checked_in_once_and_the_second_scan_learns_when(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    ticket = a_booked_order(platform, event, 2).positions[0]
    organizer = samples.organizer_of(event)

    first = check_in(platform.orders, platform.clock, organizer, ticket.secret, platform.events)
    with pytest.raises(AlreadyUsed) as second:
        check_in(platform.orders, platform.clock, organizer, ticket.secret, platform.events)

    assert first.checked_in_at == platform.clock.now()
    assert second.value.at == first.checked_in_at
    assert second.value.extensions == {"checked_in_at": first.checked_in_at.isoformat()}


def test_two_scanners_at_once_check_a_ticket_in_once(platform: FakePlatform) -> None:
    event = a_fair(platform)
    ticket = a_booked_order(platform, event).positions[0]
    organizer = samples.organizer_of(event)
    other_door = []
    platform.db.before_next_commit(
        lambda: other_door.append(
            check_in(platform.orders, platform.clock, organizer, ticket.secret, platform.events)
        )
    )

    with pytest.raises(AlreadyUsed) as second:
        check_in(platform.orders, platform.clock, organizer, ticket.secret, platform.events)

    assert second.value.at == other_door[0].checked_in_at


def test_an_unknown_forged_or_foreign_ticket_is_not_found(platform: FakePlatform) -> None:
    event = a_fair(platform)
    ticket = a_booked_order(platform, event).positions[0]
    stranger = Principal(Role.ORGANIZER, "org_other", "org_other", "key_other")

    for secret, caller in [
        ("not a ticket", samples.organizer_of(event)),
        (
            ticket.secret[:-1] + ("a" if ticket.secret[-1] != "a" else "b"),
            samples.organizer_of(event),
        ),
        (ticket.secret, stranger),
    ]:
        with pytest.raises(NotFound):
            check_in(platform.orders, platform.clock, caller, secret, platform.events)
    assert platform.orders.get(ticket.secret.split(".")[0]).positions[0].checked_in_at is None  # type: ignore[union-attr]


def test_checking_in_a_whole_order_takes_every_ticket_not_yet_in(platform: FakePlatform) -> None:
    event = a_fair(platform)
    order = a_booked_order(platform, event, 3)
    organizer = samples.organizer_of(event)
    check_in(platform.orders, platform.clock, organizer, order.positions[1].secret, platform.events)

    fresh, done = check_in_order(platform.orders, platform.clock, organizer, order, platform.events)
    _, again = check_in_order(platform.orders, platform.clock, organizer, fresh, platform.events)

    assert (done, again) == (2, 0)
    assert all(p.checked_in_at is not None for p in fresh.positions)

"""Issue 10: the organizer's search by last name pages with a cursor (it stopped at 50)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_booked_order, a_fair
from ticketing.domain.errors import InvalidRequest
from ticketing.services.orders import search_page


def test_a_search_with_more_matches_than_a_page_hands_out_a_cursor_to_the_rest(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform, capacity=200)
    organizer = samples.organizer_of(event)
    numbers = []
    for _ in range(60):
        platform.clock.advance(timedelta(minutes=1))
        numbers.append(a_booked_order(platform, event, last_name="Müller").order_number)

    first, cursor = search_page(platform.orders, organizer, "muller", 50, None)
    rest, end = search_page(platform.orders, organizer, "muller", 50, cursor)

    assert len(first) == 50
    assert cursor is not None
    assert [o.order_number for o in first + rest] == numbers[::-1]
    assert end is None


def test_a_search_by_order_number_is_one_page(platform: FakePlatform) -> None:
    event = a_fair(platform)
    organizer = samples.organizer_of(event)
    order = a_booked_order(platform, event)

    found, cursor = search_page(platform.orders, organizer, order.order_number, 10, None)

    assert ([o.order_number for o in found], cursor) == ([order.order_number], None)


def test_a_cursor_that_was_not_handed_out_is_refused(platform: FakePlatform) -> None:
    organizer = samples.organizer_of(a_fair(platform))

    with pytest.raises(InvalidRequest) as refused:
        search_page(platform.orders, organizer, "muller", 10, "bm90IGEgY3Vyc29y")

    assert refused.value.field == "cursor"

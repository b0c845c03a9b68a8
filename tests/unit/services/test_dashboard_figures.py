"""The dashboard's figures on the event item, on the fakes (issue 13): a booking raises its
price option's orders, tickets and revenue; a check-in raises ``checked_in`` once per ticket,
whatever the scans, retries and "check in all"; an event older than its figures is summed
from its orders as before."""

from __future__ import annotations

import inspect
from decimal import Decimal

import pytest

from tests.fakes import FakeEventStore, samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import (
    a_booked_order,
    a_fair,
    a_visitor,
    an_exhibitor,
    issued_vouchers,
)
from ticketing.domain.errors import Conflict
from ticketing.domain.events import Event
from ticketing.domain.figures import EventFigures, OptionFigures
from ticketing.services import bookings
from ticketing.services.checkins import AlreadyUsed, check_in, check_in_order
from ticketing.services.dashboard import Dashboard, EventSummary, event_summary
from ticketing.services.ports_dashboard import EventFigureStore
from ticketing.services.visitor_vouchers.registration import register


def figures(platform: FakePlatform, event: Event) -> EventFigures:
    found = platform.events.with_figures(event.event_id)
    assert found is not None
    assert found[1] is not None
    return found[1]


def summary(platform: FakePlatform, event: Event, **asked: bool) -> EventSummary:
    deps = Dashboard(platform.orders, platform.events, platform.billing())
    return event_summary(deps, samples.organizer_of(event), event.event_id, **asked)


def test_the_fake_has_the_figure_store_method_with_its_parameters() -> None:
    wanted = list(inspect.signature(EventFigureStore.with_figures).parameters)
    assert list(inspect.signature(FakeEventStore.with_figures).parameters) == wanted


def test_a_new_event_has_figures_at_zero(platform: FakePlatform) -> None:
    event = a_fair(platform)
    assert figures(platform, event) == EventFigures({}, 0)
    assert platform.events.with_figures("evt_missing") is None


def test_a_booking_raises_orders_tickets_and_revenue_of_its_price_option(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    principal = samples.organizer_of(event)
    bookings.book(platform.booking(), principal, event.event_id, samples.a_booking_request(3))
    bookings.book(platform.booking(), principal, event.event_id, samples.a_booking_request(1))

    assert figures(platform, event).options == {"day": OptionFigures(2, 4, Decimal("100.00"))}
    shown = summary(platform, event)
    assert (shown.sold, shown.orders, shown.tickets, shown.revenue) == (4, 2, 4, Decimal("100"))
    day = next(o for o in shown.options if o.option_id == "day")
    assert (day.orders, day.tickets, day.revenue) == (2, 4, Decimal("100.00"))
    assert shown.checked_in == 0
    assert shown.counted


def test_a_refused_booking_raises_nothing(platform: FakePlatform) -> None:
    event = a_fair(platform, capacity=2)
    principal = samples.organizer_of(event)
    with pytest.raises(Conflict, match="left"):
        bookings.book(platform.booking(), principal, event.event_id, samples.a_booking_request(3))
    assert figures(platform, event) == EventFigures({}, 0)


def test_a_voucher_registration_books_the_voucher_price_option(platform: FakePlatform) -> None:
    event = a_fair(platform)
    _, [code] = issued_vouchers(platform, event, an_exhibitor(platform, event), 1)

    register(platform.registration_desk(), "203.0.113.10", code, a_visitor(), lambda s: None)

    counted = figures(platform, event).options["visitor-voucher"]
    assert (counted.orders, counted.tickets) == (1, 1)
    assert counted.revenue == sum((o.total for o in platform.db.orders.values()), Decimal("0.00"))


def test_a_second_check_in_of_the_same_ticket_counts_once(platform: FakePlatform) -> None:
    event = a_fair(platform)
    ticket = a_booked_order(platform, event, 2).positions[0]
    organizer = samples.organizer_of(event)

    check_in(platform.orders, platform.clock, organizer, ticket.secret, platform.events)
    with pytest.raises(AlreadyUsed):
        check_in(platform.orders, platform.clock, organizer, ticket.secret, platform.events)

    assert figures(platform, event).checked_in == 1
    assert summary(platform, event).checked_in == 1


def test_two_scanners_at_once_count_the_ticket_once(platform: FakePlatform) -> None:
    event = a_fair(platform)
    ticket = a_booked_order(platform, event).positions[0]
    organizer = samples.organizer_of(event)
    platform.db.before_next_commit(
        lambda: check_in(platform.orders, platform.clock, organizer, ticket.secret, platform.events)
    )
    with pytest.raises(AlreadyUsed):
        check_in(platform.orders, platform.clock, organizer, ticket.secret, platform.events)
    assert figures(platform, event).checked_in == 1


def test_check_in_all_after_one_scanned_counts_the_rest_and_a_retry_nothing(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    order = a_booked_order(platform, event, 3)
    organizer = samples.organizer_of(event)
    check_in(platform.orders, platform.clock, organizer, order.positions[1].secret, platform.events)

    fresh, done = check_in_order(platform.orders, platform.clock, organizer, order, platform.events)
    _, again = check_in_order(platform.orders, platform.clock, organizer, order, platform.events)

    assert (done, again) == (2, 0)
    assert figures(platform, event).checked_in == 3
    assert all(p.checked_in_at is not None for p in fresh.positions)


def test_an_event_older_than_its_figures_is_summed_from_its_orders(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    order = a_booked_order(platform, event, 2)
    del platform.db.event_figures[event.event_id]  # as an event stored before they were kept
    check_in(
        platform.orders,
        platform.clock,
        samples.organizer_of(event),
        order.positions[0].secret,
        platform.events,
    )

    assert platform.events.with_figures(event.event_id) == (
        platform.events.get(event.event_id),
        None,
    )
    shown = summary(platform, event)
    assert (shown.orders, shown.tickets, shown.checked_in, shown.counted) == (1, 2, None, False)
    assert summary(platform, event, count_check_ins=True).checked_in == 1

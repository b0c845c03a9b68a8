"""Events on the fakes: ``POST /events`` a client may retry makes one event."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from tests.fakes.platform import FakePlatform
from ticketing.domain.errors import InvalidRequest, NotAllowed, NotFound
from ticketing.domain.events import EventDraft, PriceOption
from ticketing.domain.identity import Principal, Role
from ticketing.services.events import create_event, get_event, list_events

ORGANIZER = Principal(Role.ORGANIZER, "org_a", "org_a", "key_a")
OTHER = Principal(Role.ORGANIZER, "org_b", "org_b", "key_b")


def a_draft(name: str = "INTERFORST 2030", starts: str = "2030-07-08T09:00:00+02:00") -> EventDraft:
    starts_at = datetime.fromisoformat(starts)
    return EventDraft(
        name=name,
        venue="Messe München",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=4, hours=8),
        timezone="Europe/Berlin",
        currency="EUR",
        capacity=1000,
        price_options=[
            PriceOption(id="day", name="Tageskarte", price=Decimal("25.00"), tax_rate=Decimal(7))
        ],
    )


def test_post_events_twice_with_one_key_makes_one_event(platform: FakePlatform) -> None:
    first, created = create_event(platform.event_desk(), ORGANIZER, a_draft(), "key-1")
    again, repeated = create_event(platform.event_desk(), ORGANIZER, a_draft(), "key-1")

    assert (created, repeated) == (True, False)
    assert again == first
    assert list(platform.db.events) == [first.event_id]


def test_post_events_twice_without_a_key_makes_two_events(platform: FakePlatform) -> None:
    create_event(platform.event_desk(), ORGANIZER, a_draft())
    create_event(platform.event_desk(), ORGANIZER, a_draft())

    assert len(platform.db.events) == 2


def test_one_key_with_another_event_is_refused(platform: FakePlatform) -> None:
    create_event(platform.event_desk(), ORGANIZER, a_draft(), "key-1")

    with pytest.raises(InvalidRequest) as refused:
        create_event(platform.event_desk(), ORGANIZER, a_draft("INTERFORST 2031"), "key-1")

    assert refused.value.field == "Idempotency-Key"
    assert len(platform.db.events) == 1


def test_one_key_is_the_callers_own(platform: FakePlatform) -> None:
    mine, _ = create_event(platform.event_desk(), ORGANIZER, a_draft(), "key-1")
    theirs, created = create_event(platform.event_desk(), OTHER, a_draft(), "key-1")

    assert created is True
    assert theirs.event_id != mine.event_id
    assert theirs.organizer_id == "org_b"


def test_a_twin_with_the_same_key_that_wrote_first_answers_with_its_event(
    platform: FakePlatform,
) -> None:
    twins = []
    platform.db.before_next_commit(
        lambda: twins.append(create_event(platform.event_desk(), ORGANIZER, a_draft(), "key-1"))
    )

    event, created = create_event(platform.event_desk(), ORGANIZER, a_draft(), "key-1")

    [(twin, twin_created)] = twins
    assert (twin_created, created) == (True, False)
    assert event == twin
    assert len(platform.db.events) == 1


def test_an_event_of_another_organizer_answers_like_a_missing_one(platform: FakePlatform) -> None:
    event, _ = create_event(platform.event_desk(), ORGANIZER, a_draft())

    with pytest.raises(NotFound):
        get_event(platform.events, OTHER, event.event_id)
    exhibitor_elsewhere = Principal(Role.EXHIBITOR, "exh_x", "org_a", "key_x", scope="evt_other")
    with pytest.raises(NotFound):
        get_event(platform.events, exhibitor_elsewhere, event.event_id)
    with pytest.raises(NotAllowed):
        create_event(platform.event_desk(), exhibitor_elsewhere, a_draft())


def test_events_are_listed_by_start_a_page_at_a_time(platform: FakePlatform) -> None:
    starts = ["2030-09-01T09:00:00+02:00", "2030-03-01T09:00:00+01:00", "2030-06-01T09:00:00+02:00"]
    for start in starts:
        create_event(platform.event_desk(), ORGANIZER, a_draft(starts=start))
    create_event(platform.event_desk(), OTHER, a_draft())

    page, cursor = list_events(platform.events, ORGANIZER, 2, None)
    rest, end = list_events(platform.events, ORGANIZER, 2, cursor)

    assert [e.starts_at.month for e in page + rest] == [3, 6, 9]
    assert end is None
    with pytest.raises(InvalidRequest):
        list_events(platform.events, OTHER, 2, cursor)

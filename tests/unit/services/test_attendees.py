"""Every ticket names its holder (issue 11), on the fakes: a booking names one attendee per
ticket (or the customer on all), and the organizer changes one ticket's name, which renders
that ticket anew."""

from __future__ import annotations

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.pdf_reading import pdf_text
from tests.unit.services.given import a_fair
from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.events import Event
from ticketing.domain.orders import Attendee, Order
from ticketing.services import documents
from ticketing.services.bookings import book
from ticketing.services.positions import Renaming, rename_holder

ATTENDEES = [
    {"first_name": "Łukasz", "last_name": "Wąsik"},
    {"first_name": "伟", "last_name": "张"},
    {"first_name": "Ирина", "last_name": "Петрова"},
]


def booked(
    platform: FakePlatform, event: Event, quantity: int, attendees: list[dict[str, str]]
) -> Order:
    request = samples.a_booking_request(quantity).model_copy(
        update={"attendees": [Attendee.model_validate(a) for a in attendees]}
    )
    order, _, _ = book(platform.booking(), samples.organizer_of(event), event.event_id, request)
    return order


def renaming(platform: FakePlatform) -> Renaming:
    return Renaming(platform.orders, platform.events, platform.documents, platform.access)


def test_each_ticket_names_its_attendee(platform: FakePlatform) -> None:
    event = a_fair(platform)

    order = booked(platform, event, 3, ATTENDEES)

    stored = platform.orders.get(order.order_number)
    assert stored is not None
    assert [p.holder_name for p in stored.positions] == ["Łukasz Wąsik", "伟 张", "Ирина Петрова"]
    assert stored.customer.full_name == "Erika Mustermann"  # the buyer stays the customer


def test_without_attendees_every_ticket_names_the_customer(platform: FakePlatform) -> None:
    event = a_fair(platform)

    order = booked(platform, event, 2, [])

    assert [p.holder_name for p in order.positions] == ["Erika Mustermann"] * 2


@pytest.mark.parametrize("count", [1, 4])
def test_attendees_must_match_the_quantity(platform: FakePlatform, count: int) -> None:
    event = a_fair(platform)

    with pytest.raises(InvalidRequest) as refused:
        booked(platform, event, 3, (ATTENDEES * 2)[:count])

    assert refused.value.field == "attendees"
    assert platform.db.orders == {}
    assert platform.events.get(event.event_id).sold == 0  # type: ignore[union-attr]


def test_the_organizer_changes_one_tickets_name_and_its_pdf_follows(
    platform: FakePlatform,
) -> None:
    platform.access.add_party(samples.an_organizer(), None)
    event = a_fair(platform)
    order = booked(platform, event, 3, ATTENDEES)
    first, second, _ = order.positions
    kept = documents.ticket_pdf(platform.documents, order, event, second)
    assert "伟 张" in pdf_text(kept)

    renamed = rename_holder(
        renaming(platform),
        samples.organizer_of(event),
        order.order_number,
        second.position_id,
        Attendee(first_name="伟", last_name="张-Schmidt"),
    )

    assert [p.holder_name for p in renamed.positions] == [
        "Łukasz Wąsik",
        "伟 张-Schmidt",
        "Ирина Петрова",
    ]
    text = pdf_text(documents.ticket_pdf(platform.documents, renamed, event, second))
    assert "伟 张-Schmidt" in text
    assert "2 von 3" in text
    assert "Demo Messe GmbH" in text  # the organizer is named on the ticket
    assert renamed.positions[1].secret == second.secret  # the same ticket, another name
    other = pdf_text(documents.ticket_pdf(platform.documents, renamed, event, first))
    assert "Łukasz Wąsik" in other


def test_a_kept_pdf_of_all_tickets_is_rendered_anew(platform: FakePlatform) -> None:
    event = a_fair(platform)
    order = booked(platform, event, 2, ATTENDEES[:2])
    documents.all_tickets_download(platform.documents, order, event)

    rename_holder(
        renaming(platform),
        samples.organizer_of(event),
        order.order_number,
        order.positions[0].position_id,
        Attendee(first_name="Anna", last_name="Schmidt"),
    )

    kept = platform.documents.get(documents.all_tickets_key(order))
    assert kept is not None
    assert "Anna Schmidt" in pdf_text(kept)
    assert "Łukasz Wąsik" not in pdf_text(kept)


def test_a_used_ticket_keeps_its_name(platform: FakePlatform) -> None:
    event = a_fair(platform)
    order = booked(platform, event, 1, [])
    position = order.positions[0]
    platform.orders.check_in(order, position.position_id, position.secret, platform.clock.now())

    with pytest.raises(Conflict):
        rename_holder(
            renaming(platform),
            samples.organizer_of(event),
            order.order_number,
            position.position_id,
            Attendee(first_name="Anna", last_name="Schmidt"),
        )

    stored = platform.orders.get(order.order_number)
    assert stored is not None
    assert stored.positions[0].holder_name == "Erika Mustermann"


def test_an_unknown_ticket_or_another_organizers_order_is_not_found(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    order = booked(platform, event, 1, [])
    name = Attendee(first_name="Anna", last_name="Schmidt")

    with pytest.raises(NotFound):
        rename_holder(
            renaming(platform), samples.organizer_of(event), order.order_number, "nope123", name
        )
    stranger = samples.organizer_of(event.model_copy(update={"organizer_id": "org_other"}))
    with pytest.raises(NotFound):
        rename_holder(
            renaming(platform), stranger, order.order_number, order.positions[0].position_id, name
        )

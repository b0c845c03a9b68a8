"""An event's questions on the fakes (seed 002): the organizer sets them, a booking and a
voucher registration answer them, the answers stay with the order, its tickets and the
registration, and an exhibitor sees only the shared ones."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, a_visitor, an_exhibitor, issued_vouchers
from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.events import Event
from ticketing.domain.orders import BookingRequest
from ticketing.domain.questions import Question
from ticketing.services import questions
from ticketing.services.bookings import book
from ticketing.services.documents import ticket_view
from ticketing.services.visitor_vouchers.registration import register

FORM: list[dict[str, Any]] = [
    {
        "id": "company",
        "label": {"de": "Firma", "en": "Company", "zh": "公司"},
        "type": "text",
        "required": True,
        "scope": "order",
        "share_with_exhibitor": True,
    },
    {
        "id": "phone",
        "label": {"de": "Telefon", "en": "Phone"},
        "type": "phone",
        "scope": "order",
    },
    {
        "id": "diet",
        "label": {"de": "Essen", "en": "Meal"},
        "type": "choice",
        "required": True,
        "scope": "attendee",
        "price_options": ["day"],
        "on_ticket": True,
        "options": [
            {"id": "veg", "label": {"de": "Vegetarisch", "en": "Vegetarian"}},
            {"id": "any", "label": {"de": "Alles", "en": "Anything"}},
        ],
    },
]


def with_questions(platform: FakePlatform, event: Event) -> None:
    asked = [Question.model_validate(q) for q in FORM]
    questions.set_questions(
        platform.questions, platform.events, samples.organizer_of(event), event.event_id, asked
    )


def booking(answers: dict[str, Any], *diets: str) -> BookingRequest:
    body = samples.a_booking_request(len(diets) or 2).model_dump(mode="json")
    body["answers"] = answers
    if diets:
        body["attendees"] = [
            {"first_name": "Ewa", "last_name": f"Łukasz {i}", "answers": {"diet": d}}
            for i, d in enumerate(diets)
        ]
    return BookingRequest.model_validate(body)


def test_the_organizer_sets_and_reads_its_events_questions(platform: FakePlatform) -> None:
    event = a_fair(platform)
    organizer = samples.organizer_of(event)
    with_questions(platform, event)

    form = questions.questions_of(platform.questions, platform.events, organizer, event.event_id)

    assert [q.id for q in form.questions] == ["company", "phone", "diet"]
    assert form.version == 1
    with pytest.raises(Conflict):  # an edit made from an older form
        questions.set_questions(
            platform.questions, platform.events, organizer, event.event_id, [], expected_version=0
        )


def test_another_organizers_event_has_no_questions_to_read_or_set(platform: FakePlatform) -> None:
    event = a_fair(platform)
    other = samples.organizer_of(samples.a_fair(organizer_id="org_other"))

    with pytest.raises(NotFound):
        questions.questions_of(platform.questions, platform.events, other, event.event_id)
    with pytest.raises(NotFound):
        questions.set_questions(platform.questions, platform.events, other, event.event_id, [])


def test_a_booking_missing_a_required_answer_is_refused_naming_it(platform: FakePlatform) -> None:
    event = a_fair(platform)
    with_questions(platform, event)
    organizer = samples.organizer_of(event)

    with pytest.raises(InvalidRequest) as no_company:
        book(platform.booking(), organizer, event.event_id, booking({}, "veg", "any"))
    with pytest.raises(InvalidRequest) as no_diet:
        book(platform.booking(), organizer, event.event_id, booking({"company": "Sägewerk"}))
    with pytest.raises(InvalidRequest) as unknown:
        book(
            platform.booking(),
            organizer,
            event.event_id,
            booking({"company": "S", "shoe": "44"}, "veg", "any"),
        )

    assert no_company.value.field == "answers.company"
    assert no_diet.value.field == "attendees[0].answers.diet"
    assert unknown.value.field == "answers.shoe"
    assert platform.events.get(event.event_id).sold == 0  # type: ignore[union-attr]


def test_a_booking_keeps_the_order_and_each_tickets_answers(platform: FakePlatform) -> None:
    event = a_fair(platform)
    with_questions(platform, event)

    order, _, _ = book(
        platform.booking(),
        samples.organizer_of(event),
        event.event_id,
        booking({"company": "Sägewerk Süd", "phone": "+49 89 123456"}, "veg", "any"),
    )

    stored = platform.orders.get(order.order_number)
    assert stored is not None
    assert stored.answers == {"company": "Sägewerk Süd", "phone": "+49 89 123456"}
    assert [p.answers for p in stored.positions] == [{"diet": "veg"}, {"diet": "any"}]
    assert [p.holder_name for p in stored.positions] == ["Ewa Łukasz 0", "Ewa Łukasz 1"]
    # only the question marked on_ticket is printed, in the event's language (German)
    view = ticket_view(stored, event, stored.positions[0])
    assert view.answers == (("Essen", "Vegetarisch"),)


def test_a_registration_answers_the_order_questions_and_the_exhibitor_sees_the_shared(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    _, [code, *_] = issued_vouchers(platform, event, exhibitor, 2)
    with_questions(platform, event)
    visitor = a_visitor().model_copy(
        update={"answers": {"company": "Waldbau", "phone": "+49 89 654321"}}
    )

    with pytest.raises(InvalidRequest) as missing:
        register(platform.registration_desk(), "203.0.113.9", code, a_visitor())
    registered = register(platform.registration_desk(), "203.0.113.9", code, visitor)

    assert missing.value.field == "answers.company"
    assert registered.order.answers == {"company": "Waldbau", "phone": "+49 89 654321"}
    rows, shared = questions.exhibitor_registrations(
        platform.vouchers,
        platform.questions,
        samples.exhibitor_principal(exhibitor),
        event.event_id,
    )
    assert [q.id for q in shared] == ["company"]
    assert [r.answers for r in rows] == [{"company": "Waldbau"}]

"""An event's questions (seed 002): the organizer sets them, bookings and registrations
answer them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.domain.answers import Answers, checked_answers
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.identity import Principal, Role
from ticketing.domain.questions import EventQuestions, Question, check_questions
from ticketing.services.roles import owned_event, require

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ticketing.domain.events import Event
    from ticketing.domain.visitor_vouchers import Registration
    from ticketing.services.ports import EventStore, VisitorVoucherStore
    from ticketing.services.ports_questions import QuestionStore


def questions_of(
    store: QuestionStore, events: EventStore, principal: Principal, event_id: str
) -> EventQuestions:
    """The questions of one of the organizer's events."""
    require(principal, Role.ORGANIZER)
    owned_event(events, principal, event_id)
    return store.get(event_id)


def set_questions(
    store: QuestionStore,
    events: EventStore,
    principal: Principal,
    event_id: str,
    questions: list[Question],
    expected_version: int | None = None,
) -> EventQuestions:
    """Replace the event's questions; 422 naming the question that makes no sense."""
    require(principal, Role.ORGANIZER)
    event = owned_event(events, principal, event_id)
    check_questions(questions, event)
    return store.replace(event_id, questions, expected_version)


def order_answers(form: EventQuestions, given: Mapping[str, Any] | None) -> Answers:
    """The booking's (or registration's) answers to the order's questions."""
    return checked_answers(form.of_order(), given, "answers")


def ticket_answers(
    form: EventQuestions,
    event: Event,
    price_option: str,
    given: Sequence[Mapping[str, Any] | None],
    quantity: int,
) -> list[Answers]:
    """Each ticket's answers to its own questions (``attendees[i].answers``).

    Without attendees (``given`` empty) a ticket answers nothing: fine unless one of its
    questions is required, which then names the first ticket's answer as missing.
    """
    option = event.price_option(price_option)
    asked = form.of_ticket(price_option, bool(option and option.is_pass))
    if not asked and not any(given):
        return [{} for _ in range(quantity)]
    per_ticket = list(given) or [None] * quantity
    if len(per_ticket) != quantity:
        raise InvalidRequest(
            f"attendees names {len(per_ticket)} people for {quantity} tickets",
            field="attendees",
            message_id="problem.booking.attendees_count",
            params={"attendees": len(per_ticket), "quantity": quantity},
        )
    return [
        checked_answers(asked, answers, f"attendees[{index}].answers")
        for index, answers in enumerate(per_ticket)
    ]


def exhibitor_registrations(
    vouchers: VisitorVoucherStore, store: QuestionStore, principal: Principal, event_id: str
) -> tuple[list[Registration], list[Question]]:
    """An exhibitor's redemptions with only the answers the organizer shares with exhibitors,
    and those questions (the columns of its list)."""
    from ticketing.services.visitor_vouchers.billing import registrations

    found = list(registrations(vouchers, principal, event_id))  # checks the exhibitor first
    shared = store.get(event_id).shared_with_exhibitor()
    ids = {question.id for question in shared}
    kept = [
        r.model_copy(update={"answers": {k: v for k, v in r.answers.items() if k in ids}})
        for r in found
    ]
    return kept, shared

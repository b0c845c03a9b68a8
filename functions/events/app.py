"""Events (products) and their price options."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from ticketing import clock
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.question_store import DynamoQuestionStore
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.events import Event, EventDraft
from ticketing.domain.fields import format_rate
from ticketing.domain.money import format_amount
from ticketing.domain.questions import EventQuestions, Question
from ticketing.services import events as use_cases
from ticketing.services import questions

app = make_resolver()
store = DynamoEventStore()
idempotency = DynamoIdempotencyStore()
question_store = DynamoQuestionStore()


def _view(event: Event) -> dict[str, Any]:
    body = event.model_dump(mode="json", exclude={"organizer_id"})
    for option, shown in zip(event.price_options, body["price_options"], strict=True):
        split = option.split()
        shown.update(
            net=format_amount(split.net),
            tax=format_amount(split.tax),
            tax_rate=format_rate(option.tax_rate),
        )
    return body


@app.post(
    "/events",
    summary="Create an event with its price options",
    responses={201: {"description": "The event"}},
)
def create_event(draft: EventDraft) -> tuple[dict[str, Any], int]:
    desk = use_cases.EventDesk(store, idempotency, clock.current())
    event, created = use_cases.create_event(desk, caller(app), draft, idempotency_key(app))
    return _view(event), 201 if created else 200


@app.get("/events", summary="List the events, a page at a time")
def list_events(
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict[str, Any]:
    events, next_cursor = use_cases.list_events(store, caller(app), limit, cursor)
    return {"events": [_view(e) for e in events], "next_cursor": next_cursor}


@app.get("/events/<event_id>", summary="An event with its price options")
def get_event(event_id: str) -> dict[str, Any]:
    return _view(use_cases.get_event(store, caller(app), event_id))


def _questions_view(form: EventQuestions) -> dict[str, Any]:
    return {
        "event_id": form.event_id,
        "version": form.version,
        "questions": [q.model_dump(mode="json", exclude_none=True) for q in form.questions],
    }


@app.put(
    "/events/<event_id>/questions",
    summary="Replace the event's questions (registration, attendee and pass forms)",
    responses={
        200: {"description": "The event's questions as stored"},
        409: {"description": "The questions were changed meanwhile"},
    },
)
def put_questions(
    event_id: str,
    body: Annotated[list[Question], Body(description="The questions, in the order asked")],
) -> dict[str, Any]:
    stored = questions.set_questions(question_store, store, caller(app), event_id, body)
    return _questions_view(stored)


@app.get("/events/<event_id>/questions", summary="The event's questions")
def get_questions(event_id: str) -> dict[str, Any]:
    return _questions_view(questions.questions_of(question_store, store, caller(app), event_id))


handler = lambda_handler(app)

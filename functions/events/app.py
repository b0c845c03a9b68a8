"""Events (products) and their price options."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.events import Event, EventDraft
from ticketing.domain.fields import format_rate
from ticketing.domain.money import format_amount
from ticketing.services import events as use_cases

app = make_resolver()
store = DynamoEventStore()
idempotency = DynamoIdempotencyStore()


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


handler = lambda_handler(app)

"""Notifications to ticket holders (seed 001, issue 15): the organizer writes, previews and
submits a message to an event's holders; the platform's reviewer approves (then it is sent to
every order address), rejects it or asks back. Nothing is sent before approval."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, ConfigDict, Field

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.notification_store import DynamoNotificationStore, SqsNotificationQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.notifications import (
    Notification,
    NotificationChange,
    NotificationDraft,
    Rejection,
    ReviewQuestion,
    State,
)
from ticketing.services import notification_mail, notifications
from ticketing.settings import settings

app = make_resolver()
store = DynamoNotificationStore()
events = DynamoEventStore()
access = DynamoAccessStore()
orders = DynamoOrderStore()
idempotency = DynamoIdempotencyStore()
mail = SqsMailQueue()
queue = SqsNotificationQueue()
JSON = "application/json"


class NotificationView(BaseModel):
    """A notification: its text, where it stands in review and sending, and its counts."""

    model_config = ConfigDict(defer_build=True)

    notification_id: str
    event_id: str
    organizer_id: str
    kind: str
    subject: str
    body: str
    audience: str = Field(
        default="order_holders",
        description="order_holders (the event's orders) or exhibitor_registrants (an "
        "exhibitor's message to the registrants of its codes who agreed to be contacted)",
    )
    exhibitor_id: str | None = Field(default=None, description="The exhibitor that wrote it")
    state: State = Field(
        description="draft, submitted, question (asked back), rejected, approved, sending, sent"
    )
    reason: str | None = Field(default=None, description="Why the reviewer rejected it")
    question: str | None = Field(default=None, description="What the reviewer asks")
    recipients: int
    sent: int
    suppressed: int
    failed: int
    created_at: str
    updated_at: str
    submitted_at: str | None = None
    decided_at: str | None = None
    finished_at: str | None = None


class NotificationList(BaseModel):
    model_config = ConfigDict(defer_build=True)

    notifications: list[NotificationView]


class PreviewView(BaseModel):
    model_config = ConfigDict(defer_build=True)

    to: str
    order_number: str
    language: str
    sample: bool = Field(description="True: the event has no order yet; a sample holder")
    subject: str
    text: str
    html: str


def view(found: Notification) -> dict[str, Any]:
    return found.model_dump(
        mode="json", exclude={"cursor", "pages", "version", "created_by", "decided_by"}
    )


def _desk() -> notifications.Desk:
    return notifications.Desk(
        store,
        events,
        access,
        orders,
        idempotency,
        mail,
        queue,
        clock.current(),
        settings().public_base_url,
        settings().review_mail,
    )


ONE: dict[int, OpenAPIResponse] = {
    200: {"description": "The notification", "content": {JSON: {"model": NotificationView}}}
}


@app.post(
    "/events/<event_id>/notifications",
    summary="Write a notification to the event's ticket holders (a draft)",
    responses={201: {"description": "The draft"}, 200: {"description": "A retry"}},
)
def create(event_id: str, draft: NotificationDraft) -> tuple[dict[str, Any], int]:
    found, created = notifications.create(
        _desk(), caller(app), event_id, draft, idempotency_key(app)
    )
    return view(found), 201 if created else 200


@app.get("/notifications", summary="The review queue: notifications in a state, every tenant's")
def queue_of(status: Annotated[State, Query()] = "submitted") -> dict[str, Any]:
    found = notifications.review_queue(_desk(), caller(app), status)
    return {"notifications": [view(n) for n in found]}


@app.get("/notifications/<notification_id>", summary="A notification", responses=ONE)
def read(notification_id: str) -> dict[str, Any]:
    return view(notifications.own(_desk(), caller(app), notification_id))


@app.patch(
    "/notifications/<notification_id>",
    summary="Change a draft (or one the reviewer asked back about)",
    responses={**ONE, 409: {"description": "Submitted or decided: it no longer changes"}},
)
def change(notification_id: str, change: NotificationChange) -> dict[str, Any]:
    return view(notifications.change(_desk(), caller(app), notification_id, change))


@app.get(
    "/notifications/<notification_id>/preview",
    summary="The mail as one holder would get it",
    responses={200: {"description": "The mail", "content": {JSON: {"model": PreviewView}}}},
)
def preview(notification_id: str) -> dict[str, Any]:
    shown = notification_mail.preview(_desk(), caller(app), notification_id)
    return {
        "to": shown.to,
        "order_number": shown.order_number,
        "language": shown.language,
        "sample": shown.sample,
        "subject": shown.subject,
        "text": shown.text,
        "html": shown.html,
    }


@app.post(
    "/notifications/<notification_id>/submit",
    summary="Submit for review (the reviewer is told by mail)",
    responses={
        **ONE,
        409: {"description": "Not a draft"},
        422: {"description": "An information message links elsewhere (the link is named)"},
    },
)
def submit(notification_id: str) -> dict[str, Any]:
    return view(notifications.submit(_desk(), caller(app), notification_id))


@app.post(
    "/notifications/<notification_id>/approve",
    summary="Approve (reviewer): it is sent to every order address of the event",
    responses={**ONE, 409: {"description": "Not submitted (approved already, or decided)"}},
)
def approve(notification_id: str) -> dict[str, Any]:
    return view(notifications.approve(_desk(), caller(app), notification_id))


@app.post(
    "/notifications/<notification_id>/reject",
    summary="Reject (reviewer) with a reason the organizer gets by mail",
    responses={**ONE, 409: {"description": "Not submitted"}},
)
def reject(notification_id: str, decision: Rejection) -> dict[str, Any]:
    return view(notifications.reject(_desk(), caller(app), notification_id, decision.reason))


@app.post(
    "/notifications/<notification_id>/question",
    summary="Ask back (reviewer): the organizer gets the question by mail and may change it",
    responses={**ONE, 409: {"description": "Not submitted"}},
)
def question(notification_id: str, question: ReviewQuestion) -> dict[str, Any]:
    return view(notifications.ask(_desk(), caller(app), notification_id, question.text))


handler = lambda_handler(app)

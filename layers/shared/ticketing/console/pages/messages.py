"""Notifications to ticket holders in the console (seed 001 "Nachrichten an Kunden", issue 15
item 7): the organizer writes a message per event, previews it, submits it and follows its
sending; the reviewer works the queue with approve, reject (a reason) and question (a text).

The same use cases as ``functions/notifications`` (``services/notifications``,
``notification_mail.preview``) with the session's principal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ticketing.console.backoffice_forms import field_errors, rule_error, typed
from ticketing.console.registry import page
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.notifications import (
    NotificationChange,
    NotificationDraft,
    Rejection,
    ReviewQuestion,
)
from ticketing.domain.people import UserKind
from ticketing.services import events, notification_mail, notifications

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit

MESSAGES = "/console/messages"
EVENT_MESSAGES = "/console/events/{event_id}/messages"
REVIEW = "/console/review/messages"
STAFF = {UserKind.ORGANIZER}
REVIEWER = {UserKind.REVIEWER}
BOTH = {UserKind.ORGANIZER, UserKind.REVIEWER}
FIELDS = ("subject", "body", "kind")


def message_path(notification_id: str) -> str:
    return f"{MESSAGES}/{notification_id}"


def _desk(visit: Visit) -> notifications.Desk:
    return visit.stores.notifications.desk(visit.stores)


@page("GET", MESSAGES, kinds=STAFF, nav="console.nav.messages")
def event_choice(visit: Visit) -> Answer:
    listed, _ = events.list_events(visit.stores.events, visit.principal, 100, None)
    return visit.render("messages_events.html", events=listed)


def _event_page(visit: Visit, status: int = 200, **form: Any) -> Answer:
    event_id = visit.params["event_id"]
    event = events.get_event(visit.stores.events, visit.principal, event_id)
    found = notifications.of_event(_desk(visit), visit.principal, event_id)
    return visit.render(
        "messages_event.html",
        status,
        event=event,
        notifications=found,
        errors=form.get("errors", {}),
        values=form.get("values", {"kind": "information"}),
    )


@page("GET", EVENT_MESSAGES, kinds=STAFF)
def event_messages(visit: Visit) -> Answer:
    return _event_page(visit)


@page("POST", EVENT_MESSAGES, kinds=STAFF)
def create(visit: Visit) -> Answer:
    values = typed(visit.form, FIELDS)
    try:
        draft = NotificationDraft.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as invalid:
        errors = field_errors(visit.language, invalid)
        return _event_page(visit, 422, errors=errors, values=values)
    made, _ = notifications.create(
        _desk(visit), visit.principal, visit.params["event_id"], draft, None
    )
    visit.record("EVENT", made.event_id, "activity.event.notification_created", title=made.subject)
    return visit.done(
        message_path(made.notification_id), "console.messages.created", subject=made.subject
    )


def _detail(visit: Visit, status: int = 200, **form: Any) -> Answer:
    desk = _desk(visit)
    found = notifications.own(desk, visit.principal, visit.params["notification_id"])
    event = desk.events.get(found.event_id)
    preview = notification_mail.preview(desk, visit.principal, found.notification_id)
    values = form.get("values") or {k: str(getattr(found, k)) for k in FIELDS}
    return visit.render(
        "messages_detail.html",
        status,
        notification=found,
        event=event,
        preview=preview,
        errors=form.get("errors", {}),
        values=values,
        reviewer=visit.user.kind == UserKind.REVIEWER,
    )


@page("GET", MESSAGES + "/{notification_id}", kinds=BOTH)
def detail(visit: Visit) -> Answer:
    return _detail(visit)


@page("POST", MESSAGES + "/{notification_id}", kinds=STAFF)
def change(visit: Visit) -> Answer:
    values = typed(visit.form, FIELDS)
    try:
        changed = NotificationChange.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as invalid:
        return _detail(visit, 422, errors=field_errors(visit.language, invalid), values=values)
    nid = visit.params["notification_id"]
    done = notifications.change(_desk(visit), visit.principal, nid, changed)
    return visit.done(message_path(nid), "console.messages.saved", subject=done.subject)


@page("POST", MESSAGES + "/{notification_id}/submit", kinds=STAFF)
def submit(visit: Visit) -> Answer:
    nid = visit.params["notification_id"]
    try:
        done = notifications.submit(_desk(visit), visit.principal, nid)
    except InvalidRequest as refused:
        return _detail(visit, 422, errors=rule_error(visit.language, refused))
    visit.record(
        "EVENT", done.event_id, "activity.event.notification_submitted", title=done.subject
    )
    return visit.done(message_path(nid), "console.messages.submitted", subject=done.subject)


@page("GET", REVIEW, kinds=REVIEWER, nav="console.nav.review_messages")
def review_queue(visit: Visit) -> Answer:
    found = notifications.review_queue(_desk(visit), visit.principal, "submitted")
    names = {o.organizer_id: o.name for o in visit.stores.access.list_organizers()}
    return visit.render("messages_review.html", notifications=found, organizers=names)


@page("POST", MESSAGES + "/{notification_id}/approve", kinds=REVIEWER)
def approve(visit: Visit) -> Answer:
    done = notifications.approve(_desk(visit), visit.principal, visit.params["notification_id"])
    visit.record("EVENT", done.event_id, "activity.event.notification_approved", title=done.subject)
    return visit.done(REVIEW, "console.messages.approved", subject=done.subject)


@page("POST", MESSAGES + "/{notification_id}/reject", kinds=REVIEWER)
def reject(visit: Visit) -> Answer:
    return _answer(visit, "reason")


@page("POST", MESSAGES + "/{notification_id}/question", kinds=REVIEWER)
def question(visit: Visit) -> Answer:
    return _answer(visit, "text")


def _answer(visit: Visit, field: str) -> Answer:
    values = typed(visit.form, (field,))
    model = Rejection if field == "reason" else ReviewQuestion
    try:
        given = model.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as invalid:
        return _detail(visit, 422, errors=field_errors(visit.language, invalid))
    nid, desk = visit.params["notification_id"], _desk(visit)
    if isinstance(given, Rejection):
        done = notifications.reject(desk, visit.principal, nid, given.reason)
        notice, what = "console.messages.rejected", "activity.event.notification_rejected"
    else:
        done = notifications.ask(desk, visit.principal, nid, given.text)
        notice, what = "console.messages.asked", "activity.event.notification_asked"
    visit.record("EVENT", done.event_id, what, title=done.subject)
    return visit.done(REVIEW, notice, subject=done.subject)

"""Notifications to ticket holders (seed 001, issue 15 items 1-2): the organizer writes,
previews and submits; the platform's reviewer approves, rejects or asks back. Nothing is sent
before approval; every change of state is a conditional write (``NotificationStore.replace``),
so approving twice answers 409 and queues the fan-out once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.notifications import (
    EDITABLE,
    SUBMITTABLE,
    Notification,
    NotificationChange,
    NotificationDraft,
    State,
    foreign_links,
)
from ticketing.mail.messages import MailRequest
from ticketing.observability import logger
from ticketing.services.idempotency import Once
from ticketing.services.roles import require

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.domain.orders import Order
    from ticketing.services.ports import (
        AccessStore,
        EventStore,
        IdempotencyStore,
        MailQueue,
        OrderPages,
    )
    from ticketing.services.ports_notifications import NotificationQueue, NotificationStore


@dataclass(frozen=True, slots=True)
class Desk:
    notifications: NotificationStore
    events: EventStore
    access: AccessStore
    orders: OrderPages
    idempotency: IdempotencyStore
    mail: MailQueue
    queue: NotificationQueue
    clock: Clock
    platform_url: str  # the platform's own pages (PUBLIC_BASE_URL)
    review_mail: str  # where the reviewers are told of a submitted notification


def _event(desk: Desk, principal: Principal, event_id: str) -> Event:
    event = desk.events.get(event_id)
    if event is None or not principal.owns(event.organizer_id):
        raise NotFound(f"no event {event_id}")
    return event


def own(desk: Desk, principal: Principal, notification_id: str) -> Notification:
    """The caller's notification (the reviewer: any); another tenant's answers as missing."""
    require(principal, Role.ORGANIZER, Role.REVIEWER)
    found = desk.notifications.get(notification_id)
    if found is None or not principal.owns(found.organizer_id):
        raise NotFound(f"no notification {notification_id}")
    return found


def create(
    desk: Desk, principal: Principal, event_id: str, draft: NotificationDraft, key: str | None
) -> tuple[Notification, bool]:
    """A new draft; a retry with the same Idempotency-Key answers the first (False)."""
    require(principal, Role.ORGANIZER)
    event = _event(desk, principal, event_id)
    request = f"{event_id}\n{draft.model_dump_json()}"
    once = Once.of(desk.idempotency, event.organizer_id, "notification", key, request)
    earlier = once.earlier()
    if earlier is not None:
        return own(desk, principal, earlier), False
    now = desk.clock.now()
    notification = Notification(
        notification_id=new_id("ntf"),
        organizer_id=event.organizer_id,
        event_id=event.event_id,
        kind=draft.kind,
        subject=draft.subject,
        body=draft.body,
        created_at=now,
        created_by=principal.key_id,
        updated_at=now,
    )
    twin = once.write(
        notification.notification_id,
        now,
        lambda claim: desk.notifications.add(notification, claim),
    )
    if twin is not None:
        return own(desk, principal, twin), False
    return notification, True


def of_event(desk: Desk, principal: Principal, event_id: str) -> list[Notification]:
    require(principal, Role.ORGANIZER, Role.REVIEWER)
    _event(desk, principal, event_id)
    return desk.notifications.of_event(event_id)


def change(
    desk: Desk, principal: Principal, notification_id: str, change: NotificationChange
) -> Notification:
    require(principal, Role.ORGANIZER)
    return edit(desk, authored(desk, principal, notification_id), change)


def edit(desk: Desk, found: Notification, change: NotificationChange) -> Notification:
    """``found`` with the fields ``change`` sends, while its author may still change it (a
    draft, or asked back by the reviewer: it stays in that state until submitted again).
    The caller has checked that ``found`` is its own (the organizer's, or the exhibitor's)."""
    fields = change.model_dump(exclude_unset=True, exclude_none=True)
    return _move(desk, found, EDITABLE, found.state, fields)


def _move(
    desk: Desk,
    found: Notification,
    allowed: frozenset[str],
    state: State,
    fields: dict[str, Any],
) -> Notification:
    """``found`` in ``state`` with ``fields``, written only if nobody changed it meanwhile."""
    if found.state not in allowed:
        raise Conflict(
            f"the notification is {found.state}; this needs one that is "
            f"{' or '.join(sorted(allowed))}",
            message_id="problem.notification.state",
            params={"state": found.state},
        )
    moved = found.model_copy(update={**fields, "state": state, "updated_at": desk.clock.now()})
    moved = Notification.model_validate(moved.model_dump())
    if not desk.notifications.replace(moved, found.version):
        raise Conflict(
            "the notification was changed at the same time; read it again",
            message_id="problem.notification.changed",
        )
    return moved.model_copy(update={"version": found.version + 1})


def check_links(desk: Desk, notification: Notification) -> None:
    """An ``information`` notification links only to the platform and the event's website."""
    if notification.kind != "information":
        return
    organizer = desk.access.get_organizer(notification.organizer_id)
    event = desk.events.get(notification.event_id)
    allowed = [desk.platform_url]
    for owner in (event, organizer):
        website = getattr(owner, "website", None)
        if website:
            allowed.append(str(website))
    foreign = foreign_links(notification.body, allowed)
    if foreign:
        raise InvalidRequest(
            f"an information message links only to this platform's pages or the event's "
            f"own website; {foreign[0]} belongs in a marketing message",
            field="body",
            message_id="problem.notification.foreign_link",
            params={"link": foreign[0]},
        )


def submit(desk: Desk, principal: Principal, notification_id: str) -> Notification:
    require(principal, Role.ORGANIZER)
    return send_for_review(desk, authored(desk, principal, notification_id))


def authored(desk: Desk, principal: Principal, notification_id: str) -> Notification:
    """The organizer's own message to change or submit: an exhibitor's message to its
    registrants is the exhibitor's text, which the organizer reads but does not rewrite."""
    found = own(desk, principal, notification_id)
    if found.exhibitor_id is not None:
        raise Conflict(
            "this message is an exhibitor's; only the exhibitor changes or submits it",
            message_id="problem.notification.exhibitors",
        )
    return found


def send_for_review(desk: Desk, found: Notification) -> Notification:
    """``found`` (a draft, or changed after a question) submitted again to the reviewers, who
    are told; its links are checked first. The caller has checked that it is its own."""
    if found.state in SUBMITTABLE:
        check_links(desk, found)
    at = desk.clock.now()
    moved = _move(desk, found, SUBMITTABLE, "submitted", {"submitted_at": at})
    tell_reviewers(desk, moved)
    return moved


def tell_reviewers(desk: Desk, submitted: Notification) -> None:
    """The reviewers' mail of a notification just submitted (once per version)."""
    event = desk.events.get(submitted.event_id)
    organizer = desk.access.get_organizer(submitted.organizer_id)
    author = organizer.name if organizer else submitted.organizer_id
    if submitted.exhibitor_id is not None:
        exhibitor = desk.access.get_exhibitor(submitted.exhibitor_id)
        author = f"{exhibitor.name if exhibitor else submitted.exhibitor_id} ({author})"
    desk.mail.enqueue(
        MailRequest(
            template="notification_submitted",
            to=[desk.review_mail],
            language="de",
            request_id=f"ntf-submitted-{submitted.notification_id}-{submitted.version}",
            context={
                "notification_id": submitted.notification_id,
                "subject_line": submitted.subject,
                "kind": submitted.kind,
                "organizer_name": author,
                "event_name": event.name if event else submitted.event_id,
            },
        )
    )


def review_queue(desk: Desk, principal: Principal, state: State) -> list[Notification]:
    """The reviewer's queue: every tenant's notifications in ``state`` (an organizer: its own)."""
    require(principal, Role.REVIEWER, Role.ORGANIZER)
    found = desk.notifications.in_state(state)
    return [n for n in found if principal.owns(n.organizer_id)]


def approve(desk: Desk, principal: Principal, notification_id: str) -> Notification:
    """Approved, then queued for the fan-out; a second approval answers 409 and sends nothing."""
    require(principal, Role.REVIEWER)
    found = own(desk, principal, notification_id)
    fields = {"decided_at": desk.clock.now(), "decided_by": principal.key_id}
    moved = _move(desk, found, frozenset({"submitted"}), "approved", fields)
    try:
        desk.queue.enqueue_notification(notification_id)
    except Exception:  # noqa: BLE001 - approved it is; services/notification_rescue.py queues it
        logger.exception(
            "fan-out not queued; the rescue schedule will", extra={"id": notification_id}
        )
    return moved


def reject(desk: Desk, principal: Principal, notification_id: str, reason: str) -> Notification:
    return _answer(desk, principal, notification_id, "rejected", reason)


def ask(desk: Desk, principal: Principal, notification_id: str, text: str) -> Notification:
    return _answer(desk, principal, notification_id, "question", text)


def _answer(
    desk: Desk, principal: Principal, notification_id: str, state: State, text: str
) -> Notification:
    require(principal, Role.REVIEWER)
    found = own(desk, principal, notification_id)
    fields: dict[str, Any] = {"decided_at": desk.clock.now(), "decided_by": principal.key_id}
    fields["reason" if state == "rejected" else "question"] = text
    moved = _move(desk, found, frozenset({"submitted"}), state, fields)
    organizer = desk.access.get_organizer(found.organizer_id)
    event = desk.events.get(found.event_id)
    if organizer is not None:
        to, name = str(organizer.contact_email or organizer.email), organizer.name
        # an exhibitor's message to its registrants: the exhibitor is told
        exhibitor = desk.access.get_exhibitor(found.exhibitor_id) if found.exhibitor_id else None
        if exhibitor is not None:
            to, name = str(exhibitor.email), exhibitor.name
        desk.mail.enqueue(
            MailRequest(
                template="notification_reviewed",
                to=[to],
                language=organizer.language,
                request_id=f"ntf-{state}-{found.notification_id}-{moved.version}",
                context={
                    "organizer_name": name,
                    "event_name": event.name if event else found.event_id,
                    "subject_line": found.subject,
                    "outcome": state,
                    "text": text,
                    "notification_id": found.notification_id,
                },
            )
        )
    return moved


def sample_order(desk: Desk, event: Event) -> Order | None:
    """The first of the event's orders with an address to write to (the preview's holder)."""
    cursor = None
    for _ in range(5):
        page, cursor = desk.orders.list_for_event(event.event_id, 25, cursor)
        for order in page:
            if mail_address(order):
                return order
        if cursor is None:
            return None
    return None


def mail_address(order: Order) -> str | None:
    """Where a notification about ``order`` goes (None: an order without an address)."""
    if order.customer.email is None and order.submitter is None:
        return None
    return order.mail_recipient


def when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()

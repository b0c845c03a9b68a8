"""The fan-out of an approved notification (issue 15 item 3): one mail per order address of the
event's orders, walked page by page through the booking list's index.

Each page is committed at once (``NotificationStore.claim_page``): a record per recipient
(``NOTIFIED#<id>#<order>``), the counters and the bookmark. The mails are queued only after
that commit, each with the request id its record names, so a retried worker or a redelivered
message finds the page claimed and queues nothing twice (and the mailer's sent-marker drops a
repeated request too). The walk stops before the Lambda's deadline and asks to be queued again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ticketing.clock import Clock
from ticketing.domain.errors import NotFound
from ticketing.domain.events import Event
from ticketing.domain.identity import Principal
from ticketing.domain.notifications import Notification, to_html, to_text
from ticketing.domain.orders import Order
from ticketing.i18n.languages import Language
from ticketing.links import self_service_url
from ticketing.mail.messages import MailRequest
from ticketing.observability import count, logger
from ticketing.services import mail_policy, notifications
from ticketing.services.notifications import mail_address
from ticketing.services.ports import AccessStore, EventStore, MailQueue, OrderPages
from ticketing.services.ports_notifications import NotificationStore, Recipient

PAGE = 50  # orders per page: one commit of 50 records, the counters and the bookmark
Walked = Literal["sent", "paused", "closed", "taken over"]


@dataclass(frozen=True, slots=True)
class Fanning:
    notifications: NotificationStore
    events: EventStore
    access: AccessStore
    orders: OrderPages
    mail: MailQueue
    policy: mail_policy.MailPolicy
    clock: Clock
    base_url: str | None = None


def request_id(notification_id: str, order_number: str) -> str:
    """The mail's id, derived from its recipient record: the mailer sends it once."""
    return f"ntf-{notification_id}-{order_number}"


@dataclass(frozen=True, slots=True)
class Holder:
    """Who one mail of a notification goes to, and about which order."""

    first_name: str
    last_name: str
    order_number: str
    language: Language
    address: str
    self_service_url: str


def holder_of(order: Order, base_url: str | None = None) -> Holder:
    return Holder(
        order.customer.first_name,
        order.customer.last_name,
        order.order_number,
        order.language,
        mail_address(order) or "",
        self_service_url(order.order_number, order.self_service_secret, base_url),
    )


def sample_holder(event: Event, base_url: str) -> Holder:
    """The preview's holder when the event has no order yet."""
    return Holder(
        "Erika", "Mustermann", "SAMPLE-0001", event.language, "erika@example.org", base_url
    )


def holder_mail(
    notification: Notification, event: Event, holder: Holder, sender: dict[str, str]
) -> MailRequest:
    """The mail as ``holder`` gets it: the greeting, the text, its order number and link."""
    return MailRequest(
        template="notification",
        mail_class=notification.kind,
        organizer_id=notification.organizer_id,
        to=[holder.address],
        language=holder.language,
        request_id=request_id(notification.notification_id, holder.order_number),
        order_number=holder.order_number,
        context={
            **sender,
            "subject_line": notification.subject,
            "first_name": holder.first_name,
            "last_name": holder.last_name,
            "event_name": event.name,
            "order_number": holder.order_number,
            "body_html": _html(notification.body),
            "body_text": _text(notification.body),
            "self_service_url": holder.self_service_url,
        },
    )


def preview(desk: notifications.Desk, principal: Principal, notification_id: str) -> Preview:
    """The mail as one holder would get it: the event's first order with an address, or a
    sample holder while it has none."""
    found = notifications.own(desk, principal, notification_id)
    event = desk.events.get(found.event_id)
    if event is None:
        raise NotFound(f"no notification {notification_id}")
    order = notifications.sample_order(desk, event)
    holder = holder_of(order) if order else sample_holder(event, desk.platform_url)
    request = holder_mail(found, event, holder, sender_of(desk.access, found.organizer_id))
    from ticketing.mail.render import render

    mail = render(request)
    return Preview(
        to=holder.address,
        order_number=holder.order_number,
        language=holder.language,
        sample=order is None,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
    )


@dataclass(frozen=True, slots=True)
class Preview:
    to: str
    order_number: str
    language: Language
    sample: bool
    subject: str
    text: str
    html: str


# a walk renders the body once, not once per recipient
_html = lru_cache(maxsize=4)(to_html)
_text = lru_cache(maxsize=4)(to_text)


def sender_of(access: AccessStore, organizer_id: str) -> dict[str, str]:
    organizer = access.get_organizer(organizer_id)
    if organizer is None:
        return {}
    return {
        "sender_name": organizer.name,
        "reply_to": str(organizer.contact_email or organizer.email),
    }


def walk(
    deps: Fanning, notification_id: str, seconds_left: Callable[[], float] | None = None
) -> Walked:
    """Mail the notification's recipients from its bookmark on, until done or the deadline."""
    left = seconds_left or (lambda: float("inf"))
    found = deps.notifications.get(notification_id)
    if found is None or found.state not in ("approved", "sending"):
        return "closed"
    event = deps.events.get(found.event_id)
    if event is None:
        return "closed"
    if found.state == "approved":
        sending = found.model_copy(update={"state": "sending", "updated_at": deps.clock.now()})
        if not deps.notifications.replace(sending, found.version):
            return "taken over"
        found = sending.model_copy(update={"version": found.version + 1})
    sender = sender_of(deps.access, found.organizer_id)
    slowest = 0.0
    while True:
        if left() < 3 * slowest + 1:
            logger.warning(
                "notification fan-out paused before the deadline; queued again",
                extra={"notification_id": notification_id, "pages": found.pages},
            )
            return "paused"
        started = time.monotonic()
        cursor = json.loads(found.cursor) if found.cursor else None
        page, after = deps.orders.list_for_event(found.event_id, PAGE, cursor)
        moved = _page(deps, found, event, page, after, sender)
        if moved is None:
            return "taken over"
        found = moved
        slowest = max(slowest, time.monotonic() - started)
        if after is None:
            return _finish(deps, found)


def _page(
    deps: Fanning,
    found: Notification,
    event: Event,
    page: list[Order],
    after: dict[str, object] | None,
    sender: dict[str, str],
) -> Notification | None:
    """Claim one page's recipients, then queue their mails; None if another run claimed it."""
    recipients: list[Recipient] = []
    mails: list[MailRequest] = []
    for order in page:
        address = mail_address(order)
        if address is None:
            continue
        decision = mail_policy.check(deps.policy, found.kind, address, found.organizer_id)
        if isinstance(decision, mail_policy.Send):
            recipients.append(Recipient(order.order_number, "queued"))
            mails.append(holder_mail(found, event, holder_of(order, deps.base_url), sender))
        else:
            recipients.append(Recipient(order.order_number, "suppressed"))
    cursor = json.dumps(after, default=str, sort_keys=True) if after is not None else None
    if not deps.notifications.claim_page(found, recipients, cursor):
        logger.warning("notification page claimed elsewhere", extra={"id": found.notification_id})
        return None
    failed = 0
    for request in mails:
        try:
            deps.mail.enqueue(request)
        except Exception:  # noqa: BLE001 - one mail must not stop the others
            logger.exception("notification mail not queued", extra={"id": request.request_id})
            failed += 1
    if failed:
        deps.notifications.count_failed(found.notification_id, failed)
        count("NotificationMailsFailed", failed)
    queued = sum(1 for r in recipients if r.outcome == "queued")
    return found.model_copy(
        update={
            "pages": found.pages + 1,
            "cursor": cursor,
            "version": found.version + (2 if failed else 1),
            "recipients": found.recipients + len(recipients),
            "sent": found.sent + queued - failed,
            "suppressed": found.suppressed + len(recipients) - queued,
            "failed": found.failed + failed,
        }
    )


def _finish(deps: Fanning, found: Notification) -> Walked:
    now = deps.clock.now()
    done = found.model_copy(update={"state": "sent", "finished_at": now, "updated_at": now})
    if not deps.notifications.replace(done, found.version):
        return "taken over"
    logger.info(
        "notification sent",
        extra={"notification_id": found.notification_id, "recipients": found.recipients},
    )
    return "sent"

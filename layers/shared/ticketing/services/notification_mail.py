"""One holder's mail of a notification, and its preview (issue 12, cold start): split from
``services/notification_fanout.py`` so the notifications API, the console and the exhibitor's
preview compose a mail without importing the fan-out's mail policy, consent, outbox and mail
ports, which only the worker's walk needs. The walk composes every page's mails from here too,
so the preview is exactly what a recipient gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ticketing.domain.errors import NotFound
from ticketing.domain.notifications import to_html, to_text
from ticketing.links import self_service_url
from ticketing.mail.messages import MailRequest
from ticketing.services import notifications
from ticketing.services.notifications import mail_address

if TYPE_CHECKING:
    from ticketing.domain.events import Event
    from ticketing.domain.identity import Principal
    from ticketing.domain.notifications import Notification
    from ticketing.domain.orders import Order
    from ticketing.i18n.languages import Language
    from ticketing.services.ports import AccessStore


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
    order = None if found.exhibitor_id else notifications.sample_order(desk, event)
    holder = holder_of(order) if order else sample_holder(event, desk.platform_url)
    request = holder_mail(found, event, holder, sender_of(desk.access, found))
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


def sender_of(access: AccessStore, notification: Notification) -> dict[str, str]:
    """The sender's display name and Reply-To: the organizer's, or the exhibitor's that wrote
    to its registrants."""
    if notification.exhibitor_id is not None:
        exhibitor = access.get_exhibitor(notification.exhibitor_id)
        if exhibitor is not None:
            return {"sender_name": exhibitor.name, "reply_to": str(exhibitor.email)}
    organizer = access.get_organizer(notification.organizer_id)
    if organizer is None:
        return {}
    return {
        "sender_name": organizer.name,
        "reply_to": str(organizer.contact_email or organizer.email),
    }

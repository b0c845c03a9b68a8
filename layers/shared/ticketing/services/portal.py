"""The customer's self-service (seed 001, "Problembehandlung"): the link to their documents
by order number and e-mail address, and the order page behind it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.emails import mailbox
from ticketing.domain.errors import NotFound
from ticketing.domain.orders import (
    PORTAL_MAILS_PER_DAY,
    Order,
    normalize_order_number,
    secret_matches,
)
from ticketing.mail.messages import MailRequest
from ticketing.observability import logger
from ticketing.services.throttle import DUMMY_SECRET, UNKNOWN_ORDER_NUMBER, Pause, Throttle

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.services.ports import (
        Attempts,
        EventStore,
        LinkSecrets,
        MailQueue,
        OrderStore,
        PortalMails,
    )


@dataclass(frozen=True, slots=True)
class LinkDesk:
    """What sending a self-service link needs."""

    orders: OrderStore
    portal_mails: PortalMails
    attempts: Attempts
    mail: MailQueue
    clock: Clock


def request_link(
    deps: LinkDesk, client: str, order_number: str, email: str, pause: Pause = time.sleep
) -> None:
    """Send the order's self-service link to the order's own address, if the pair matches.

    The caller answers the same whatever happens here: nobody learns whether an order exists
    or which address it has. At most three such mails per order in 24 hours.
    """
    throttle = Throttle(deps.attempts, deps.clock, client, pause)
    throttle.refuse_if_blocked()
    now = throttle.now
    number = normalize_order_number(order_number)
    order = deps.orders.get_header(number) if number else None
    if order is None or not order.reachable or mailbox(order.mail_recipient) != mailbox(email):
        miss = throttle.missed(NotFound("no match"))
        if not isinstance(miss, NotFound):
            raise miss
        return
    if not deps.portal_mails.take_portal_mail(order.order_number, now, PORTAL_MAILS_PER_DAY):
        logger.info("portal mail limit reached", extra={"order_number": order.order_number})
        return
    deps.mail.enqueue(
        MailRequest(
            template="self_service_link",
            organizer_id=order.organizer_id,
            to=[order.mail_recipient],
            language=order.language,
            request_id=f"portal-{order.order_number}-{now:%Y%m%dT%H%M%S%f}",
            order_number=order.order_number,
        )
    )


@dataclass(frozen=True, slots=True)
class OrderLinks:
    """What opening a self-service link needs."""

    orders: OrderStore
    events: EventStore
    secrets: LinkSecrets
    attempts: Attempts
    clock: Clock


def open_order_link(
    deps: OrderLinks, client: str, order_number: str, secret: str, pause: Pause = time.sleep
) -> tuple[Order, Event]:
    """The order and event behind a self-service link, behind the door's throttle: a wrong
    link counts against the client as a guess, and a client that guessed too often is refused
    before any lookup.

    An unknown order and a wrong secret take the same work: one read of the secret alone (of
    a number no order has, for a malformed one) and one constant-time comparison (with a
    dummy secret when there is none); the order is read only once the secret matched.
    """
    throttle = Throttle(deps.attempts, deps.clock, client, pause)
    throttle.refuse_if_blocked()
    number = normalize_order_number(order_number) or UNKNOWN_ORDER_NUMBER
    stored = deps.secrets.self_service_secret(number)
    try:
        if not secret_matches(secret, stored or DUMMY_SECRET) or stored is None:
            raise NotFound("unknown order or wrong link", message_id="problem.portal.unknown")
        return self_service(deps.orders, deps.events, number, secret)
    except NotFound as unknown:
        raise throttle.missed(unknown) from None


def self_service(
    orders: OrderStore, events: EventStore, order_number: str, secret: str
) -> tuple[Order, Event]:
    """The order behind a self-service link. Unknown order and wrong secret look the same,
    and take the same work: the same read (of a number no order has, for a malformed one)
    and one constant-time comparison (with a dummy secret, for an unknown order)."""
    number = normalize_order_number(order_number) or UNKNOWN_ORDER_NUMBER
    order = orders.get(number)
    stored = order.self_service_secret if order is not None else DUMMY_SECRET
    valid = secret_matches(secret, stored) and order is not None
    event = events.get(order.event_id) if valid and order is not None else None
    if order is None or event is None or not valid:
        raise NotFound("unknown order or wrong link", message_id="problem.portal.unknown")
    return order, event


def set_reminders(orders: OrderStore, clock: Clock, order: Order, reminders: bool) -> None:
    """Seed 003: reminder consent, switched by the holder; the change is kept with its time."""
    if order.reminders != reminders:
        orders.set_reminders(order.order_number, reminders, clock.now())

"""The customer's self-service (seed 001, "Problembehandlung"): the link to their documents
by order number and e-mail address, and the order page behind it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from ticketing.clock import Clock
from ticketing.domain.errors import NotFound, TooManyAttempts
from ticketing.domain.events import Event
from ticketing.domain.orders import (
    PORTAL_MAILS_PER_DAY,
    Order,
    normalize_order_number,
    secret_matches,
)
from ticketing.domain.vouchers import attempt_window, claim_email
from ticketing.mail.messages import MailRequest
from ticketing.observability import logger
from ticketing.services.ports import EventStore, MailQueue, OrderStore

MAX_MISSES = 10
Pause = Callable[[float], None]


class Attempts(Protocol):
    """What the portal needs of the failed-attempt counter."""

    def failures(self, client: str, at: datetime) -> int: ...
    def record_failure(self, client: str, at: datetime) -> int: ...


def slow_down(failures: int) -> float:
    """Seconds to hold back an answer after ``failures`` misses: nothing for a typo or two,
    then a growing pause, so that guessing gets slow long before it is refused."""
    return min(2.0, 0.25 * max(0, failures - 3))


def request_link(
    orders: OrderStore,
    attempts: Attempts,
    mail: MailQueue,
    clock: Clock,
    client: str,
    order_number: str,
    email: str,
    pause: Pause = time.sleep,
) -> None:
    """Send the order's self-service link to the order's own address, if the pair matches.

    The caller answers the same whatever happens here: nobody learns whether an order exists
    or which address it has. At most three such mails per order in 24 hours.
    """
    now = clock.now()
    _, window_end = attempt_window(now)
    if attempts.failures(client, now) >= MAX_MISSES:
        raise _refused(now, window_end)
    number = normalize_order_number(order_number)
    order = orders.get_header(number) if number else None
    if order is None or claim_email(order.mail_recipient) != claim_email(email):
        misses = attempts.record_failure(client, now)
        if misses > MAX_MISSES:
            raise _refused(now, window_end)
        pause(slow_down(misses))
        return
    if not orders.take_portal_mail(order.order_number, now, PORTAL_MAILS_PER_DAY):
        logger.info("portal mail limit reached", extra={"order_number": order.order_number})
        return
    mail.enqueue(
        MailRequest(
            template="self_service_link",
            to=[order.mail_recipient],
            language=order.language,
            request_id=f"portal-{order.order_number}-{now:%Y%m%dT%H%M%S%f}",
            order_number=order.order_number,
        )
    )


def _refused(now: datetime, window_end: datetime) -> TooManyAttempts:
    wait = max(1, int((window_end - now).total_seconds()))
    return TooManyAttempts(
        f"Too many attempts. Please try again in {wait // 60 + 1} minutes.", wait
    )


def self_service(
    orders: OrderStore, events: EventStore, order_number: str, secret: str
) -> tuple[Order, Event]:
    """The order behind a self-service link. Unknown order and wrong secret look the same."""
    number = normalize_order_number(order_number)
    order = orders.get(number) if number else None
    valid = order is not None and secret_matches(secret, order.self_service_secret)
    event = events.get(order.event_id) if valid and order is not None else None
    if order is None or event is None or not valid:
        raise NotFound("unknown order or wrong link")
    return order, event


def set_reminders(orders: OrderStore, clock: Clock, order: Order, reminders: bool) -> None:
    """Seed 003: reminder consent, switched by the holder; the change is kept with its time."""
    if order.reminders != reminders:
        orders.set_reminders(order.order_number, reminders, clock.now())

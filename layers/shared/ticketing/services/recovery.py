"""Mail that was asked for but never reached the queue is queued by the recovery schedule."""

from __future__ import annotations

from datetime import timedelta

from ticketing.clock import Clock
from ticketing.mail.messages import MailRequest
from ticketing.services.ports import MailQueue, OrderStore

GRACE = timedelta(minutes=2)  # a booking hands its mail over within its own request


def queue_pending_mail(orders: OrderStore, mail: MailQueue, clock: Clock) -> int:
    """Queue every pending confirmation older than ``GRACE``; returns how many."""
    queued = 0
    for entry in orders.pending_mail(older_than=clock.now() - GRACE):
        mail.enqueue(MailRequest.model_validate_json(str(entry["payload"])))
        orders.remove_pending(entry)
        queued += 1
    return queued

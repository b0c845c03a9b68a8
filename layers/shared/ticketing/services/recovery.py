"""Mail that was asked for but never reached the queue is queued by the recovery schedule."""

from __future__ import annotations

from datetime import timedelta

from ticketing.clock import Clock
from ticketing.observability import count
from ticketing.services.ports import MailQueue, Outbox

GRACE = timedelta(minutes=2)  # a booking hands its mail over within its own request


def queue_pending_mail(outbox: Outbox, mail: MailQueue, clock: Clock) -> int:
    """Queue every pending mail older than ``GRACE``; returns how many."""
    queued = 0
    for pending in outbox.pending_mail(older_than=clock.now() - GRACE):
        mail.enqueue(pending.request)
        outbox.remove(pending)
        queued += 1
    count("MailsRecovered", queued)
    return queued

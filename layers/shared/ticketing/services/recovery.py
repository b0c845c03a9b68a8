"""Mail that was asked for but never reached the queue is queued by the recovery schedule.

Every write that sends mail (a booking, a registration, onboarding an organizer or an
exhibitor) leaves its mail in the outbox with the write (``services/outbox.py``); what is
still there after ``GRACE`` did not reach the queue and goes now.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ticketing.observability import count

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import MailQueue, Outbox

GRACE = timedelta(minutes=2)  # a write hands its mail over within its own request


def queue_pending_mail(outbox: Outbox, mail: MailQueue, clock: Clock) -> int:
    """Queue every pending mail older than ``GRACE``; returns how many."""
    queued = 0
    for pending in outbox.pending_mail(older_than=clock.now() - GRACE):
        mail.enqueue(pending.request)
        outbox.remove(pending)
        queued += 1
    count("MailsRecovered", queued)
    return queued

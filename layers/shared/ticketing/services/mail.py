"""Delivering transactional mail that use cases asked for on the mail queue."""

from __future__ import annotations

from ticketing.clock import Clock
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import render
from ticketing.services.ports import Mailer, SentMailLog


def deliver(mailer: Mailer, log: SentMailLog, clock: Clock, request: MailRequest) -> bool:
    """Render and send one request; False when it was already delivered.

    The mark is written after SES accepted the mail: a crash in between sends the mail twice
    rather than never, because a lost confirmation is worse than a repeated one.
    """
    if log.was_sent(request.request_id):
        return False
    mailer.send(request.to, render(request))
    log.mark_sent(request.request_id, clock.now())
    return True

"""Delivering transactional mail that use cases asked for on the mail queue."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ticketing.clock import Clock
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import Attachment, render
from ticketing.observability import count
from ticketing.services.ports import Mailer, SentMailLog

Composer = Callable[[MailRequest], tuple[dict[str, Any], Sequence[Attachment]]]


def deliver(
    mailer: Mailer,
    log: SentMailLog,
    clock: Clock,
    request: MailRequest,
    compose: Composer | None = None,
) -> bool:
    """Render and send one request; False when it was already delivered.

    Mail about an order is composed by ``compose`` from the order as it is now. The mark is
    written after SES accepted the mail: a crash in between sends the mail twice rather than
    never, because a lost confirmation is worse than a repeated one.

    Counts ``MailsSent``, or ``MailsFailed`` for an attempt that did not send (the queue
    retries it, so one mail may fail more than once before it goes out).
    """
    if log.was_sent(request.request_id):
        return False
    try:
        attachments: Sequence[Attachment] = ()
        context = None
        if request.order_number is not None and compose is not None:
            context, attachments = compose(request)
        mailer.send(request.to, render(request, context), attachments)
    except Exception:
        count("MailsFailed")
        raise
    count("MailsSent")
    log.mark_sent(request.request_id, clock.now())
    return True

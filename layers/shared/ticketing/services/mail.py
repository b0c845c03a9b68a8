"""Delivering transactional mail that use cases asked for on the mail queue.

A failure that another try may cure (SES throttling or an outage, a store that did not
answer) is raised, so the queue tries again. One that no try would cure (the mail cannot be
rendered, its address is refused, its order is gone) is parked with its reason instead:
retrying it forever would only hold up the queue and never send it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ticketing.clock import Clock
from ticketing.domain.errors import NotFound
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import Attachment, RenderFailed, render
from ticketing.observability import count, logger
from ticketing.services.ports import Mailer, MailFailure, MailFailures, MailRefused, SentMailLog

Composer = Callable[[MailRequest], tuple[dict[str, Any], Sequence[Attachment]]]

# No later try sends these. ``ValueError``/``LookupError`` come from values that do not fit
# (a bad time zone, a document of a malformed order); network failures are neither.
PERMANENT = (RenderFailed, MailRefused, NotFound, ValueError, LookupError, TypeError)


def deliver(
    mailer: Mailer,
    log: SentMailLog,
    clock: Clock,
    request: MailRequest,
    compose: Composer | None = None,
    failures: MailFailures | None = None,
) -> bool:
    """Render and send one request; False when it was already delivered, or parked.

    Mail about an order is composed by ``compose`` from the order as it is now. The mark is
    written after SES accepted the mail: a crash in between sends the mail twice rather than
    never, because a lost confirmation is worse than a repeated one.

    Counts ``MailsSent``. A permanent failure is parked in ``failures`` (when given), counted
    as ``MailsFailed`` and logged at ERROR, and not raised; a transient one is counted as
    ``MailsDeferred`` and raised for the queue to retry.
    """
    if log.was_sent(request.request_id):
        return False
    try:
        attachments: Sequence[Attachment] = ()
        context = None
        if request.order_number is not None and compose is not None:
            context, attachments = compose(request)
        mailer.send(request.to, render(request, context), attachments)
    except PERMANENT as failed:
        if failures is None:
            count("MailsFailed")
            raise
        park(failures, clock, request, failed)
        return False
    except Exception:
        count("MailsDeferred")
        raise
    count("MailsSent")
    log.mark_sent(request.request_id, clock.now())
    return True


def park(failures: MailFailures, clock: Clock, request: MailRequest, failed: Exception) -> None:
    """Keep a mail no retry would send, with its reason, where its order shows it."""
    reason = str(failed) or type(failed).__name__
    failure = MailFailure(
        request_id=request.request_id,
        template=request.template,
        reason=reason[:500],
        at=clock.now(),
        order_number=request.order_number,
    )
    failures.park(failure)
    count("MailsFailed")
    logger.error(
        "mail parked: it cannot be sent",
        extra={
            "request_id": request.request_id,
            "template": request.template,
            "order_number": request.order_number,
            "reason": failure.reason,
        },
    )

"""Delivering transactional mail that use cases asked for on the mail queue.

A failure that another try may cure (SES throttling or an outage, a store that did not
answer) is raised, so the queue tries again. One that no try would cure (the mail cannot be
rendered, its address is refused, its order is gone) is parked with its reason instead:
retrying it forever would only hold up the queue and never send it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from ticketing.domain.errors import Forgotten, NotFound
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import Attachment, RenderedMail, RenderFailed, render
from ticketing.observability import count, logger
from ticketing.services.parts import MailFailure, MailRefused

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.services.mail_policy import Enforcement
    from ticketing.services.ports import Mailer, MailFailures, Part, SentMailLog
    from ticketing.services.ports_privacy import PersonIndex

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
    enforcement: Enforcement | None = None,
    people: PersonIndex | None = None,
) -> bool:
    """Render and send one request; False when it was already delivered, parked, or
    withheld by the mail policy for every address.

    Mail about an order is composed by ``compose`` from the order as it is now. The mark is
    written after SES accepted the mail: a crash in between sends the mail twice rather than
    never, because a lost confirmation is worse than a repeated one.

    ``enforcement`` (the mailer always gives it) applies ``services.mail_policy`` to each
    address: a suppressed one, or one without the consent the class needs, gets nothing and
    is recorded as withheld on the order; a marketing mail gets its unsubscribe link in the
    body and the ``List-Unsubscribe`` headers (RFC 8058).

    ``people`` (the mailer always gives it) records a sent mail under each recipient's person
    of the mail's organizer (subject, class, template, time; no body), in the commit of the
    mark: a retry that finds the mark records nothing again. A mail without an organizer (the
    platform's own: sign-in links, welcome mail) is nobody's customer data and is not recorded.

    Counts ``MailsSent``. A permanent failure is parked in ``failures`` (when given), counted
    as ``MailsFailed`` and logged at ERROR, and not raised; a transient one is counted as
    ``MailsDeferred`` and raised for the queue to retry.
    """
    if log.was_sent(request.request_id):
        return False
    to = list(request.to)
    if enforcement is not None:
        to = enforcement.admit(request, clock.now())
        if not to:
            log.mark_sent(request.request_id, clock.now())
            return False
    try:
        made, attachments = _made(request, compose, clock, enforcement, to)
        mailer.send(to, made, attachments)
    except Forgotten:  # the order's person was erased after the mail was queued
        count("MailsForgotten")
        log.mark_sent(request.request_id, clock.now())
        return False
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
    now = clock.now()
    log.mark_sent(request.request_id, now, _records(people, request, made.subject, to, now))
    return True


def _records(
    people: PersonIndex | None, request: MailRequest, subject: str, to: list[str], at: datetime
) -> list[Part]:
    """The mail under the person of each address it went to, once per person."""
    if people is None or request.organizer_id is None:
        return []
    from ticketing.domain.erasure import SentMail  # only a mail of an organizer needs it

    mail = SentMail(
        template=request.template,
        mail_class=request.klass,
        subject=subject,
        sent_at=at,
        order_number=request.order_number,
    )
    by_person: dict[str, Part] = {}
    for address in to:
        email = parseaddr(address)[1] or address
        person = people.person(request.organizer_id, email)
        by_person.setdefault(
            person, people.sent(request.organizer_id, email, request.request_id, mail)
        )
    return list(by_person.values())


# templates whose request carries everything they show, even when about an order
SELF_CONTAINED = frozenset({"notification", "marketing_confirmation"})


def _made(
    request: MailRequest,
    compose: Composer | None,
    clock: Clock,
    enforcement: Enforcement | None,
    to: list[str],
) -> tuple[RenderedMail, Sequence[Attachment]]:
    attachments: Sequence[Attachment] = ()
    context: dict[str, Any] | None = None
    # mail about an order, and a gift voucher's (its QR code attached), are composed
    composed = request.order_number is not None or request.template == "gift_voucher"
    if composed and compose is not None and request.template not in SELF_CONTAINED:
        context, attachments = compose(request)
    if request.klass != "marketing" or enforcement is None:
        return render(request, context), attachments
    from ticketing.services.consent import new_unsubscribe_url

    assert request.organizer_id is not None  # a marketing request names it (validated)
    url = new_unsubscribe_url(
        enforcement.tokens, clock.now(), request.organizer_id, to[0], request.language
    )
    values = {**(request.context if context is None else context), "unsubscribe_url": url}
    headers = (
        ("List-Unsubscribe", f"<{url}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    )
    return replace(render(request, values), headers=headers), attachments


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

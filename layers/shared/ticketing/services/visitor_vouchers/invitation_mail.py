"""One invitation as a mail (issue 16): the letter filled in for its recipient, rendered by
the notifications' safe Markdown renderer, from the exhibitor (its name shown with the
platform's address, answers to the exhibitor). Transactional: it delivers the voucher the
recipient was meant to get.

It rides on the self-contained ``notification`` request (rendered from its context as given)
with the ``visitor_invitation`` variant of its template, so the mailer needs no new kind.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ticketing import links
from ticketing.domain.errors import Conflict
from ticketing.domain.invitations import Invitation, Letter, Recipient, fill
from ticketing.domain.notifications import to_html, to_text
from ticketing.domain.voucher_codes import display
from ticketing.i18n.formats import format_date
from ticketing.mail.messages import MailRequest

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.domain.events import Event
    from ticketing.domain.identity import Principal
    from ticketing.domain.parties import Exhibitor
    from ticketing.services.visitor_vouchers.inviting import InvitationDesk

VARIANT = "visitor_invitation"


def letter_values(
    event: Event,
    exhibitor: Exhibitor,
    invitation: Invitation,
    valid_until: datetime,
    letter: Letter | None,
    base: str | None = None,
) -> dict[str, str]:
    # a day's validity ends at the next midnight: the last day is the one before
    last = valid_until - timedelta(seconds=1)
    return {
        "salutation": invitation.salutation or "",
        "first_name": invitation.first_name,
        "last_name": invitation.last_name,
        "company": invitation.company or "",
        "exhibitor": exhibitor.name,
        "event": event.name,
        "code": display(invitation.code),
        "link": links.redeem_url(invitation.code, base),
        "valid_until": format_date(last, event.timezone, invitation.language),
        "stand": (letter.stand if letter else None) or "",
    }


def filled(letter: Letter, values: dict[str, str]) -> tuple[str, str, str]:
    """The subject (one line), the body as safe HTML and as text."""
    subject = fill(letter.subject, values, markdown=False)
    body = fill(letter.body, values)
    return subject, to_html(body), to_text(body)


def invitation_mail(
    letter: Letter | None,
    event: Event,
    exhibitor: Exhibitor,
    invitation: Invitation,
    valid_until: datetime,
    base_url: str | None = None,
) -> MailRequest:
    """The mail of ``invitation`` from ``letter`` (``inviting.letter_for`` its language)."""
    if letter is None:
        raise LookupError(f"event {event.event_id} has no invitation letter")
    values = letter_values(event, exhibitor, invitation, valid_until, letter, base_url)
    subject, html, text = filled(letter, values)
    return MailRequest(
        template="notification",
        mail_class="confirmation",
        organizer_id=event.organizer_id,
        to=[invitation.email],
        language=letter.language,
        request_id=f"invitation-{invitation.batch_id}-{invitation.code}-{invitation.sends}",
        context={
            "variant": VARIANT,
            "subject_line": subject,
            "body_html": html,
            "body_text": text,
            "sender_name": exhibitor.name,
            "reply_to": str(exhibitor.email),
        },
    )


PREVIEW_CODE = "0000000000000A"  # shown as 0000-0000-0000-0A: the real code is given on sending


def preview(
    desk: InvitationDesk, principal: Principal, batch_id: str, rows: Sequence[dict[str, object]]
) -> tuple[Recipient, str, str, str] | None:
    """The letter as the first good row of ``rows`` would get it (a stand-in code, since a
    code is given only when the list is sent): the row, subject, HTML and text; None when no
    row is good. Nothing is written."""
    from ticketing.services.visitor_vouchers.batches import exhibitor_of, own_batch
    from ticketing.services.visitor_vouchers.inviting import letter_for, read_rows

    batch = own_batch(desk.batches, principal, batch_id)
    good, _ = read_rows(rows)
    exhibitor = exhibitor_of(desk.access, principal)
    event = desk.events.get(batch.event_id)
    if not good or event is None:
        return None
    row = good[0]
    letter = letter_for(desk.invitations, event.event_id, exhibitor.exhibitor_id, row.language)
    if letter is None:
        raise Conflict(
            "the event has no invitation letter yet; the organizer sets it",
            message_id="problem.invitation.no_letter",
        )
    stand_in = Invitation(
        code=PREVIEW_CODE,
        batch_id=batch.batch_id,
        event_id=batch.event_id,
        exhibitor_id=batch.exhibitor_id,
        organizer_id=batch.organizer_id,
        job_id="preview",
        invited_at=desk.clock.now(),
        **row.model_dump(exclude={"resend"}),
    )
    values = letter_values(event, exhibitor, stand_in, batch.valid_until, letter)
    return (row, *filled(letter, values))

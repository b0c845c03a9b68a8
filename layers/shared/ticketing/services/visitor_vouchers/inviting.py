"""Exhibitors invite their customers (seed 000 "individualisierte E-Mails", issue 16): the
sample letter, a list of recipients, and the check before a list goes to the worker.

A list is read and checked here, at once: bad rows (no or an invalid address) are reported by
row number and left out; addresses this exhibitor invited already (from any of its batches)
are reported and left out unless ``resend`` is asked; a list with more new recipients than the
batch has free codes is refused as a whole, naming the shortfall. What is left is written as
a job and queued; the worker (``invite_worker``) gives each recipient one code by a
conditional write per code, so no code is ever given twice, whoever else assigns meanwhile.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from ticketing.domain.emails import MailAddress, mailbox
from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.invitations import (
    LETTER_LANGUAGES,
    RECIPIENTS_PER_ITEM,
    BadRow,
    InvitationJob,
    Letter,
    LetterLanguage,
    LetterText,
    Recipient,
    RecipientRow,
    names_the_voucher,
    unknown_placeholders,
)
from ticketing.observability import count
from ticketing.services.idempotency import Once
from ticketing.services.roles import require
from ticketing.services.visitor_vouchers.batches import exhibitor_of, own_batch

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.clock import Clock
    from ticketing.domain.visitor_vouchers import VoucherBatch
    from ticketing.services.ports import AccessStore, BatchStore, EventStore, IdempotencyStore
    from ticketing.services.ports_invitations import InvitationQueue, InvitationStore


@functools.cache
def _address() -> TypeAdapter[str]:
    """Built for the first list checked: the e-mail rules load then, not at every cold start."""
    return TypeAdapter(MailAddress)


REPORTED = 1000  # bad and already-invited rows named in a job (the counts are whole)


@dataclass(frozen=True, slots=True)
class InvitationDesk:
    invitations: InvitationStore
    batches: BatchStore
    access: AccessStore
    events: EventStore
    queue: InvitationQueue
    idempotency: IdempotencyStore
    clock: Clock


# ------------------------------------------------------------------------------ letters


def check_letter(text: LetterText) -> None:
    unknown = unknown_placeholders(text.subject, text.body)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        raise InvalidRequest(
            f"unknown placeholders: {names}; the letter may use "
            "{salutation}, {first_name}, {last_name}, {company}, {exhibitor}, {event}, "
            "{code}, {link}, {valid_until}, {stand}",
            field="body",
            message_id="problem.invitation.unknown_placeholders",
            params={"names": names},
        )
    if not names_the_voucher(text.body):
        raise InvalidRequest(
            "the letter must name {code} or {link}: it delivers the visitor's voucher",
            field="body",
            message_id="problem.invitation.no_code",
        )


def set_letter(
    desk: InvitationDesk, principal: Principal, event_id: str, text: LetterText
) -> Letter:
    """The organizer sets the event's sample letter; an exhibitor of the event its own text
    (its invitations use it instead of the sample, in that language)."""
    require(principal, Role.ORGANIZER, Role.EXHIBITOR)
    exhibitor_id = _letter_owner(desk, principal, event_id)
    check_letter(text)
    event = desk.events.get(event_id)
    assert event is not None
    letter = Letter(
        event_id=event_id,
        organizer_id=event.organizer_id,
        exhibitor_id=exhibitor_id,
        language=text.language,
        subject=text.subject,
        body=text.body,
        stand=text.stand if exhibitor_id else None,
        updated_at=desk.clock.now(),
        updated_by=principal.key_id,
    )
    desk.invitations.put_letter(letter)
    return letter


def letters(desk: InvitationDesk, principal: Principal, event_id: str) -> dict[str, Any]:
    """The sample letter per language and, for an exhibitor, its own (None: it uses the
    sample)."""
    require(principal, Role.ORGANIZER, Role.EXHIBITOR)
    exhibitor_id = _letter_owner(desk, principal, event_id)
    found: dict[str, Any] = {}
    for language in LETTER_LANGUAGES:
        sample = desk.invitations.get_letter(event_id, None, language)
        own = (
            desk.invitations.get_letter(event_id, exhibitor_id, language) if exhibitor_id else None
        )
        found[language] = {"sample": sample, "own": own}
    return found


def letter_for(
    store: InvitationStore, event_id: str, exhibitor_id: str, language: str
) -> Letter | None:
    """The letter a recipient gets: the exhibitor's own in its language, else the sample; the
    other language's when that language has none."""
    for lang in (language, *(x for x in LETTER_LANGUAGES if x != language)):
        for owner in (exhibitor_id, None):
            letter = store.get_letter(event_id, owner, lang)
            if letter is not None:
                return letter
    return None


def _letter_owner(desk: InvitationDesk, principal: Principal, event_id: str) -> str | None:
    if principal.role is Role.EXHIBITOR:
        exhibitor = exhibitor_of(desk.access, principal)
        if exhibitor.event_id != event_id:
            raise NotFound(f"no event {event_id}")
        return exhibitor.exhibitor_id
    event = desk.events.get(event_id)
    if event is None or not principal.owns(event.organizer_id):
        raise NotFound(f"no event {event_id}")
    return None


# ------------------------------------------------------------------------------ lists


def read_rows(
    rows: Sequence[dict[str, object]], default_language: LetterLanguage = "de"
) -> tuple[list[Recipient], list[BadRow]]:
    """Good recipients and bad rows (with the reason) of a list; a second row of one address
    in the same list is a bad row too."""
    good: list[Recipient] = []
    bad: list[BadRow] = []
    seen: set[str] = set()
    for index, raw in enumerate(rows, start=1):
        number = int(str(raw.get("__row__", index)))
        fields = {k: v for k, v in raw.items() if k != "__row__" and v not in ("", None)}
        email = str(fields.get("email") or "").strip() or None
        try:
            row = RecipientRow.model_validate(fields)
            address = str(_address().validate_python(row.email))
        except ValidationError as error:
            bad.append(BadRow(row=number, reason=_reason(error), email=email))
            continue
        key = mailbox(address)
        if key in seen:
            bad.append(BadRow(row=number, reason="the address is in the list twice", email=email))
            continue
        seen.add(key)
        good.append(
            Recipient(
                row=number,
                **row.model_dump(exclude={"email", "language"}),
                email=address,
                address=key,
                language=row.language or default_language,
            )
        )
    return good, bad


def _reason(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    if first.get("type") == "missing":
        return f"{where or 'a value'} is missing"
    if where in ("", "email") and first.get("type") not in ("string_too_long",):
        return "the e-mail address is not valid"
    return f"{where}: {first.get('msg', 'not valid')}"


def invite(
    desk: InvitationDesk,
    principal: Principal,
    batch_id: str,
    rows: Sequence[dict[str, object]],
    resend: bool = False,
    idempotency_key: str | None = None,
) -> tuple[InvitationJob, bool]:
    """Check the list and queue what is to go out; a retry (same Idempotency-Key) answers
    the first job (False). ``Conflict`` naming the shortfall when the batch has too few
    free codes; nothing is queued then."""
    batch = own_batch(desk.batches, principal, batch_id)
    if batch.status != "ready":
        raise Conflict(
            "the batch's codes are still being made; invite once it is ready",
            message_id="problem.invitation.batch_not_ready",
        )
    once = Once.of(
        desk.idempotency,
        batch.exhibitor_id,
        "invitations",
        idempotency_key,
        f"{batch_id}\n{resend}\n{rows!r}",
    )
    earlier = once.earlier()
    if earlier is not None:
        return _job(desk, batch_id, earlier), False
    good, bad = read_rows(rows)
    already = desk.invitations.invited(batch.exhibitor_id, [r.address for r in good])
    fresh = [r for r in good if r.address not in already]
    repeated = [r for r in good if r.address in already]
    again = [r.model_copy(update={"resend": True}) for r in repeated] if resend else []
    needed = len(fresh) + sum(1 for r in again if already[r.address].batch_id != batch_id)
    _refuse_shortfall(desk, batch, needed)
    job = _new_job(desk, principal, batch, fresh + again, bad, [] if resend else repeated)
    listed = fresh + again
    twin = once.write(
        job.job_id, job.created_at, lambda claim: desk.invitations.add_job(job, listed, claim)
    )
    if twin is not None:
        return _job(desk, batch_id, twin), False
    if job.state == "running":
        desk.queue.enqueue_invitations(batch_id, job.job_id)
    count("InvitationListsQueued")
    return job, True


def _refuse_shortfall(desk: InvitationDesk, batch: VoucherBatch, needed: int) -> None:
    free = batch.quantity - desk.invitations.counts(batch.batch_id).assigned
    if needed > free:
        raise Conflict(
            f"the list has {needed} new recipients but the batch has only {free} codes left "
            f"({needed - free} too few); nothing was sent. Order more codes or shorten the list.",
            message_id="problem.invitation.shortfall",
            params={"needed": needed, "free": free, "missing": needed - free},
        )


def _new_job(
    desk: InvitationDesk,
    principal: Principal,
    batch: VoucherBatch,
    recipients: list[Recipient],
    bad: list[BadRow],
    repeated: list[Recipient],
) -> InvitationJob:
    now = desk.clock.now()
    chunks = -(-len(recipients) // RECIPIENTS_PER_ITEM)
    return InvitationJob(
        job_id=new_id("inv"),
        batch_id=batch.batch_id,
        exhibitor_id=batch.exhibitor_id,
        state="running" if recipients else "done",
        total=len(recipients),
        chunks=chunks,
        bad_rows=bad[:REPORTED],
        already_invited=[
            BadRow(row=r.row, reason="already invited", email=r.email) for r in repeated
        ][:REPORTED],
        created_at=now,
        created_by=principal.key_id,
        progress_at=now,
        finished_at=None if recipients else now,
    )


def _job(desk: InvitationDesk, batch_id: str, job_id: str) -> InvitationJob:
    job = desk.invitations.get_job(batch_id, job_id)
    if job is None:
        raise NotFound(f"no invitation list {job_id}")
    return job


def job_of(desk: InvitationDesk, principal: Principal, batch_id: str, job_id: str) -> InvitationJob:
    own_batch(desk.batches, principal, batch_id)
    return _job(desk, batch_id, job_id)

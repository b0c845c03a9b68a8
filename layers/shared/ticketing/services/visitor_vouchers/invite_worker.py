"""The batch worker's invitation job (issue 16): each recipient of a list gets one code of the
batch nobody else has, and one mail.

A code is given by one commit per recipient (``InvitationStore.assign``): the voucher is taken
only if issued and given to nobody, and the exhibitor's address only if free. Two lists of one
batch at work at once (or a list and a redelivery of itself) may pick the same code; the
condition lets one of them have it and the other takes the next. A list starts at a chunk of
the batch's codes of its own (from its id), so two lists rarely meet at all.

The job moves on a chunk of recipients at a time (one conditional write of its progress, with
the batch's counts), so a redelivered or paused message goes on from the last step; in a
repeated step a recipient already given a code by this list is mailed again with the same
request id, and the mailer sends a request id once.
"""

from __future__ import annotations

import contextvars
import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ticketing.domain.invitations import Invitation, InvitationJob, Letter, Recipient
from ticketing.observability import count, logger
from ticketing.services.mail_policy import MailPolicy, Send, check
from ticketing.services.parts import Part, ProgressMoved
from ticketing.services.visitor_vouchers.invitation_mail import invitation_mail
from ticketing.services.visitor_vouchers.inviting import letter_for

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.domain.parties import Exhibitor
    from ticketing.domain.visitor_vouchers import VoucherBatch
    from ticketing.services.ports import AccessStore, EventStore, MailQueue
    from ticketing.services.ports_invitations import InvitationStore
    from ticketing.services.ports_privacy import PersonIndex
    from ticketing.services.ports_vouchers import ExtensionStore

Walked = Literal["done", "paused", "closed", "taken over"]
Outcome = Literal["assigned", "resent", "skipped", "no code"]


@dataclass(frozen=True, slots=True)
class Inviting:
    invitations: InvitationStore
    batches: ExtensionStore  # get_batch, codes_per_write
    events: EventStore
    access: AccessStore
    mail: MailQueue
    clock: Clock
    policy: MailPolicy | None = None  # suppressed addresses are not mailed
    base_url: str | None = None
    people: PersonIndex | None = None  # issue 17: the recipient's entry, with the invitation


@dataclass(slots=True)
class _Context:
    deps: Inviting
    job: InvitationJob
    batch: VoucherBatch
    event: Event
    exhibitor: Exhibitor
    picker: _Picker
    # read once a step: what the step's addresses hold; once a delivery: the letters
    held: dict[str, Invitation] = field(default_factory=dict)
    letters: dict[str, Letter | None] = field(default_factory=dict)


class _Picker:
    """The batch's free codes, chunk by chunk from the list's own start, wrapping around;
    shared by the writers of one delivery."""

    def __init__(self, store: InvitationStore, batch_id: str, chunks: int, job_id: str) -> None:
        start = int(hashlib.sha256(job_id.encode()).hexdigest()[:8], 16) % max(1, chunks)
        self._order = iter([(start + n) % max(1, chunks) for n in range(chunks)])
        self._store, self._batch_id = store, batch_id
        self._codes: Iterator[str] = iter(())
        self._lock = threading.Lock()

    def next(self) -> str | None:
        with self._lock:
            while True:
                code = next(self._codes, None)
                if code is not None:
                    return code
                chunk = next(self._order, None)
                if chunk is None:
                    return None
                self._codes = iter(self._store.free_codes(self._batch_id, chunk))


def run_job(
    deps: Inviting,
    batch_id: str,
    job_id: str,
    seconds_left: Callable[[], float] | None = None,
    writers: int = 1,
) -> Walked:
    """Assign and mail the list's recipients from where it stopped, a chunk a step, until
    done or (``paused``) ``seconds_left()`` leaves no room for another step."""
    job = deps.invitations.get_job(batch_id, job_id)
    batch = deps.batches.get_batch(batch_id)
    if job is None or batch is None or job.state != "running":
        return "closed"
    event = deps.events.get(batch.event_id)
    exhibitor = deps.access.get_exhibitor(batch.exhibitor_id)
    if event is None or exhibitor is None:
        give_up(deps, batch_id, job_id, "the event or the exhibitor is gone")
        return "closed"
    chunks = -(-batch.quantity // deps.batches.codes_per_write)
    picker = _Picker(deps.invitations, batch_id, chunks, job_id)
    context = _Context(deps, job, batch, event, exhibitor, picker)
    left = seconds_left or (lambda: float("inf"))
    slowest = 0.0
    while True:
        if left() < 3 * slowest + 1:
            logger.warning("invitation list paused before the deadline", extra={"job": job_id})
            return "paused"
        started = time.monotonic()
        recipients = deps.invitations.job_recipients(batch_id, job_id, job.next_chunk)
        context.held = deps.invitations.invited(job.exhibitor_id, [r.address for r in recipients])
        outcomes = _invite_all(context, recipients, max(1, writers))
        moved = _moved(deps, job, outcomes)
        try:
            deps.invitations.move_job(job, moved)
        except ProgressMoved:
            logger.warning("invitation list moved on elsewhere", extra={"job": job_id})
            return "taken over"
        job, slowest = moved, max(slowest, time.monotonic() - started)
        context.job = job
        if job.state == "done":
            count("InvitationListsDone")
            return "done"


def _moved(deps: Inviting, job: InvitationJob, outcomes: list[Outcome]) -> InvitationJob:
    now = deps.clock.now()
    stop = job.next_chunk + 1
    assigned = outcomes.count("assigned")
    return job.model_copy(
        update={
            "next_chunk": stop,
            "assigned": job.assigned + assigned,
            "invited": job.invited + assigned + outcomes.count("resent"),
            "skipped": job.skipped + outcomes.count("skipped") + outcomes.count("no code"),
            "progress_at": now,
            **({"state": "done", "finished_at": now} if stop >= job.chunks else {}),
        }
    )


def _invite_all(context: _Context, recipients: list[Recipient], writers: int) -> list[Outcome]:
    if writers == 1 or len(recipients) < 2:
        return [_invite_one(context, r) for r in recipients]
    copied = contextvars.copy_context()
    with ThreadPoolExecutor(writers, thread_name_prefix="inviter") as pool:
        return list(pool.map(lambda r: copied.copy().run(_invite_one, context, r), recipients))


def _invite_one(context: _Context, recipient: Recipient) -> Outcome:
    deps, job = context.deps, context.job
    held = context.held.get(recipient.address)  # as read for this step
    if held is not None and held.job_id == job.job_id:
        _mail(context, held)  # an earlier delivery of this step: the same request id again
        return "assigned" if held.sends == 1 else "resent"
    if held is not None and not recipient.resend:
        return "skipped"  # another list invited the address meanwhile
    if held is not None and held.batch_id == job.batch_id:
        if deps.invitations.resend(held, job.job_id):
            _mail(context, held.model_copy(update={"sends": held.sends + 1, "job_id": job.job_id}))
        return "resent"
    while True:
        code = context.picker.next()
        if code is None:
            logger.warning("no free code left for a recipient", extra={"job": job.job_id})
            return "no code"
        invitation = _invitation(context, recipient, code)
        taken = deps.invitations.assign(invitation, held, _person_entry(deps, invitation))
        if taken == "assigned":
            _mail(context, invitation)
            return "assigned"
        if taken == "address taken":  # another list took it since this step read it
            return "skipped"


def _person_entry(deps: Inviting, invitation: Invitation) -> list[Part]:
    if deps.people is None:
        return []
    ref = f"{invitation.batch_id}/{invitation.code}"
    return [deps.people.entry(invitation.organizer_id, invitation.email, ref, "invitation")]


def _invitation(context: _Context, recipient: Recipient, code: str) -> Invitation:
    suppressed = False
    policy = context.deps.policy
    if policy is not None:
        decision = check(policy, "confirmation", recipient.email, context.batch.organizer_id)
        suppressed = not isinstance(decision, Send)
    return Invitation(
        code=code,
        batch_id=context.batch.batch_id,
        event_id=context.batch.event_id,
        exhibitor_id=context.batch.exhibitor_id,
        organizer_id=context.batch.organizer_id,
        job_id=context.job.job_id,
        invited_at=context.deps.clock.now(),
        mail_state="suppressed" if suppressed else "sent",
        **recipient.model_dump(exclude={"row", "resend"}),
        row=recipient.row,
    )


def _mail(context: _Context, invitation: Invitation) -> None:
    if invitation.mail_state == "suppressed":
        count("InvitationsSuppressed")
        return
    deps = context.deps
    if invitation.language not in context.letters:
        context.letters[invitation.language] = letter_for(
            deps.invitations,
            context.event.event_id,
            context.exhibitor.exhibitor_id,
            invitation.language,
        )
    request = invitation_mail(
        context.letters[invitation.language],
        context.event,
        context.exhibitor,
        invitation,
        context.batch.valid_until,
        deps.base_url,
    )
    deps.mail.enqueue(request)
    count("InvitationsQueued")


def give_up(deps: Inviting, batch_id: str, job_id: str, reason: str) -> None:
    """Fail the running list with the reason (what was sent stays sent)."""
    job = deps.invitations.get_job(batch_id, job_id)
    if job is None or job.state != "running":
        return
    logger.error("invitation list given up", extra={"job": job_id, "reason": reason})
    now = deps.clock.now()
    failed = job.model_copy(
        update={"state": "failed", "failure": reason[:500], "finished_at": now, "progress_at": now}
    )
    try:
        deps.invitations.move_job(job, failed)
    except ProgressMoved:
        return

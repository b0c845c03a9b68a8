"""Ports of exhibitors' invitations (issue 16): letters, lists, assigned codes, messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ticketing.domain.invitations import (
        Invitation,
        InvitationJob,
        Letter,
        MailState,
        Recipient,
    )
    from ticketing.domain.visitor_vouchers import VisitorVoucher
    from ticketing.domain.voucher_counts import Counts
    from ticketing.services.ports import Part

Assigned = Literal["assigned", "code taken", "address taken"]


class InvitationStore(Protocol):
    def get_letter(self, event_id: str, exhibitor_id: str | None, language: str) -> Letter | None:
        """The event's sample letter (``exhibitor_id`` None) or the exhibitor's own."""
        ...

    def put_letter(self, letter: Letter) -> None: ...

    def invited(self, exhibitor_id: str, addresses: Sequence[str]) -> dict[str, Invitation]:
        """The invitations of the exhibitor's batches to any of ``addresses`` (mailboxes)."""
        ...

    def add_job(
        self, job: InvitationJob, recipients: Sequence[Recipient], also: Sequence[Part] = ()
    ) -> None:
        """The recipients (``RECIPIENTS_PER_ITEM`` an item), then the job with ``also`` (its
        Idempotency-Key's claim) in one commit; the job's id must be free."""
        ...

    def get_job(self, batch_id: str, job_id: str) -> InvitationJob | None: ...
    def jobs(self, batch_id: str) -> list[InvitationJob]:
        """The batch's lists, newest first."""
        ...

    def job_recipients(self, batch_id: str, job_id: str, chunk: int) -> list[Recipient]: ...

    def move_job(self, seen: InvitationJob, now: InvitationJob) -> None:
        """Replace ``seen`` (same ``next_chunk`` as stored, running) by ``now`` and add what
        the step newly assigned and invited to the batch's counts, in one commit;
        ``ProgressMoved`` if another delivery moved it on."""
        ...

    def free_codes(self, batch_id: str, chunk: int) -> list[str]:
        """The codes of one chunk of the batch that are issued and given to nobody (as read
        now: a conditional write still decides)."""
        ...

    def assign(
        self, invitation: Invitation, replaces: Invitation | None, also: Sequence[Part] = ()
    ) -> Assigned:
        """Give ``invitation.code`` to its recipient, once, in one commit: the voucher is
        marked (only if issued and given to nobody), the invitation written, and the
        exhibitor's address taken (only if free, or still held by ``replaces``); ``also``
        (the recipient's person index entry, issue 17) in the same commit."""
        ...

    def resend(self, invitation: Invitation, job_id: str) -> bool:
        """One more mail of ``invitation`` for the list ``job_id``; False if that list counted
        it already."""
        ...

    def invitations(self, batch_id: str) -> Iterator[Invitation]: ...
    def get_invitation(self, batch_id: str, code: str) -> Invitation | None: ...
    def set_mail_state(self, batch_id: str, code: str, state: MailState) -> None: ...
    def vouchers(self, codes: Sequence[str]) -> dict[str, VisitorVoucher]:
        """The vouchers of ``codes`` (read in batches)."""
        ...

    def counts(self, batch_id: str) -> Counts:
        """assigned and invited of the batch (codes, registered, used are read elsewhere)."""
        ...

    def suppressed(self, addresses: Sequence[str]) -> dict[str, str]:
        """The addresses the mail policy suppressed, with the reason (bounce, complaint)."""
        ...


class InvitationQueue(Protocol):
    def enqueue_invitations(self, batch_id: str, job_id: str) -> None:
        """Ask the batch worker to assign and mail (the rest of) the list ``job_id``."""
        ...

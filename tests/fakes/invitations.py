"""In-memory fakes of the invitation ports (issue 16), on the shared ``FakeDatabase``: the
batch's codes and vouchers are the other fakes' (``db.batch_codes``, ``db.vouchers``);
what this store adds (letters, lists, assigned codes, messages) lives in ``db.gift`` under
keys of its own. Every conditional write holds ``db.lock`` from its check to its write."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from tests.fakes.database import FakeDatabase, FakeTransactions, FakeWrite
from ticketing.domain.invitations import (
    RECIPIENTS_PER_ITEM,
    Invitation,
    InvitationJob,
    Letter,
    MailState,
    Recipient,
)
from ticketing.domain.visitor_vouchers import VisitorVoucher
from ticketing.domain.voucher_counts import Counts
from ticketing.services.ports import Part, ProgressMoved
from ticketing.services.ports_invitations import Assigned


class FakeInvitationStore:
    def __init__(self, db: FakeDatabase, suppressions: Any = None) -> None:
        self.db = db
        # the mail policy's suppressed addresses (tests/fakes/mail_policy.FakeSuppressionStore),
        # read as DynamoDB reads the same items
        self.suppressions = suppressions
        self.writes = 0  # conditional writes (one per DynamoDB call), for tests that count

    def _get(self, *key: object) -> object:
        return self.db.gift.get(("inv", *key))

    def _put(self, value: object, *key: object) -> None:
        self.db.gift[("inv", *key)] = value

    def get_letter(self, event_id: str, exhibitor_id: str | None, language: str) -> Letter | None:
        found = self._get("letter", event_id, exhibitor_id, language)
        return found if isinstance(found, Letter) else None

    def put_letter(self, letter: Letter) -> None:
        self._put(letter, "letter", letter.event_id, letter.exhibitor_id, letter.language)

    def invited(self, exhibitor_id: str, addresses: Sequence[str]) -> dict[str, Invitation]:
        with self.db.lock:
            found = {a: self._get("invitee", exhibitor_id, a) for a in addresses}
        return {a: i for a, i in found.items() if isinstance(i, Invitation)}

    def add_job(
        self, job: InvitationJob, recipients: Sequence[Recipient], also: Sequence[Part] = ()
    ) -> None:
        for chunk, start in enumerate(range(0, len(recipients), RECIPIENTS_PER_ITEM)):
            self._put(
                list(recipients[start : start + RECIPIENTS_PER_ITEM]), "rows", job.job_id, chunk
            )
        key = ("inv", "job", job.batch_id, job.job_id)

        def put() -> None:
            self.db.gift[key] = job

        FakeTransactions(self.db).commit(
            [Part("invitation_job", FakeWrite(key, lambda: key not in self.db.gift, put)), *also]
        )

    def get_job(self, batch_id: str, job_id: str) -> InvitationJob | None:
        found = self._get("job", batch_id, job_id)
        return found if isinstance(found, InvitationJob) else None

    def jobs(self, batch_id: str) -> list[InvitationJob]:
        found = [v for k, v in list(self.db.gift.items()) if k[:3] == ("inv", "job", batch_id)]
        return sorted(found, key=lambda j: j.created_at, reverse=True)

    def job_recipients(self, batch_id: str, job_id: str, chunk: int) -> list[Recipient]:
        found = self._get("rows", job_id, chunk)
        return list(found) if isinstance(found, list) else []

    def move_job(self, seen: InvitationJob, now: InvitationJob) -> None:
        with self.db.lock:
            self.writes += 1
            stored = self.get_job(seen.batch_id, seen.job_id)
            if stored is None or stored.next_chunk != seen.next_chunk or stored.state != "running":
                raise ProgressMoved()
            self._put(now, "job", now.batch_id, now.job_id)
            counts = self.counts(now.batch_id)
            counts.assigned += now.assigned - seen.assigned
            counts.invited += now.invited - seen.invited
            self._put(counts, "counts", now.batch_id)

    def free_codes(self, batch_id: str, chunk: int) -> list[str]:
        codes = self.db.batch_codes.get((batch_id, chunk), [])
        with self.db.lock:
            return [
                c
                for c in codes
                if self._get("code", c) is None
                and (v := self.db.vouchers.get(c)) is not None
                and v.state == "issued"
            ]

    def assign(
        self, invitation: Invitation, replaces: Invitation | None, also: Sequence[Part] = ()
    ) -> Assigned:
        with self.db.lock:
            self.writes += 1
            voucher = self.db.vouchers.get(invitation.code)
            if voucher is None or voucher.state != "issued" or self._get("code", invitation.code):
                return "code taken"
            held = self._get("invitee", invitation.exhibitor_id, invitation.address)
            if held is not None and (
                replaces is None or getattr(held, "code", None) != replaces.code
            ):
                return "address taken"
            self._put(invitation.address, "code", invitation.code)
            self._put(invitation, "invitation", invitation.batch_id, invitation.code)
            self._put(invitation, "invitee", invitation.exhibitor_id, invitation.address)
            for part in also:
                assert isinstance(part.write, FakeWrite)
                part.write.apply()
            return "assigned"

    def resend(self, invitation: Invitation, job_id: str) -> bool:
        with self.db.lock:
            self.writes += 1
            held = self._get("invitee", invitation.exhibitor_id, invitation.address)
            if not isinstance(held, Invitation) or held.job_id == job_id:
                return False
            again = held.model_copy(update={"sends": held.sends + 1, "job_id": job_id})
            self._put(again, "invitee", again.exhibitor_id, again.address)
            listed = self.get_invitation(invitation.batch_id, invitation.code) or again
            self._put(
                listed.model_copy(update={"sends": again.sends, "job_id": job_id}),
                "invitation",
                invitation.batch_id,
                invitation.code,
            )
            return True

    def invitations(self, batch_id: str) -> Iterator[Invitation]:
        for key, value in list(self.db.gift.items()):
            if key[:3] == ("inv", "invitation", batch_id):
                yield value

    def get_invitation(self, batch_id: str, code: str) -> Invitation | None:
        found = self._get("invitation", batch_id, code)
        return found if isinstance(found, Invitation) else None

    def set_mail_state(self, batch_id: str, code: str, state: MailState) -> None:
        with self.db.lock:
            found = self.get_invitation(batch_id, code)
            if found is not None:
                self._put(
                    found.model_copy(update={"mail_state": state}), "invitation", batch_id, code
                )

    def vouchers(self, codes: Sequence[str]) -> dict[str, VisitorVoucher]:
        return {c: self.db.vouchers[c] for c in codes if c in self.db.vouchers}

    def counts(self, batch_id: str) -> Counts:
        found = self._get("counts", batch_id)
        return found.model_copy() if isinstance(found, Counts) else Counts()

    def suppressed(self, addresses: Sequence[str]) -> dict[str, str]:
        if self.suppressions is None:
            return {}
        found = {a: self.suppressions.get(a) for a in addresses}
        return {a: str(s.reason) for a, s in found.items() if s is not None}


class FakeInvitationQueue:
    def __init__(self) -> None:
        self.queued: list[tuple[str, str]] = []

    def enqueue_invitations(self, batch_id: str, job_id: str) -> None:
        self.queued.append((batch_id, job_id))

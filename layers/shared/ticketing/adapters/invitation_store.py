"""Exhibitors' invitations in DynamoDB (issue 16): letters, lists, assigned codes, messages.

A code is given in one transaction of three writes: the voucher (``SET invited`` only if it is
issued and has no ``invited`` yet), the batch's listing of the invitation, and the exhibitor's
address (put only if free, or still held by the invitation a resend replaces). So a code is
given once, and an address invited once per exhibitor, whatever runs at the same time.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ticketing.adapters import invitation_keys as ik
from ticketing.adapters import keys
from ticketing.adapters.dynamo import (
    ConditionFailed,
    Put,
    Table,
    Update,
)
from ticketing.adapters.invitation_counts import read_counts
from ticketing.adapters.mail_keys import suppression
from ticketing.adapters.records import from_item, to_item
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.domain.invitations import (
    RECIPIENTS_PER_ITEM,
    Invitation,
    InvitationJob,
    Letter,
    MailState,
    Recipient,
)
from ticketing.domain.visitor_vouchers import VisitorVoucher
from ticketing.services.parts import Part, ProgressMoved

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ticketing.adapters.keys import Key
    from ticketing.domain.voucher_counts import Counts
    from ticketing.services.ports_invitations import Assigned

_JITTER = secrets.SystemRandom()


class DynamoInvitationStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    # letters ------------------------------------------------------------------------------

    def get_letter(self, event_id: str, exhibitor_id: str | None, language: str) -> Letter | None:
        key = (
            ik.own_letter(exhibitor_id, language)
            if exhibitor_id
            else ik.sample_letter(event_id, language)
        )
        item = self.table.get(key, consistent=True)
        if item is None or item.get("event_id") != event_id:
            return None
        return from_item(Letter, item)

    def put_letter(self, letter: Letter) -> None:
        key = (
            ik.own_letter(letter.exhibitor_id, letter.language)
            if letter.exhibitor_id
            else ik.sample_letter(letter.event_id, letter.language)
        )
        self.table.write(Put(to_item(letter, "invitation_letter", **key)))

    # lists --------------------------------------------------------------------------------

    def invited(self, exhibitor_id: str, addresses: Sequence[str]) -> dict[str, Invitation]:
        found = self._batch_get([ik.invitee(exhibitor_id, a) for a in dict.fromkeys(addresses)])
        return {str(i["address"]): from_item(Invitation, i) for i in found}

    def add_job(
        self, job: InvitationJob, recipients: Sequence[Recipient], also: Sequence[Part] = ()
    ) -> None:
        for chunk, start in enumerate(range(0, len(recipients), RECIPIENTS_PER_ITEM)):
            rows = [
                r.model_dump(mode="json", exclude_none=True)
                for r in recipients[start : start + RECIPIENTS_PER_ITEM]
            ]
            item = {**ik.job_rows(job.batch_id, job.job_id, chunk), "kind": "invitation_rows"}
            self.table.write(Put({**item, "rows": rows}))
        item = to_item(job, "invitation_job", **ik.job(job.batch_id, job.job_id))
        DynamoTransactions(self.table).add("invitation_job", item, also)

    def get_job(self, batch_id: str, job_id: str) -> InvitationJob | None:
        item = self.table.get(ik.job(batch_id, job_id), consistent=True)
        return None if item is None else from_item(InvitationJob, item)

    def jobs(self, batch_id: str) -> list[InvitationJob]:
        items = self.table.query_partition(keys.batch_partition(batch_id), ik.JOB_PREFIX)
        found = [from_item(InvitationJob, i) for i in items]
        return sorted(found, key=lambda j: j.created_at, reverse=True)

    def job_recipients(self, batch_id: str, job_id: str, chunk: int) -> list[Recipient]:
        item = self.table.get(ik.job_rows(batch_id, job_id, chunk), consistent=True)
        return [] if item is None else [Recipient.model_validate(r) for r in item.get("rows", [])]

    def move_job(self, seen: InvitationJob, now: InvitationJob) -> None:
        job = Put(
            to_item(now, "invitation_job", **ik.job(now.batch_id, now.job_id)),
            condition="next_chunk = :next AND #state = :running",
            names={"#state": "state"},
            values={":next": seen.next_chunk, ":running": "running"},
        )
        counted = Update(
            ik.counts(now.batch_id),
            "ADD assigned :assigned, invited :invited",
            values={
                ":assigned": now.assigned - seen.assigned,
                ":invited": now.invited - seen.invited,
            },
        )
        try:
            self.table.transact([job, counted])
        except ConditionFailed:
            raise ProgressMoved() from None

    # codes --------------------------------------------------------------------------------

    def free_codes(self, batch_id: str, chunk: int) -> list[str]:
        item = self.table.get(keys.batch_codes(batch_id, chunk), consistent=True)
        codes = [str(c) for c in (item or {}).get("codes", [])]
        vouchers = self._batch_get([keys.voucher(c) for c in codes])
        free = {
            str(v["code"]) for v in vouchers if v.get("state") == "issued" and "invited" not in v
        }
        return [c for c in codes if c in free]

    def assign(
        self, invitation: Invitation, replaces: Invitation | None, also: Sequence[Part] = ()
    ) -> Assigned:
        record = invitation.model_dump(mode="json", exclude_none=True)
        voucher = Update(
            keys.voucher(invitation.code),
            "SET invited = :address",
            condition="#state = :issued AND attribute_not_exists(invited)",
            names={"#state": "state"},
            values={":address": invitation.address, ":issued": "issued"},
        )
        listing = Put(
            {**ik.invitation(invitation.batch_id, invitation.code), "kind": "invitation", **record},
            condition="attribute_not_exists(PK)",
        )
        address = Put(
            {
                **ik.invitee(invitation.exhibitor_id, invitation.address),
                "kind": "invitee",
                **record,
            },
            condition="attribute_not_exists(PK)" if replaces is None else "code = :held",
            values=None if replaces is None else {":held": replaces.code},
        )
        try:
            _retrying(self.table, [voucher, listing, address, *(p.write for p in also)])
        except ConditionFailed as failed:
            reasons = list(failed.reasons) + [None] * 3
            return "code taken" if reasons[0] or reasons[1] else "address taken"
        return "assigned"

    def resend(self, invitation: Invitation, job_id: str) -> bool:
        writes = [
            Update(
                key,
                "SET sends = sends + :one, job_id = :job",
                condition="attribute_exists(PK) AND job_id <> :job",
                values={":one": 1, ":job": job_id},
            )
            for key in (
                ik.invitee(invitation.exhibitor_id, invitation.address),
                ik.invitation(invitation.batch_id, invitation.code),
            )
        ]
        try:
            _retrying(self.table, writes)
        except ConditionFailed:
            return False
        return True

    def invitations(self, batch_id: str) -> Iterator[Invitation]:
        for item in self.table.iter_partition(keys.batch_partition(batch_id), ik.INVITE_PREFIX):
            yield from_item(Invitation, item)

    def get_invitation(self, batch_id: str, code: str) -> Invitation | None:
        item = self.table.get(ik.invitation(batch_id, code), consistent=True)
        return None if item is None else from_item(Invitation, item)

    def set_mail_state(self, batch_id: str, code: str, state: MailState) -> None:
        try:
            self.table.write(
                Update(
                    ik.invitation(batch_id, code),
                    "SET mail_state = :state",
                    condition="attribute_exists(PK)",
                    values={":state": state},
                )
            )
        except ConditionFailed:
            return

    def vouchers(self, codes: Sequence[str]) -> dict[str, VisitorVoucher]:
        found = self._batch_get([keys.voucher(c) for c in dict.fromkeys(codes)])
        return {str(i["code"]): from_item(VisitorVoucher, i) for i in found}

    def counts(self, batch_id: str) -> Counts:
        return read_counts(self.table, batch_id)

    def suppressed(self, addresses: Sequence[str]) -> dict[str, str]:
        found = self._batch_get([suppression(a) for a in dict.fromkeys(addresses)])
        return {str(i["address"]): str(i.get("reason", "bounce")) for i in found}

    # reading many -------------------------------------------------------------------------

    def _batch_get(self, wanted: Sequence[Key]) -> list[dict[str, Any]]:
        return self.table.get_many(wanted)


def _retrying(table: Table, writes: list[Any]) -> None:
    """``table.transact``, again after a short jittered pause while DynamoDB cancels it for a
    conflict with another transaction on the same items (two lists reaching one code)."""
    for attempt in range(6):
        try:
            table.transact(writes)
            return
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            if not any(r.get("Code") == "TransactionConflict" for r in reasons) or attempt == 5:
                raise
            time.sleep(_JITTER.uniform(0, 0.02 * 2**attempt))

"""Exhibitors' voucher batches in DynamoDB: status, progress, the codes, the figures.

Codes are written 98 at a time in one transaction with the batch's progress and one item
listing those codes: every code is unique by ``attribute_not_exists`` (BatchWriteItem would
silently overwrite a twin), progress and codes can never disagree, and a worker that stops
half-way resumes from ``generated``.

While a batch is pending or generating it sits in the sparse "open batches" partition of
``GSI2``, keyed by its last progress: the rescue schedule reads only the stalled ones there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import datetime

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionFailed, Put, Table, Update, Write
from ticketing.adapters.records import from_item, to_item
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.domain.visitor_vouchers import VoucherBatch
from ticketing.services.ports import CodesTaken, Part, ProgressMoved

CODES_PER_WRITE = 98  # + the batch's progress + the codes item = DynamoDB's 100
OPEN = keys.OPEN_BATCHES


class DynamoBatchStore:
    codes_per_write = CODES_PER_WRITE

    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def add_batch(self, batch: VoucherBatch, also: Sequence[Part] = ()) -> None:
        batch = batch.model_copy(update={"progress_at": batch.progress_at or batch.created_at})
        item = to_item(
            batch,
            "voucher_batch",
            **keys.batch(batch.batch_id),
            GSI1PK=keys.exhibitor_batches(batch.exhibitor_id),
            GSI1SK=f"{batch.created_at.isoformat()}#{batch.batch_id}",
            **keys.open_batch(batch.batch_id, batch.created_at),
        )
        DynamoTransactions(self.table).add("batch", item, also)

    def get_batch(self, batch_id: str) -> VoucherBatch | None:
        item = self.table.get(keys.batch(batch_id), consistent=True)
        return None if item is None else from_item(VoucherBatch, item)

    def list_batches(self, exhibitor_id: str) -> list[VoucherBatch]:
        items, _ = self.table.query_index(
            keys.exhibitor_batches(exhibitor_id), limit=1000, newest_first=True
        )
        return [from_item(VoucherBatch, i) for i in items]

    def fail_batch(self, batch_id: str, at: datetime, reason: str) -> None:
        """Mark a batch that will not be finished as failed, with the reason; never a ready one."""
        self.table.write(
            Update(
                keys.batch(batch_id),
                "SET #status = :failed, #failure = :reason, #failed_at = :at REMOVE GSI2PK, GSI2SK",
                condition="attribute_exists(PK) AND #status <> :ready",
                names={"#status": "status", "#failure": "failure", "#failed_at": "failed_at"},
                values={
                    ":failed": "failed",
                    ":ready": "ready",
                    ":reason": reason[:500],
                    ":at": at.isoformat(),
                },
            )
        )

    def finish_batch(self, batch: VoucherBatch, at: datetime) -> bool:
        """Mark the batch ready and count its codes as issued, once; False if it was ready."""
        try:
            self.table.transact(
                [
                    Update(
                        keys.batch(batch.batch_id),
                        "SET #status = :ready, #ready_at = :at REMOVE GSI2PK, GSI2SK",
                        condition="attribute_exists(PK) AND #status <> :ready",
                        names={"#status": "status", "#ready_at": "ready_at"},
                        values={":ready": "ready", ":at": at.isoformat()},
                    ),
                    _count(batch.exhibitor_id, "issued", batch.quantity),
                ]
            )
        except ConditionFailed:
            return False
        return True

    def write_codes(
        self,
        batch: VoucherBatch,
        chunk: int,
        codes: Sequence[str],
        generated_before: int,
        at: datetime | None = None,
    ) -> None:
        """Take ``codes`` for ``batch`` and move its progress on, all in one transaction."""
        expression = "SET #generated = :after, #status = :generating"
        values: dict[str, object] = {
            ":after": generated_before + len(codes),
            ":before": generated_before,
            ":generating": "generating",
            ":ready": "ready",
            ":failed": "failed",
        }
        if at is not None:
            expression += ", progress_at = :at, restarts = :none, GSI2PK = :open, GSI2SK = :sk"
            open_keys = keys.open_batch(batch.batch_id, at)
            values.update(
                {":at": at.isoformat(), ":none": 0, ":open": OPEN, ":sk": open_keys["GSI2SK"]}
            )
        progress = Update(
            keys.batch(batch.batch_id),
            expression,
            # a closed batch takes no more codes (nor re-enters the open batches)
            condition="#generated = :before AND #status <> :ready AND #status <> :failed",
            names={"#status": "status", "#generated": "generated"},
            values=values,
        )
        listing = Put(
            {
                **keys.batch_codes(batch.batch_id, chunk),
                "kind": "batch_codes",
                "codes": list(codes),
            },
            condition="attribute_not_exists(PK)",
        )
        vouchers: list[Write] = [
            Put(
                {
                    **keys.voucher(code),
                    "kind": "voucher",
                    "code": code,
                    "batch_id": batch.batch_id,
                    "organizer_id": batch.organizer_id,
                    "event_id": batch.event_id,
                    "exhibitor_id": batch.exhibitor_id,
                    "valid_from": (batch.valid_from or batch.created_at).isoformat(),
                    "valid_until": batch.valid_until.isoformat(),
                    "state": "issued",
                    **keys.live(code, batch.valid_until),
                },
                condition="attribute_not_exists(PK)",
            )
            for code in codes
        ]
        try:
            self.table.transact([progress, listing, *vouchers])
        except ConditionFailed as failed:
            reasons = failed.reasons
            if reasons and (reasons[0] or (len(reasons) > 1 and reasons[1])):
                raise ProgressMoved() from None
            taken = [i - 2 for i, reason in enumerate(reasons) if i >= 2 and reason]
            raise CodesTaken(taken) from None

    def touch_batch(self, batch_id: str, at: datetime) -> None:
        """Progress without codes: ``progress_at`` and the open batches' key move to ``at``."""
        open_keys = keys.open_batch(batch_id, at)
        with contextlib.suppress(ConditionFailed):  # closed meanwhile: nothing left to watch
            self.table.write(
                Update(
                    keys.batch(batch_id),
                    "SET progress_at = :at, GSI2SK = :sk",
                    condition="attribute_exists(GSI2PK)",
                    values={":at": at.isoformat(), ":sk": open_keys["GSI2SK"]},
                )
            )

    def stalled_batches(self, before: datetime, limit: int = 100) -> list[VoucherBatch]:
        """Open batches whose last progress is before ``before``, oldest first."""
        items, _ = self.table.query_index(
            keys.OPEN_BATCHES,
            limit=limit,
            index=keys.GSI2,
            sort_between=("0", f"{keys.utc_key(before)}#"),
        )
        return [from_item(VoucherBatch, i) for i in items]

    def restart_batch(self, batch: VoucherBatch, at: datetime) -> bool:
        """One more rescue, and ``progress_at`` = ``at``, unless the batch moved on meanwhile."""
        since = keys.open_batch(batch.batch_id, batch.progress_at or batch.created_at)
        open_keys = keys.open_batch(batch.batch_id, at)
        try:
            self.table.write(
                Update(
                    keys.batch(batch.batch_id),
                    "SET progress_at = :at, GSI2SK = :sk, restarts = :restarts",
                    condition="GSI2SK = :since",
                    values={
                        ":at": at.isoformat(),
                        ":sk": open_keys["GSI2SK"],
                        ":restarts": batch.restarts + 1,
                        ":since": since["GSI2SK"],
                    },
                )
            )
        except ConditionFailed:
            return False
        return True

    def batch_codes(self, batch_id: str) -> Iterator[str]:
        for item in self.table.iter_partition(keys.batch_partition(batch_id), keys.CODES_PREFIX):
            yield from item.get("codes", [])

    def set_batch_end(self, batch_id: str, valid_until: datetime) -> None:
        self.table.write(
            Update(
                keys.batch(batch_id),
                "SET #until = :until",
                condition="attribute_exists(PK)",
                names={"#until": "valid_until"},
                values={":until": valid_until.isoformat()},
            )
        )


class DynamoExhibitorFigures:
    """Issued / redeemed / used per exhibitor, counted in the transactions that change them."""

    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def counted(self, exhibitor_id: str, figure: str, by: int) -> Part:
        return Part("figures", _count(exhibitor_id, figure, by))

    def figures(self, exhibitor_id: str) -> dict[str, int]:
        item = self.table.get(keys.exhibitor_figures(exhibitor_id), consistent=True) or {}
        return {name: int(item.get(name, 0)) for name in ("issued", "redeemed", "used")}


def _count(exhibitor_id: str, figure: str, by: int) -> Update:
    return Update(
        keys.exhibitor_figures(exhibitor_id),
        "ADD #figure :by",
        names={"#figure": figure},
        values={":by": by},
    )

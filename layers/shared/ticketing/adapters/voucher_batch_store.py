"""Exhibitors' voucher batches in DynamoDB: status, progress, the codes, the figures.

Codes are written 98 at a time in one transaction with the batch's progress and one item
listing those codes (the chunk): every code is unique by ``attribute_not_exists``
(BatchWriteItem would silently overwrite a twin), the chunk's item exists once, so progress
(``ADD generated``) and codes can never disagree; chunks go in any order, from several
writers, and a worker that stops half-way resumes with the chunks not yet listed.

While a batch is pending or generating it sits in the sparse "open batches" partition of
``GSI2``, keyed by its last progress: the rescue schedule reads only the stalled ones there.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ticketing.adapters import aws, keys
from ticketing.adapters.dynamo import ConditionFailed, Put, Table, Update, Write
from ticketing.adapters.records import from_item, to_item
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.domain.visitor_vouchers import BatchExtension, VoucherBatch
from ticketing.services.parts import CodesTaken, Part, ProgressMoved

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from datetime import datetime

    from mypy_boto3_dynamodb.client import DynamoDBClient

CODES_PER_WRITE = 98  # + the batch's progress + the codes item = DynamoDB's 100
OPEN = keys.OPEN_BATCHES
_JITTER = secrets.SystemRandom()


class _CodeWrites(Table):
    """The table as the worker's code-writing transactions reach it: through the client
    without botocore's parameter validation (``aws.dynamodb_unvalidated``)."""

    @property
    def client(self) -> DynamoDBClient:
        return self._client or aws.dynamodb_unvalidated()


class DynamoBatchStore:
    codes_per_write = CODES_PER_WRITE

    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()
        # a store given its table (tests: their own client) writes codes through that one
        self._code_writes = table or _CodeWrites()

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
        self, batch: VoucherBatch, chunk: int, codes: Sequence[str], at: datetime | None = None
    ) -> None:
        """Take ``codes`` as part ``chunk`` and add them to the progress, in one transaction.

        The chunk's listing item is the proof it is written (``attribute_not_exists``): a
        repeated chunk fails as a whole, so ``generated`` counts each chunk once, in any order.
        """
        expression = "ADD #generated :count SET #status = :generating"
        values: dict[str, object] = {
            ":count": len(codes),
            ":generating": "generating",
            ":ready": "ready",
            ":failed": "failed",
        }
        if at is not None:
            expression += ", progress_at = :at, restarts = :none, GSI2PK = :open, GSI2SK = :sk"
            expression += ", started_at = if_not_exists(started_at, :at)"
            open_keys = keys.open_batch(batch.batch_id, at)
            values.update(
                {":at": at.isoformat(), ":none": 0, ":open": OPEN, ":sk": open_keys["GSI2SK"]}
            )
        progress = Update(
            keys.batch(batch.batch_id),
            expression,
            # a closed batch takes no more codes (nor re-enters the open batches)
            condition="attribute_exists(PK) AND #status <> :ready AND #status <> :failed",
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
        writes: list[Write] = [progress, listing, *(_voucher(batch, code) for code in codes)]
        try:
            _transact_retrying(self._code_writes, writes)
        except ConditionFailed as failed:
            refused = [reason == "ConditionalCheckFailed" for reason in failed.reasons]
            if any(refused[:2]):
                raise ProgressMoved() from None
            raise CodesTaken([i - 2 for i, no in enumerate(refused) if i >= 2 and no]) from None

    def written_chunks(self, batch_id: str) -> set[int]:
        """The batch's CODES# items, keys only: the chunks that are written."""
        query: dict[str, Any] = {
            "TableName": self.table.name,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.batch_partition(batch_id)},
                ":prefix": {"S": keys.CODES_PREFIX},
            },
            "ProjectionExpression": "SK",
            "ConsistentRead": True,
        }
        chunks: set[int] = set()
        while True:
            page = self.table.client.query(**query)
            chunks.update(int(i["SK"]["S"][len(keys.CODES_PREFIX) :]) for i in page["Items"])
            if "LastEvaluatedKey" not in page:
                return chunks
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def touch_batch(self, batch_id: str, at: datetime, stale: datetime | None = None) -> bool:
        """Claim the Excel file: step ``writing_file`` since ``at`` (``file_claim_at``, its UTC
        key), ``progress_at`` and the open batches' key moved to ``at``; only while the batch
        is open and unclaimed, or claimed before ``stale`` (by a worker gone since)."""
        open_keys = keys.open_batch(batch_id, at)
        values = {
            ":open": OPEN,
            ":at": at.isoformat(),
            ":sk": open_keys["GSI2SK"],
            ":file": "writing_file",
            ":claim": keys.utc_key(at),
        }
        unclaimed = "attribute_not_exists(file_claim_at)"
        if stale is not None:
            unclaimed += " OR file_claim_at < :stale"
            values[":stale"] = keys.utc_key(stale)
        try:
            self.table.write(
                Update(
                    keys.batch(batch_id),
                    "SET progress_at = :at, GSI2SK = :sk, #step = :file, step_at = :at, "
                    "file_claim_at = :claim",
                    condition=f"GSI2PK = :open AND ({unclaimed})",
                    names={"#step": "step"},
                    values=values,
                )
            )
        except ConditionFailed:  # closed meanwhile, or another worker writes the file
            return False
        return True

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

    # the batch's extension job (services.ports_vouchers.ExtensionStore), a map on the batch;
    # ``extension_at`` (UTC key of its last move) tells a running job from a stalled one

    def start_extension(
        self, batch_id: str, extension: BatchExtension, stale_before: datetime
    ) -> bool:
        try:
            self.table.write(
                Update(
                    keys.batch(batch_id),
                    "SET #ext = :ext, extension_at = :at, GSI2PK = :open, GSI2SK = :sk",
                    # never a batch in the making (its GSI2 keys are the open batches')
                    condition="attribute_exists(PK) AND #status IN (:ready, :failed) "
                    "AND (attribute_not_exists(#ext) OR #ext.#state <> :running "
                    "OR extension_at < :stale)",
                    names={"#ext": "extension", "#state": "state", "#status": "status"},
                    values={
                        ":ext": extension.model_dump(mode="json", exclude_none=True),
                        ":at": keys.utc_key(extension.progress_at),
                        ":ready": "ready",
                        ":failed": "failed",
                        **_open_extension(batch_id, extension),
                        ":running": "running",
                        ":stale": keys.utc_key(stale_before),
                    },
                )
            )
        except ConditionFailed:
            return False
        return True

    def chunk_codes(self, batch_id: str, chunk: int) -> list[str]:
        item = self.table.get(keys.batch_codes(batch_id, chunk), consistent=True)
        return [] if item is None else [str(code) for code in item.get("codes", [])]

    def move_extension(self, batch_id: str, seen: BatchExtension, now: BatchExtension) -> None:
        expression = "SET #ext = :ext, extension_at = :at"
        values: dict[str, object] = {
            ":ext": now.model_dump(mode="json", exclude_none=True),
            ":at": keys.utc_key(now.progress_at),
            ":job": seen.job_id,
            ":next": seen.next_chunk,
            ":running": "running",
        }
        if now.state == "running":
            expression += ", GSI2PK = :open, GSI2SK = :sk"
            values.update(_open_extension(batch_id, now))
        if now.state == "done":
            expression += ", #until = :until"
            values[":until"] = now.valid_until.isoformat()
        if now.state != "running":
            expression += " REMOVE GSI2PK, GSI2SK"
        try:
            self.table.write(
                Update(
                    keys.batch(batch_id),
                    expression,
                    condition="#ext.job_id = :job AND #ext.next_chunk = :next "
                    "AND #ext.#state = :running",
                    names={"#ext": "extension", "#state": "state", "#until": "valid_until"}
                    if now.state == "done"
                    else {"#ext": "extension", "#state": "state"},
                    values=values,
                )
            )
        except ConditionFailed:
            raise ProgressMoved() from None

    def stalled_extensions(self, before: datetime, limit: int = 100) -> list[VoucherBatch]:
        items, _ = self.table.query_index(
            keys.OPEN_EXTENSIONS,
            limit=limit,
            index=keys.GSI2,
            sort_between=("0", f"{keys.utc_key(before)}#"),
        )
        return [from_item(VoucherBatch, i) for i in items]


def _open_extension(batch_id: str, extension: BatchExtension) -> dict[str, str]:
    found = keys.open_extension(batch_id, extension.progress_at)
    return {":open": found[keys.GSI2PK], ":sk": found[keys.GSI2SK]}


class DynamoExhibitorFigures:
    """Issued / redeemed / used per exhibitor, counted in the transactions that change them."""

    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def counted(self, exhibitor_id: str, figure: str, by: int) -> Part:
        return Part("figures", _count(exhibitor_id, figure, by))

    def figures(self, exhibitor_id: str) -> dict[str, int]:
        item = self.table.get(keys.exhibitor_figures(exhibitor_id), consistent=True) or {}
        return {name: int(item.get(name, 0)) for name in ("issued", "redeemed", "used")}


def _voucher(batch: VoucherBatch, code: str) -> Put:
    return Put(
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


CONFLICT_ATTEMPTS = 8


def _transact_retrying(table: Table, writes: Sequence[Write]) -> None:
    """``table.transact``, again after a short, growing, jittered pause while DynamoDB
    cancels it for a conflict (parallel writers all add to the batch's progress item)."""
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            table.transact(writes)
            return
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            conflict = any(r.get("Code") == "TransactionConflict" for r in reasons)
            if not conflict or attempt == CONFLICT_ATTEMPTS - 1:
                raise
            # from the system source: environments restored from one snapshot do not retry in step
            time.sleep(_JITTER.uniform(0, 0.02 * 2**attempt))


def _count(exhibitor_id: str, figure: str, by: int) -> Update:
    return Update(
        keys.exhibitor_figures(exhibitor_id),
        "ADD #figure :by",
        names={"#figure": figure},
        values={":by": by},
    )

"""Voucher batches, vouchers, claims and exhibitor figures in DynamoDB.

Codes are written 98 at a time in one transaction with the batch's progress and one item
listing those codes: every code is unique by ``attribute_not_exists`` (BatchWriteItem would
silently overwrite a twin), progress and codes can never disagree, and a worker that stops
half-way resumes from ``generated``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from ticketing.adapters import keys
from ticketing.adapters.attempts import DynamoAttempts
from ticketing.adapters.dynamo import ConditionFailed, Item, Put, Update, Write
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.vouchers import Redemption, Voucher, VoucherBatch

CODES_PER_WRITE = 98  # + the batch's progress + the codes item = DynamoDB's 100


class CodesTaken(Exception):
    """Some codes of a write exist already (another batch drew them): draw those again."""

    def __init__(self, positions: list[int]) -> None:
        super().__init__(positions)
        self.positions = positions


class ProgressMoved(Exception):
    """Another worker wrote this part of the batch meanwhile."""


class DynamoVoucherStore(DynamoAttempts):
    # batches -----------------------------------------------------------------------------------

    def add_batch(self, batch: VoucherBatch) -> None:
        self.table.put_new(
            to_item(
                batch,
                "voucher_batch",
                **keys.batch(batch.batch_id),
                GSI1PK=keys.exhibitor_batches(batch.exhibitor_id),
                GSI1SK=f"{batch.created_at.isoformat()}#{batch.batch_id}",
            )
        )

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
                "SET #status = :failed, #failure = :reason, #failed_at = :at",
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
                        "SET #status = :ready, #ready_at = :at",
                        condition="attribute_exists(PK) AND #status <> :ready",
                        names={"#status": "status", "#ready_at": "ready_at"},
                        values={":ready": "ready", ":at": at.isoformat()},
                    ),
                    self.count(batch.exhibitor_id, "issued", batch.quantity),
                ]
            )
        except ConditionFailed:
            return False
        return True

    def write_codes(
        self, batch: VoucherBatch, chunk: int, codes: Sequence[str], generated_before: int
    ) -> None:
        """Take ``codes`` for ``batch`` and move its progress on, all in one transaction."""
        progress = Update(
            keys.batch(batch.batch_id),
            "SET #generated = :after, #status = :generating",
            condition="#generated = :before",
            names={"#status": "status", "#generated": "generated"},
            values={
                ":after": generated_before + len(codes),
                ":before": generated_before,
                ":generating": "generating",
            },
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

    def batch_codes(self, batch_id: str) -> Iterator[str]:
        for item in self.table.iter_partition(f"BATCH#{batch_id}", "CODES#"):
            yield from item.get("codes", [])

    # vouchers ----------------------------------------------------------------------------------

    def get_voucher(self, code: str) -> Voucher | None:
        item = self.table.get(keys.voucher(code), consistent=True)
        return None if item is None else from_item(Voucher, item)

    def redemption_writes(
        self, voucher: Voucher, redemption: Redemption, claim_email: str
    ) -> list[tuple[str, Write]]:
        """The writes that redeem a voucher, to join the order's transaction."""
        return [
            (
                "voucher",
                Update(
                    keys.voucher(voucher.code),
                    "SET #state = :redeemed, #redemption = :redemption, GSI1PK = :pk, GSI1SK = :sk",
                    condition="#state = :issued",
                    names={"#state": "state", "#redemption": "redemption"},
                    values={
                        ":redeemed": "redeemed",
                        ":issued": "issued",
                        ":redemption": redemption.model_dump(mode="json", exclude_none=True),
                        ":pk": keys.exhibitor_redemptions(voucher.exhibitor_id),
                        ":sk": f"{redemption.redeemed_at.isoformat()}#{voucher.code}",
                    },
                ),
            ),
            (
                "claim",
                Put(
                    {
                        **keys.claim(voucher.event_id, claim_email),
                        "kind": "voucher_claim",
                        "code": voucher.code,
                        "order_number": redemption.order_number,
                    },
                    condition="attribute_not_exists(PK)",
                ),
            ),
            ("figures", self.count(voucher.exhibitor_id, "redeemed", 1)),
        ]

    # validity ----------------------------------------------------------------------------------

    def _live_between(self, low: str, high: str) -> Iterator[Item]:
        """Every item of the sparse LIVE index whose end key is in [low, high], all shards."""
        for shard in range(keys.LIVE_SHARDS):
            cursor: dict[str, Any] | None = None
            while True:
                items, cursor = self.table.query_index(
                    f"LIVE#{shard}",
                    limit=1000,
                    start_after=cursor,
                    index=keys.LIVE,
                    sort_between=(low, high),
                )
                yield from items
                if cursor is None:
                    break

    def due(self, now: datetime) -> Iterator[tuple[str, str]]:
        """(code, end) of every issued voucher whose end has passed, from the sparse index."""
        # every key starts with a year, so "0" is below them all
        for item in self._live_between("0", f"{keys.utc_key(now)}#"):
            end, _, code = str(item[keys.LIVESK]).partition("#")
            yield code, end

    def ending_between(self, start: datetime, end: datetime) -> Iterator[dict[str, str]]:
        """Issued vouchers whose end falls in [start, end): code, batch and exhibitor."""
        for item in self._live_between(keys.utc_key(start), f"{keys.utc_key(end)}#"):
            yield {
                "code": str(item.get("code", "")),
                "batch_id": str(item.get("batch_id", "")),
                "exhibitor_id": str(item.get("exhibitor_id", "")),
            }

    def expire(self, codes: Sequence[str], now: datetime) -> int:
        """Issued -> expired for ``codes`` whose end has passed; each at most once.

        Up to 100 per transaction; a voucher a registration or an extension took meanwhile
        fails its condition, is left out, and the rest are written again.
        """
        expired = 0
        for start in range(0, len(codes), 100):
            pending = list(codes[start : start + 100])
            while pending:
                ops: list[Write] = [
                    Update(
                        keys.voucher(code),
                        "SET #state = :expired, expired_at = :now REMOVE LIVEPK, LIVESK",
                        condition="#state = :issued AND #until <= :now",
                        names={"#state": "state", "#until": "valid_until"},
                        values={
                            ":expired": "expired",
                            ":issued": "issued",
                            ":now": now.isoformat(),
                        },
                    )
                    for code in pending
                ]
                try:
                    self.table.transact(ops)
                    expired += len(pending)
                    break
                except ConditionFailed as failed:
                    pending = [c for c, r in zip(pending, failed.reasons, strict=False) if not r]
        return expired

    def extend(self, voucher: Voucher, valid_until: datetime, at: datetime, by: str) -> bool:
        """Move the voucher's end; an expired voucher is issued again. False if it was
        redeemed meanwhile (a redeemed voucher is never changed)."""
        change = {
            "previous": voucher.valid_until.isoformat(),
            "current": valid_until.isoformat(),
            "at": at.isoformat(),
            "by": by,
        }
        live = keys.live(voucher.code, valid_until)
        try:
            self.table.write(
                Update(
                    keys.voucher(voucher.code),
                    "SET #until = :until, #state = :issued, LIVEPK = :livepk, LIVESK = :livesk, "
                    "#changes = list_append(if_not_exists(#changes, :none), :change) "
                    "REMOVE expired_at",
                    condition="attribute_exists(PK) AND #state <> :redeemed",
                    names={
                        "#until": "valid_until",
                        "#state": "state",
                        "#changes": "validity_changes",
                    },
                    values={
                        ":until": valid_until.isoformat(),
                        ":issued": "issued",
                        ":redeemed": "redeemed",
                        ":livepk": live[keys.LIVEPK],
                        ":livesk": live[keys.LIVESK],
                        ":none": [],
                        ":change": [change],
                    },
                )
            )
        except ConditionFailed:
            return False
        return True

    @property
    def read_items(self) -> int:
        return self.table.read_items

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

    def redemptions(self, exhibitor_id: str) -> Iterator[Voucher]:
        cursor: dict[str, Any] | None = None
        while True:
            items, cursor = self.table.query_index(
                keys.exhibitor_redemptions(exhibitor_id), limit=1000, start_after=cursor
            )
            yield from (from_item(Voucher, i) for i in items)
            if cursor is None:
                return

    # figures ----------------------------------------------------------------------------------

    @staticmethod
    def count(exhibitor_id: str, figure: str, by: int) -> Update:
        return Update(
            keys.exhibitor_figures(exhibitor_id),
            "ADD #figure :by",
            names={"#figure": figure},
            values={":by": by},
        )

    def figures(self, exhibitor_id: str) -> dict[str, int]:
        item = self.table.get(keys.exhibitor_figures(exhibitor_id), consistent=True) or {}
        return {name: int(item.get(name, 0)) for name in ("issued", "redeemed", "used")}

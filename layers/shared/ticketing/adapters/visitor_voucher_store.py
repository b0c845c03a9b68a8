"""Visitor vouchers in DynamoDB, one item per code: registered, extended, expired.

An issued voucher is also on the sparse ``LIVE`` index by its end, so the expiry sweep and the
reminders read only what is due. Every change of a voucher is one conditional write; a batch's
extension reads its vouchers 100 a call and moves them 100 a transaction, each conditioned.
"""

from __future__ import annotations

import contextlib
import random
import time
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ticketing.adapters import keys
from ticketing.adapters.dynamo import (
    ConditionFailed,
    Item,
    Put,
    Table,
    Update,
    Write,
)
from ticketing.adapters.records import from_item
from ticketing.domain.visitor_vouchers import Registration, VisitorVoucher
from ticketing.services.parts import Part
from ticketing.services.ports_vouchers import MANY_AT_ONCE

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from datetime import datetime

CONDITION_FAILED = "ConditionalCheckFailed"  # a transaction's cancellation reason
TRANSACT_ATTEMPTS = 5  # transactions another one on the same items cancelled, then an error
_JITTER = random.SystemRandom()


class DynamoVisitorVoucherStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def get_voucher(self, code: str) -> VisitorVoucher | None:
        item = self.table.get(keys.voucher(code), consistent=True)
        return None if item is None else from_item(VisitorVoucher, item)

    def registration(
        self, voucher: VisitorVoucher, registration: Registration, claimant: str, namesake: str
    ) -> list[Part]:
        """The parts that redeem a voucher by registration, to join the order's commit:
        ``voucher`` (still issued), ``claim`` (one voucher ticket per person and event) and
        ``namesake`` (who else registered under this name and company: the first creates it,
        a possible duplicate is added to it)."""
        redeem = Update(
            keys.voucher(voucher.code),
            # off the sparse LIVE index: a registered voucher neither expires nor is reminded of
            "SET #state = :redeemed, #registration = :registration, GSI1PK = :pk, GSI1SK = :sk "
            "REMOVE LIVEPK, LIVESK",
            condition="#state = :issued",
            names={"#state": "state", "#registration": "registration"},
            values={
                ":redeemed": "redeemed",
                ":issued": "issued",
                ":registration": registration.model_dump(mode="json", exclude_none=True),
                ":pk": keys.exhibitor_redemptions(voucher.exhibitor_id),
                ":sk": f"{registration.redeemed_at.isoformat()}#{voucher.code}",
            },
        )
        claim = Put(
            {
                **keys.claim(voucher.event_id, claimant),
                "kind": "voucher_claim",
                "code": voucher.code,
                "order_number": registration.order_number,
            },
            condition="attribute_not_exists(PK)",
        )
        return [
            Part("voucher", redeem),
            Part("claim", claim),
            Part("namesake", _namesake(voucher, registration, namesake)),
        ]

    def namesake(self, event_id: str, namesake: str) -> str | None:
        item = self.table.get(keys.namesake(event_id, namesake), consistent=True)
        return None if item is None else str(item["code"])

    def mark_possible_duplicate(self, code: str) -> None:
        # no registration (any more): nothing to flag
        with contextlib.suppress(ConditionFailed):
            self.table.write(
                Update(
                    keys.voucher(code),
                    "SET #registration.#flag = :yes",
                    condition="attribute_exists(#registration)",
                    names={"#registration": "registration", "#flag": "possible_duplicate"},
                    values={":yes": True},
                )
            )

    # validity ----------------------------------------------------------------------------------

    def _live_between(self, low: str, high: str) -> Iterator[Item]:
        """Every item of the sparse LIVE index whose end key is in [low, high], all shards."""
        for shard in range(keys.LIVE_SHARDS):
            cursor: dict[str, Any] | None = None
            while True:
                items, cursor = self.table.query_index(
                    keys.live_partition(shard),
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
        for item in self._live_between("0", keys.live_due(now)):
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
                        # the index key is UTC (valid_until keeps the event's offset, and
                        # ISO text of two offsets does not compare as time)
                        condition="#state = :issued AND LIVESK <= :due",
                        names={"#state": "state"},
                        values={
                            ":expired": "expired",
                            ":issued": "issued",
                            ":now": now.isoformat(),
                            ":due": keys.live_due(now),
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

    def extend(self, voucher: VisitorVoucher, valid_until: datetime, at: datetime, by: str) -> bool:
        """Move the voucher's end; an expired voucher is issued again. False if it was
        redeemed meanwhile (a redeemed voucher is never changed)."""
        try:
            self.table.write(_extension(voucher, valid_until, at, by, once=False))
        except ConditionFailed:
            return False
        return True

    # many at once (the batch extension) ------------------------------------------------------

    def get_vouchers(self, codes: Sequence[str]) -> dict[str, VisitorVoucher]:
        """The vouchers of ``codes`` that exist, by code: BatchGetItem, 100 keys a call, the
        keys DynamoDB left unprocessed asked again after a jittered, growing pause."""
        found = self.table.get_many([keys.voucher(c) for c in codes])
        vouchers = (from_item(VisitorVoucher, item) for item in found)
        return {voucher.code: voucher for voucher in vouchers}

    def extend_vouchers(
        self, vouchers: Sequence[VisitorVoucher], valid_until: datetime, at: datetime, by: str
    ) -> int:
        """Up to 100 conditional updates per transaction (not redeemed, not at the end
        already). The vouchers whose condition cancelled it are written one by one, and the
        others together again; a transaction another one conflicted with is tried again."""
        extended = 0
        for start in range(0, len(vouchers), MANY_AT_ONCE):
            pending = list(vouchers[start : start + MANY_AT_ONCE])
            attempt = 0
            while pending:
                try:
                    self.table.transact([_extension(v, valid_until, at, by) for v in pending])
                except ConditionFailed as failed:
                    reasons = (failed.reasons + [None] * len(pending))[: len(pending)]
                    refused = {i for i, r in enumerate(reasons) if r == CONDITION_FAILED}
                    extended += sum(
                        self._extend_one(pending[i], valid_until, at, by) for i in refused
                    )
                    pending = [v for i, v in enumerate(pending) if i not in refused]
                except ClientError as error:
                    attempt += 1
                    code = error.response.get("Error", {}).get("Code")
                    if code != "TransactionCanceledException" or attempt >= TRANSACT_ATTEMPTS:
                        raise
                    time.sleep(_JITTER.uniform(0, 0.02 * 2**attempt))  # a conflict: again
                else:
                    extended += len(pending)
                    pending = []
        return extended

    def _extend_one(
        self, voucher: VisitorVoucher, valid_until: datetime, at: datetime, by: str
    ) -> bool:
        """One voucher a transaction's condition refused (a registration or another walk got
        there meanwhile): written alone, or read to tell which of the two it was."""
        try:
            self.table.write(_extension(voucher, valid_until, at, by))
            return True
        except ConditionFailed:
            now = self.get_voucher(voucher.code)
            return now is not None and now.state == "issued" and now.valid_until == valid_until

    @property
    def read_items(self) -> int:
        return self.table.read_items

    def redemptions(self, exhibitor_id: str) -> Iterator[VisitorVoucher]:
        cursor: dict[str, Any] | None = None
        while True:
            items, cursor = self.table.query_index(
                keys.exhibitor_redemptions(exhibitor_id), limit=1000, start_after=cursor
            )
            yield from (from_item(VisitorVoucher, i) for i in items)
            if cursor is None:
                return


def _extension(
    voucher: VisitorVoucher, valid_until: datetime, at: datetime, by: str, once: bool = True
) -> Update:
    """The update that moves a voucher's end (an expired one is issued again), its change
    appended; never for a redeemed voucher, and with ``once`` not for one at that end."""
    change = {
        "previous": voucher.valid_until.isoformat(),
        "current": valid_until.isoformat(),
        "at": at.isoformat(),
        "by": by,
    }
    live = keys.live(voucher.code, valid_until)
    condition = "attribute_exists(PK) AND #state <> :redeemed"
    if once:  # a second walk of the same step writes nothing (and appends no second change)
        condition += " AND NOT (#state = :issued AND #until = :until)"
    return Update(
        keys.voucher(voucher.code),
        "SET #until = :until, #state = :issued, LIVEPK = :livepk, LIVESK = :livesk, "
        "#changes = list_append(if_not_exists(#changes, :none), :change) "
        "REMOVE expired_at",
        condition=condition,
        names={"#until": "valid_until", "#state": "state", "#changes": "validity_changes"},
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


def _namesake(voucher: VisitorVoucher, registration: Registration, namesake: str) -> Write:
    """The first registration under a namesake creates its item; a possible duplicate counts
    one more (each refused when another registration got there first)."""
    key = keys.namesake(voucher.event_id, namesake)
    if not registration.possible_duplicate:
        item = {**key, "kind": "namesake", "code": voucher.code, "count": 1}
        return Put(item, condition="attribute_not_exists(PK)")
    return Update(
        key,
        "ADD #count :one",
        condition="attribute_exists(PK)",
        names={"#count": "count"},
        values={":one": 1},
    )

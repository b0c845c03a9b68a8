"""Gift campaigns, vouchers with their ledger, counters and SMS, in memory.

Items live in ``FakeDatabase.gift`` under the keys the DynamoDB store uses (as tuples), so
that a commit may touch each item once and conditions read the shared state when it runs.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.fakes.database import FakeDatabase, FakeTransactions, FakeWrite
from ticketing.domain.gift_bulk import BulkIssue, BulkStatus, RowError
from ticketing.domain.gift_vouchers import (
    STATE_CHANGES,
    Campaign,
    CounterChange,
    Counters,
    GiftVoucher,
    LedgerEntry,
)
from ticketing.services.ports import Part
from ticketing.services.ports_gift import STATS_SHARDS, TOTAL


def _digits(phone: str) -> str:
    return re.sub(r"[^0-9]", "", phone)


def _ref(external_ref: str) -> str:
    return hashlib.sha256(external_ref.encode()).hexdigest()[:40]


def _new(db: FakeDatabase, key: tuple[Any, ...], value: Any) -> FakeWrite:
    def put() -> None:
        db.gift[key] = value

    return FakeWrite(key, lambda: key not in db.gift, put)


class FakeCampaignStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def add_campaign(self, campaign: Campaign, also: Sequence[Part] = ()) -> None:
        cid = campaign.campaign_id
        head = campaign.model_copy(
            update={"tiers": [t.model_copy(update={"issued": 0}) for t in campaign.tiers]}
        )
        parts = [Part("campaign", _new(self.db, ("campaign", cid), head))]
        for t in campaign.tiers:
            counter = {"issued": 0, "quantity": t.quantity}
            parts.append(Part(f"tier {t.id}", _new(self.db, ("tier", cid, t.id), counter)))
        FakeTransactions(self.db).commit([*parts, *also])

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        head: Campaign | None = self.db.gift.get(("campaign", campaign_id))
        if head is None:
            return None
        tiers = []
        for t in head.tiers:
            counter = self.db.gift.get(("tier", campaign_id, t.id), {})
            tiers.append(t.model_copy(update=counter))
        return head.model_copy(update={"tiers": tiers})

    def list_campaigns(self, organizer_id: str) -> list[Campaign]:
        found = [
            v
            for k, v in self.db.gift.items()
            if k[0] == "campaign" and v.organizer_id == organizer_id
        ]
        return sorted(found, key=lambda c: f"{c.created_at.isoformat()}#{c.campaign_id}")[::-1]

    def change_campaign(
        self,
        campaign_id: str,
        name: str | None,
        valid_from: datetime | None,
        valid_until: datetime | None,
    ) -> None:
        update = {
            k: v
            for k, v in {"name": name, "valid_from": valid_from, "valid_until": valid_until}.items()
            if v is not None
        }
        with self.db.lock:
            head = self.db.gift[("campaign", campaign_id)]
            self.db.gift[("campaign", campaign_id)] = head.model_copy(update=update)

    def set_quantity(self, campaign_id: str, tier_id: str, quantity: int | None) -> bool:
        with self.db.lock:
            counter = self.db.gift[("tier", campaign_id, tier_id)]
            if quantity is not None and counter["issued"] > quantity:
                return False
            self.db.gift[("tier", campaign_id, tier_id)] = {**counter, "quantity": quantity}
            return True

    def take_from_tier(self, campaign_id: str, tier_id: str) -> Part:
        key = ("tier", campaign_id, tier_id)

        def check() -> bool:
            counter = self.db.gift.get(key)
            if counter is None:
                return False
            return counter["quantity"] is None or counter["issued"] < counter["quantity"]

        def apply() -> None:
            counter = self.db.gift[key]
            self.db.gift[key] = {**counter, "issued": counter["issued"] + 1}

        return Part("tier", FakeWrite(key, check, apply))


class FakeGiftVoucherStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def _ledger(self, code: str) -> list[LedgerEntry]:
        rows = [(k, v) for k, v in self.db.gift.items() if k[0] == "ledger" and k[1] == code]
        return [v for _, v in sorted(rows, key=lambda row: row[0][2:])]

    def get_voucher(self, code: str) -> GiftVoucher | None:
        with self.db.lock:
            voucher: GiftVoucher | None = self.db.gift.get(("voucher", code))
            if voucher is None:
                return None
            return voucher.model_copy(update={"ledger": self._ledger(code)})

    def code_of_token(self, token: str) -> str | None:
        code: str | None = self.db.gift.get(("link", token))
        return code

    def code_of_ref(self, campaign_id: str, external_ref: str) -> str | None:
        code: str | None = self.db.gift.get(("extref", campaign_id, _ref(external_ref)))
        return code

    def by_phone(self, campaign_id: str, phone: str) -> list[GiftVoucher]:
        found = [
            v
            for k, v in list(self.db.gift.items())
            if k[0] == "voucher"
            and v.campaign_id == campaign_id
            and v.recipient.phone
            and _digits(v.recipient.phone) == _digits(phone)
        ]
        found.sort(key=lambda v: f"{v.issued_at.isoformat()}#{v.code}")
        return [v for v in (self.get_voucher(f.code) for f in found) if v is not None]

    def issuing(self, voucher: GiftVoucher, entry: LedgerEntry) -> list[Part]:
        stored = voucher.model_copy(update={"ledger": [], "version": 1})
        db = self.db
        return [
            Part("code", _new(db, ("voucher", voucher.code), stored)),
            self.entry(voucher, entry),
            Part(
                "external_ref",
                _new(db, ("extref", voucher.campaign_id, _ref(voucher.external_ref)), voucher.code),
            ),
            Part("token", _new(db, ("link", voucher.token), voucher.code)),
        ]

    def entry(self, voucher: GiftVoucher, entry: LedgerEntry) -> Part:
        rank = "0" if entry.kind in STATE_CHANGES else "1"
        key = ("ledger", voucher.code, entry.at.timestamp(), entry.seq, rank + secrets.token_hex(3))
        return Part("ledger", _new(self.db, key, entry))

    def change(self, voucher: GiftVoucher, entry: LedgerEntry) -> list[Part]:
        key = ("voucher", voucher.code)

        def check() -> bool:
            stored = self.db.gift.get(key)
            return stored is not None and stored.version == voucher.version

        def apply() -> None:
            stored = self.db.gift[key]
            self.db.gift[key] = stored.model_copy(update={"version": voucher.version + 1})

        return [Part("voucher", FakeWrite(key, check, apply)), self.entry(voucher, entry)]

    def append(self, voucher: GiftVoucher, entry: LedgerEntry) -> None:
        self.db.write("ledger", self.entry(voucher, entry).write)  # type: ignore[arg-type]

    def counted(self, change: CounterChange, shard: int | None = None) -> list[Part]:
        on = secrets.randbelow(STATS_SHARDS) if shard is None else shard
        add = Counters(
            issued=change.issued,
            redeemed=change.redeemed,
            value_issued=change.value_issued,
            value_redeemed=change.value_redeemed,
        )
        parts = []
        for by, group in [(TOTAL, ""), *sorted(change.groups.items())]:
            key = ("stats", change.campaign_id, by, on, group)

            def apply(key: tuple[Any, ...] = key) -> None:
                self.db.gift[key] = self.db.gift.get(key, Counters()).plus(add)

            parts.append(Part(f"stats {by}", FakeWrite(key, apply=apply)))
        return parts

    def pending_delivery(self, voucher: GiftVoucher) -> Part:
        key = ("delivery", voucher.code)

        def put() -> None:
            self.db.gift[key] = voucher.issued_at

        return Part("delivery", FakeWrite(key, apply=put))

    def deliveries_due(self, older_than: datetime, limit: int = 100) -> list[str]:
        due = [(at, k[1]) for k, at in list(self.db.gift.items()) if k[0] == "delivery"]
        return [code for at, code in sorted(due) if at < older_than][:limit]

    def delivered(self, voucher: GiftVoucher) -> None:
        self.db.gift.pop(("delivery", voucher.code), None)

    def counters(self, campaign_id: str, by: str) -> dict[str, Counters]:
        summed: dict[str, Counters] = {}
        for k, v in list(self.db.gift.items()):
            if k[0] == "stats" and k[1] == campaign_id and k[2] == by:
                summed[k[4]] = summed.get(k[4], Counters()).plus(v)
        return summed

    def shard_items(self, campaign_id: str) -> int:
        return sum(1 for k in self.db.gift if k[0] == "stats" and k[1] == campaign_id)


@dataclass
class FakeSms:
    """SMS sent, in order; ``down`` makes the next sends fail as an SNS outage would."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    down: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send_sms(self, phone: str, text: str) -> str:
        if self.down:
            raise ConnectionError("SNS unavailable")
        with self.lock:
            self.sent.append((phone, text))
            return f"sms-{len(self.sent)}"


class FakeBulkStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def add_bulk(self, bulk: BulkIssue) -> None:
        self.db.write("bulk", _new(self.db, ("bulk", bulk.bulk_id), bulk))

    def get_bulk(self, bulk_id: str) -> BulkIssue | None:
        found: BulkIssue | None = self.db.gift.get(("bulk", bulk_id))
        return found

    def move_bulk(
        self, bulk_id: str, before: BulkStatus, after: BulkStatus, at: datetime, rows: int = 0
    ) -> bool:
        with self.db.lock:
            bulk = self.get_bulk(bulk_id)
            if bulk is None or bulk.status != before:
                return False
            update: dict[str, Any] = {"status": after, "progress_at": at}
            if rows:
                update["rows"] = rows
            self.db.gift[("bulk", bulk_id)] = bulk.model_copy(update=update)
            return True

    def advance(
        self,
        bulk_id: str,
        start: int,
        end: int,
        counts: tuple[int, int, int],
        errors: Sequence[RowError],
        at: datetime,
        done: bool,
    ) -> bool:
        with self.db.lock:
            bulk = self.get_bulk(bulk_id)
            if bulk is None or bulk.next_row != start:
                return False
            update: dict[str, Any] = {
                "next_row": end,
                "progress_at": at,
                "errors": [*bulk.errors, *errors],
                "issued": bulk.issued + counts[0],
                "repeated": bulk.repeated + counts[1],
                "failed": bulk.failed + counts[2],
            }
            if done:
                update.update(status="done", finished_at=at)
            self.db.gift[("bulk", bulk_id)] = bulk.model_copy(update=update)
            return True


@dataclass
class FakeBulkQueue:
    """Messages of the bulk queue, in order: (bulk_id, start_row)."""

    messages: list[tuple[str, int]] = field(default_factory=list)

    def enqueue_bulk(self, bulk_id: str, start_row: int) -> None:
        self.messages.append((bulk_id, start_row))


@dataclass
class FakeGiftFiles:
    objects: dict[str, bytes] = field(default_factory=dict)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = data

    def get(self, key: str) -> bytes | None:
        return self.objects.get(key)

    def upload_url(self, key: str, content_type: str, seconds: int = 900) -> str:
        return f"https://uploads.example/{key}"

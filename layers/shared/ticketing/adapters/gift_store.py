"""Gift campaigns, gift vouchers with their ledger, and the sharded counters, in DynamoDB.

A campaign's item and its tiers' counter items share a partition (one query reads them); a
voucher's item and its ledger entries share one too (a terminal reads both in one query). The
counters of a change go to one shard drawn at random, one small item per group, so that no
item takes every redemption of a large campaign.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ticketing.adapters import gift_keys, keys
from ticketing.adapters.dynamo import ConditionFailed, Item, Put, Table, Update
from ticketing.adapters.records import from_item, to_item
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.domain.gift_vouchers import (
    STATE_CHANGES,
    Campaign,
    CounterChange,
    Counters,
    GiftVoucher,
    LedgerEntry,
)
from ticketing.domain.ids import random_token
from ticketing.services.parts import Part
from ticketing.services.ports_gift import STATS_SHARDS, TOTAL

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime


def ref_hash(external_ref: str) -> str:
    return hashlib.sha256(external_ref.encode()).hexdigest()[:40]


def phone_digits(phone: str) -> str:
    return re.sub(r"[^0-9]", "", phone)


class DynamoCampaignStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def add_campaign(self, campaign: Campaign, also: Sequence[Part] = ()) -> None:
        item = to_item(
            campaign,
            "campaign",
            **gift_keys.campaign(campaign.campaign_id),
            GSI1PK=gift_keys.tenant_campaigns(campaign.organizer_id),
            GSI1SK=f"{campaign.created_at.isoformat()}#{campaign.campaign_id}",
        )
        for tier in item["tiers"]:
            tier.pop("quantity", None)
            tier.pop("issued", None)
        tiers = [
            Part(
                f"tier {t.id}",
                Put(
                    {
                        **gift_keys.campaign_tier(campaign.campaign_id, t.id),
                        "kind": "campaign_tier",
                        "issued": 0,
                        **({} if t.quantity is None else {"quantity": t.quantity}),
                    },
                    condition="attribute_not_exists(PK)",
                ),
            )
            for t in campaign.tiers
        ]
        DynamoTransactions(self.table).add("campaign", item, [*tiers, *also])

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        items = self.table.query_partition(
            gift_keys.campaign_partition(campaign_id), consistent=True
        )
        head = next((i for i in items if i["SK"] == "CAMPAIGN"), None)
        if head is None:
            return None
        counts = {
            str(i["SK"]).removeprefix(gift_keys.TIER_PREFIX): i
            for i in items
            if str(i["SK"]).startswith(gift_keys.TIER_PREFIX)
        }
        for tier in head["tiers"]:
            counted = counts.get(str(tier["id"]), {})
            tier["issued"] = counted.get("issued", 0)
            if "quantity" in counted:
                tier["quantity"] = counted["quantity"]
        return from_item(Campaign, head)

    def list_campaigns(self, organizer_id: str) -> list[Campaign]:
        found: list[Campaign] = []
        cursor: dict[str, Any] | None = None
        while True:
            items, cursor = self.table.query_index(
                gift_keys.tenant_campaigns(organizer_id),
                limit=1000,
                start_after=cursor,
                newest_first=True,
            )
            found.extend(from_item(Campaign, i) for i in items)
            if cursor is None:
                return found

    def change_campaign(
        self,
        campaign_id: str,
        name: str | None,
        valid_from: datetime | None,
        valid_until: datetime | None,
    ) -> None:
        changes = {
            k: v
            for k, v in {
                "name": name,
                "valid_from": valid_from.isoformat() if valid_from else None,
                "valid_until": valid_until.isoformat() if valid_until else None,
            }.items()
            if v is not None
        }
        if not changes:
            return
        self.table.write(
            Update(
                gift_keys.campaign(campaign_id),
                "SET " + ", ".join(f"#{k} = :{k}" for k in changes),
                condition="attribute_exists(PK)",
                names={f"#{k}": k for k in changes},
                values={f":{k}": v for k, v in changes.items()},
            )
        )

    def set_quantity(self, campaign_id: str, tier_id: str, quantity: int | None) -> bool:
        key = gift_keys.campaign_tier(campaign_id, tier_id)
        if quantity is None:
            self.table.write(Update(key, "REMOVE quantity", condition="attribute_exists(PK)"))
            return True
        try:
            self.table.write(
                Update(
                    key,
                    "SET quantity = :q",
                    condition="attribute_exists(PK) AND issued <= :q",
                    values={":q": quantity},
                )
            )
        except ConditionFailed:
            return False
        return True

    def take_from_tier(self, campaign_id: str, tier_id: str) -> Part:
        return Part(
            "tier",
            Update(
                gift_keys.campaign_tier(campaign_id, tier_id),
                "ADD issued :one",
                condition="attribute_exists(PK) AND "
                "(attribute_not_exists(quantity) OR issued < quantity)",
                values={":one": 1},
            ),
        )


class DynamoGiftVoucherStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def get_voucher(self, code: str) -> GiftVoucher | None:
        items = self.table.query_partition(gift_keys.gift_partition(code), consistent=True)
        return _voucher(items)

    def code_of_token(self, token: str) -> str | None:
        item = self.table.get(gift_keys.gift_link(token), consistent=True)
        return None if item is None else str(item["code"])

    def code_of_ref(self, campaign_id: str, external_ref: str) -> str | None:
        item = self.table.get(gift_keys.external_ref(campaign_id, ref_hash(external_ref)), True)
        return None if item is None else str(item["code"])

    def by_phone(self, campaign_id: str, phone: str) -> list[GiftVoucher]:
        items, _ = self.table.query_index(
            gift_keys.campaign_phone(campaign_id, phone_digits(phone)), limit=100
        )
        found = (self.get_voucher(str(i["code"])) for i in items)
        return [v for v in found if v is not None]

    def issuing(self, voucher: GiftVoucher, entry: LedgerEntry) -> list[Part]:
        index = {}
        if voucher.recipient.phone:
            index = {
                keys.GSI1PK: gift_keys.campaign_phone(
                    voucher.campaign_id, phone_digits(voucher.recipient.phone)
                ),
                keys.GSI1SK: f"{voucher.issued_at.isoformat()}#{voucher.code}",
            }
        item = to_item(
            voucher.model_copy(update={"ledger": [], "version": 1}),
            "gift_voucher",
            **gift_keys.gift_voucher(voucher.code),
            **index,
        )
        item.pop("ledger", None)
        new = "attribute_not_exists(PK)"
        ref = {
            **gift_keys.external_ref(voucher.campaign_id, ref_hash(voucher.external_ref)),
            "kind": "gift_external_ref",
            "code": voucher.code,
        }
        link = {**gift_keys.gift_link(voucher.token), "kind": "gift_link", "code": voucher.code}
        return [
            Part("code", Put(item, condition=new)),
            self.entry(voucher, entry),
            Part("external_ref", Put(ref, condition=new)),
            Part("token", Put(link, condition=new)),
        ]

    def entry(self, voucher: GiftVoucher, entry: LedgerEntry) -> Part:
        # in one moment and one seq, the state change sorts before what it led to
        rank = "0" if entry.kind in STATE_CHANGES else "1"
        key = gift_keys.gift_ledger(voucher.code, entry.at, entry.seq, rank + random_token(6))
        item = to_item(entry, "gift_ledger", **key)
        item["kind"] = entry.kind  # the entry's own kind (records.from_item drops "kind")
        return Part("ledger", Put(item, condition="attribute_not_exists(PK)"))

    def change(self, voucher: GiftVoucher, entry: LedgerEntry) -> list[Part]:
        lock = Update(
            gift_keys.gift_voucher(voucher.code),
            "SET version = :next",
            condition="version = :read",
            values={":next": voucher.version + 1, ":read": voucher.version},
        )
        return [Part("voucher", lock), self.entry(voucher, entry)]

    def append(self, voucher: GiftVoucher, entry: LedgerEntry) -> None:
        part = self.entry(voucher, entry)
        assert isinstance(part.write, Put)
        self.table.write(part.write)

    def counted(self, change: CounterChange, shard: int | None = None) -> list[Part]:
        on = secrets.randbelow(STATS_SHARDS) if shard is None else shard
        values = {
            ":i": change.issued,
            ":r": change.redeemed,
            ":vi": change.value_issued,
            ":vr": change.value_redeemed,
        }
        expression = "ADD issued :i, redeemed :r, value_issued :vi, value_redeemed :vr"
        groups = [(TOTAL, ""), *sorted(change.groups.items())]
        return [
            Part(
                f"stats {by}",
                Update(
                    gift_keys.stats(change.campaign_id, by, on, group), expression, values=values
                ),
            )
            for by, group in groups
        ]

    def pending_delivery(self, voucher: GiftVoucher) -> Part:
        item = {**gift_keys.gift_delivery(voucher.code, voucher.issued_at), "code": voucher.code}
        return Part("delivery", Put({**item, "kind": "gift_delivery"}))

    def deliveries_due(self, older_than: datetime, limit: int = 100) -> list[str]:
        cutoff = keys.utc_key(older_than)
        found: list[str] = []
        for shard in range(keys.OUTBOX_SHARDS):
            partition = gift_keys.gift_delivery_partition(shard)
            for item in self.table.query_partition(partition, limit=limit):
                if str(item["SK"]) < cutoff:
                    found.append(str(item["code"]))
        return found[:limit]

    def delivered(self, voucher: GiftVoucher) -> None:
        self.table.delete(gift_keys.gift_delivery(voucher.code, voucher.issued_at))

    def counters(self, campaign_id: str, by: str) -> dict[str, Counters]:
        summed: dict[str, Counters] = {}
        for shard in range(STATS_SHARDS):
            partition = gift_keys.stats_partition(campaign_id, by, shard)
            for item in self.table.query_partition(partition, consistent=True):
                group = "" if item["SK"] == gift_keys.TOTALS_GROUP else str(item["SK"])
                counted = Counters(
                    issued=int(item.get("issued", 0)),
                    redeemed=int(item.get("redeemed", 0)),
                    value_issued=Decimal(item.get("value_issued", 0)),
                    value_redeemed=Decimal(item.get("value_redeemed", 0)),
                )
                summed[group] = summed.get(group, Counters()).plus(counted)
        return summed


def _voucher(items: list[Item]) -> GiftVoucher | None:
    head = next((i for i in items if i["SK"] == gift_keys.GIFT_VOUCHER), None)
    if head is None:
        return None
    ledger = []
    for item in items:  # in sort key order: by time
        if str(item["SK"]).startswith(gift_keys.LEDGER_PREFIX):
            entry = {k: v for k, v in item.items() if k not in ("PK", "SK")}
            ledger.append(LedgerEntry.model_validate(entry))
    voucher = from_item(GiftVoucher, head)
    return voucher.model_copy(update={"ledger": ledger})

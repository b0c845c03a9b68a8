"""Gift campaigns and vouchers: the same scenarios on the fakes and on DynamoDB (moto).

What the fakes promise the service tests (a tier's quantity held by its condition, a code and
a programme reference taken once, the ledger read with its voucher in order, a state change
refused when another came first, counters summed over their shards) is what DynamoDB does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tests.fakes import FakeCampaignStore, FakeDatabase, FakeGiftVoucherStore, FakeTransactions
from ticketing.domain.gift_vouchers import (
    Campaign,
    GiftVoucher,
    LedgerEntry,
    Tier,
    issued_change,
    new_code,
    redeemed_change,
)
from ticketing.services.ports import Transactions, WriteRefused
from ticketing.services.ports_gift import TOTAL, BulkStore, CampaignStore, GiftVoucherStore

NOW = datetime(2026, 10, 8, 2, 0, tzinfo=UTC)


@dataclass
class Ports:
    campaigns: CampaignStore
    gifts: GiftVoucherStore
    tx: Transactions


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        db = FakeDatabase()
        return Ports(FakeCampaignStore(db), FakeGiftVoucherStore(db), FakeTransactions(db))
    request.getfixturevalue("aws")
    from ticketing.adapters.gift_store import DynamoCampaignStore, DynamoGiftVoucherStore
    from ticketing.adapters.transactions import DynamoTransactions

    return Ports(DynamoCampaignStore(), DynamoGiftVoucherStore(), DynamoTransactions())


def refused(commit: Callable[[], object]) -> list[str]:
    with pytest.raises(WriteRefused) as caught:
        commit()
    return caught.value.labels


def a_campaign(ports: Ports, quantity: int | None = 2) -> Campaign:
    campaign = Campaign(
        campaign_id="cmp_1",
        organizer_id="org_1",
        issuer_id="iss_1",
        name="无线音乐俱乐部",
        valid_from=NOW - timedelta(days=7),
        valid_until=NOW + timedelta(days=80),
        tiers=[
            Tier(id="A", name="A 档", value="100.00"),
            Tier(id="B", name="B 档", value="50.00", quantity=quantity),
        ],
        created_at=NOW,
    )
    ports.campaigns.add_campaign(campaign)
    return campaign


def a_voucher(campaign: Campaign, ref: str, code: str | None = None) -> GiftVoucher:
    return GiftVoucher(
        code=code or new_code(),
        campaign_id=campaign.campaign_id,
        organizer_id=campaign.organizer_id,
        issuer_id=campaign.issuer_id,
        tier="B",
        value=Decimal("50.00"),
        currency="CNY",
        valid_from=campaign.valid_from,
        valid_until=campaign.valid_until,
        recipient={"phone": "13800138000", "name": "王小明", "city": "南京"},
        external_ref=ref,
        token=f"tok{ref}",
        issued_at=NOW,
    )


def issue(ports: Ports, campaign: Campaign, voucher: GiftVoucher) -> None:
    entry = LedgerEntry(kind="issued", at=NOW, by="key", seq=1)
    ports.tx.commit(
        [
            ports.campaigns.take_from_tier(campaign.campaign_id, voucher.tier),
            *ports.gifts.issuing(voucher, entry),
            *ports.gifts.counted(issued_change(voucher, campaign.timezone), shard=3),
            ports.gifts.pending_delivery(voucher),
        ]
    )


def test_a_campaign_reads_back_with_its_tier_counts(ports: Ports) -> None:
    campaign = a_campaign(ports)
    read = ports.campaigns.get_campaign("cmp_1")
    assert read is not None
    assert read.name == "无线音乐俱乐部"
    assert [(t.id, t.quantity, t.issued) for t in read.tiers] == [("A", None, 0), ("B", 2, 0)]
    assert read.tiers[1].value == Decimal("50.00")
    assert [c.campaign_id for c in ports.campaigns.list_campaigns("org_1")] == ["cmp_1"]
    assert ports.campaigns.get_campaign("cmp_2") is None
    assert refused(lambda: ports.campaigns.add_campaign(campaign)) == [
        "campaign",
        "tier A",
        "tier B",
    ]


def test_the_tier_condition_holds_its_quantity(ports: Ports) -> None:
    campaign = a_campaign(ports, quantity=2)
    issue(ports, campaign, a_voucher(campaign, "r1"))
    issue(ports, campaign, a_voucher(campaign, "r2"))
    assert refused(lambda: issue(ports, campaign, a_voucher(campaign, "r3"))) == ["tier"]
    assert not ports.campaigns.set_quantity("cmp_1", "B", 1)
    assert ports.campaigns.set_quantity("cmp_1", "B", 3)
    issue(ports, campaign, a_voucher(campaign, "r3"))
    read = ports.campaigns.get_campaign("cmp_1")
    assert read is not None
    assert read.tier("B").issued == 3
    assert ports.campaigns.set_quantity("cmp_1", "B", None)  # no limit any more


def test_a_code_a_reference_and_a_token_are_taken_once(ports: Ports) -> None:
    campaign = a_campaign(ports, quantity=None)
    first = a_voucher(campaign, "r1")
    issue(ports, campaign, first)
    same_code = a_voucher(campaign, "r2", code=first.code).model_copy(update={"token": "other"})
    assert refused(lambda: issue(ports, campaign, same_code)) == ["code"]
    same_ref = a_voucher(campaign, "r1").model_copy(update={"token": "other2"})
    assert refused(lambda: issue(ports, campaign, same_ref)) == ["external_ref"]
    assert ports.gifts.code_of_ref("cmp_1", "r1") == first.code
    assert ports.gifts.code_of_token(first.token) == first.code
    assert ports.gifts.code_of_ref("cmp_1", "nope") is None
    assert ports.campaigns.get_campaign("cmp_1").tier("B").issued == 1  # type: ignore[union-attr]


def test_the_ledger_comes_with_its_voucher_and_guards_state_changes(ports: Ports) -> None:
    campaign = a_campaign(ports, quantity=None)
    voucher = a_voucher(campaign, "r1")
    issue(ports, campaign, voucher)
    read = ports.gifts.get_voucher(voucher.code)
    assert read is not None
    assert read.version == 1
    assert read.recipient.name == "王小明"
    ports.gifts.append(read, LedgerEntry(kind="sms_sent", at=NOW, by="system", seq=1))
    later = NOW + timedelta(days=1)
    merchant = {"merchant_id": "mer_1", "city": "南京", "category": "cinema"}
    redeemed = LedgerEntry(
        kind="redeemed", at=later, by="t", seq=2, merchant_id="mer_1", redemption_id="red_1"
    )
    ports.tx.commit(
        [
            *ports.gifts.change(read, redeemed),
            *ports.gifts.counted(redeemed_change(read, merchant, later, campaign.timezone)),
        ]
    )
    # a second terminal that read the voucher before the redemption is refused
    twin = redeemed.model_copy(update={"redemption_id": "red_2"})
    assert refused(lambda: ports.tx.commit(ports.gifts.change(read, twin))) == ["voucher"]
    now = ports.gifts.get_voucher(voucher.code)
    assert now is not None
    assert [e.kind for e in now.ledger] == ["issued", "sms_sent", "redeemed"]
    assert now.state(later) == "redeemed"
    assert now.open_redemption().redemption_id == "red_1"
    assert [v.code for v in ports.gifts.by_phone("cmp_1", "138-0013-8000")] == [voucher.code]


def test_counters_sum_over_their_shards(ports: Ports) -> None:
    campaign = a_campaign(ports, quantity=None)
    voucher = a_voucher(campaign, "r1")
    merchant = {"merchant_id": "mer_1", "city": "南京", "category": "cinema"}
    for shard in (0, 5, 15):
        ports.tx.commit(
            ports.gifts.counted(redeemed_change(voucher, merchant, NOW, "Asia/Shanghai"), shard)
        )
    ports.tx.commit(
        ports.gifts.counted(redeemed_change(voucher, merchant, NOW, "Asia/Shanghai", -1), 7)
    )
    totals = ports.gifts.counters("cmp_1", TOTAL)[""]
    assert (totals.redeemed, totals.value_redeemed) == (2, Decimal("100.00"))
    assert ports.gifts.counters("cmp_1", "city")["南京"].redeemed == 2
    assert ports.gifts.counters("cmp_1", "day") == {
        "2026-10-08": ports.gifts.counters("cmp_1", "day")["2026-10-08"]
    }
    assert ports.gifts.counters("cmp_1", "merchant")["mer_1"].value_redeemed == Decimal("100.00")


def test_a_pending_delivery_is_due_until_delivered(ports: Ports) -> None:
    campaign = a_campaign(ports, quantity=None)
    voucher = a_voucher(campaign, "r1")
    issue(ports, campaign, voucher)
    assert ports.gifts.deliveries_due(NOW) == []
    assert ports.gifts.deliveries_due(NOW + timedelta(minutes=3)) == [voucher.code]
    ports.gifts.delivered(voucher)
    assert ports.gifts.deliveries_due(NOW + timedelta(minutes=3)) == []


@pytest.fixture(params=["fake", "dynamodb"])
def bulks(request: pytest.FixtureRequest) -> BulkStore:
    if request.param == "fake":
        from tests.fakes import FakeBulkStore

        return FakeBulkStore(FakeDatabase())
    request.getfixturevalue("aws")
    from ticketing.adapters.gift_bulk_store import DynamoBulkStore

    return DynamoBulkStore()


def test_a_bulk_issue_moves_on_once_per_chunk(bulks: BulkStore) -> None:
    from ticketing.domain.gift_bulk import BulkIssue, RowError

    bulk = BulkIssue(
        bulk_id="blk_1",
        campaign_id="cmp_1",
        organizer_id="org_1",
        issuer_id="iss_1",
        issuer_key="key",
        format="csv",
        status="awaiting_upload",
        created_at=NOW,
        progress_at=NOW,
    )
    bulks.add_bulk(bulk)
    assert bulks.move_bulk("blk_1", "awaiting_upload", "pending", NOW)
    assert not bulks.move_bulk("blk_1", "awaiting_upload", "pending", NOW)
    assert bulks.move_bulk("blk_1", "pending", "running", NOW, rows=7)
    error = RowError(row=3, external_ref="r3", reason="tier Z: 没有")
    assert bulks.advance("blk_1", 0, 5, (3, 1, 1), [error], NOW, done=False)
    assert not bulks.advance("blk_1", 0, 5, (3, 1, 1), [error], NOW, done=False)
    assert bulks.advance("blk_1", 5, 7, (2, 0, 0), [], NOW, done=True)
    read = bulks.get_bulk("blk_1")
    assert read is not None
    assert (read.status, read.rows, read.next_row) == ("done", 7, 7)
    assert (read.issued, read.repeated, read.failed) == (5, 1, 1)
    assert read.errors == [error]
    assert read.finished_at == NOW

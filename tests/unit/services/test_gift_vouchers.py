"""Seed 004 on the fakes: campaigns, issuing once per points transaction, tier quantities under
concurrency, delivery that never loses a voucher, the ledger's state, the counters."""

from __future__ import annotations

import inspect
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.fakes import (
    FakeAccessStore,
    FakeCampaignStore,
    FakeDatabase,
    FakeGiftVoucherStore,
    FakeIdempotencyStore,
    FakeMailQueue,
    FakeSms,
    FakeTransactions,
    FixedClock,
)
from ticketing.domain.errors import Conflict, InvalidRequest, NotAllowed, NotFound
from ticketing.domain.gift_parties import Issuer, Merchant
from ticketing.domain.gift_vouchers import (
    Accept,
    CampaignChange,
    CampaignDraft,
    IssueRequest,
    LedgerEntry,
    canonical,
    refusal,
    state_of,
)
from ticketing.domain.identity import Principal, Role
from ticketing.services import ports_gift
from ticketing.services.gift_vouchers import campaigns, delivery, issuing, page

ORG = "org_music"
NOW = datetime(2026, 10, 8, 9, 30, tzinfo=UTC)


class World:
    def __init__(self) -> None:
        self.db = FakeDatabase()
        self.access = FakeAccessStore(self.db)
        self.campaigns = FakeCampaignStore(self.db)
        self.gifts = FakeGiftVoucherStore(self.db)
        self.tx = FakeTransactions(self.db)
        self.sms = FakeSms()
        self.mail = FakeMailQueue()
        self.clock = FixedClock(NOW)
        self.desk = campaigns.CampaignDesk(
            self.campaigns, self.access, FakeIdempotencyStore(self.db), self.clock
        )
        self.issue_desk = issuing.IssueDesk(self.campaigns, self.gifts, self.tx, self.clock)
        self.delivery = delivery.Delivery(self.gifts, self.sms, self.mail, self.clock)

    def issuer(self, issuer_id: str = "iss_12530", org: str = ORG) -> Principal:
        self.access.add_party(
            Issuer(name="12530 积分系统", issuer_id=issuer_id, organizer_id=org, created_at=NOW),
            None,
        )
        return Principal(Role.ISSUER, issuer_id, org, f"key_{issuer_id}")

    def campaign(self, issuer: Principal, **tiers: int | None) -> str:
        draft = CampaignDraft(
            name="无线音乐俱乐部 电子礼品券",
            valid_from=datetime(2026, 10, 1, tzinfo=UTC),
            valid_until=datetime(2027, 1, 1, tzinfo=UTC),
            tiers=[
                {"id": t, "name": f"{t} 档", "value": v, "quantity": tiers.get(t)}
                for t, v in (("A", "100.00"), ("B", "50.00"), ("C", "20.00"))
            ],
            accept=Accept(categories=["ktv", "cinema"], cities=["北京", "南京"]),
        )
        created, _ = campaigns.create_campaign(self.desk, issuer, draft)
        return created.campaign_id

    def issue(self, issuer: Principal, campaign_id: str, ref: str, tier: str = "B") -> Any:
        request = IssueRequest(
            tier=tier,
            recipient={"phone": "138 0013 8000", "name": "王小明", "city": "南京"},
            external_ref=ref,
        )
        voucher, issued = issuing.issue(self.issue_desk, issuer, campaign_id, request)
        if issued:
            delivery.deliver(self.delivery, voucher)
        return voucher, issued


@pytest.fixture
def world() -> World:
    return World()


def test_the_programme_issues_once_per_points_transaction(world: World) -> None:
    issuer = world.issuer()
    campaign_id = world.campaign(issuer)
    first, issued = world.issue(issuer, campaign_id, "pts-0001")
    again, issued_again = world.issue(issuer, campaign_id, "pts-0001")
    assert issued
    assert not issued_again
    assert again.code == first.code
    assert canonical(first.code) == first.code
    assert first.value == Decimal("50.00")
    assert first.currency == "CNY"
    # one SMS, in Chinese, with value, code, validity and the page
    assert len(world.sms.sent) == 1
    phone, text = world.sms.sent[0]
    assert phone == "138 0013 8000"
    assert "50.00" in text
    assert first.code[:4] in text
    assert f"/g/{first.token}" in text
    assert "礼品券" in text
    assert "有效期至2027年1月1日" in text
    stored = world.gifts.get_voucher(first.code)
    assert stored is not None
    assert [e.kind for e in stored.ledger] == ["issued", "sms_sent"]
    assert stored.state(NOW) == "issued"
    assert world.campaigns.get_campaign(campaign_id).tier("B").issued == 1  # type: ignore[union-attr]
    assert world.gifts.deliveries_due(NOW + timedelta(days=1)) == []


def test_another_tier_under_the_same_reference_is_refused(world: World) -> None:
    issuer = world.issuer()
    campaign_id = world.campaign(issuer)
    world.issue(issuer, campaign_id, "pts-0002")
    with pytest.raises(Conflict):
        world.issue(issuer, campaign_id, "pts-0002", tier="A")


def test_a_tier_quantity_is_never_exceeded_under_concurrency(world: World) -> None:
    issuer = world.issuer()
    campaign_id = world.campaign(issuer, C=3)

    def one(i: int) -> str:
        try:
            world.issue(issuer, campaign_id, f"pts-{i}", tier="C")
        except Conflict:
            return "used up"
        return "issued"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(one, range(20)))
    assert outcomes.count("issued") == 3
    assert outcomes.count("used up") == 17
    tier = world.campaigns.get_campaign(campaign_id).tier("C")  # type: ignore[union-attr]
    assert tier is not None
    assert tier.issued == 3
    totals = world.gifts.counters(campaign_id, ports_gift.TOTAL)[""]
    assert totals.issued == 3
    assert totals.value_issued == Decimal("60.00")
    assert world.gifts.counters(campaign_id, "tier")["C"].issued == 3
    assert world.gifts.counters(campaign_id, "city")["南京"].issued == 3


def test_quantities_change_but_never_below_what_was_issued(world: World) -> None:
    issuer = world.issuer()
    campaign_id = world.campaign(issuer, A=5)
    world.issue(issuer, campaign_id, "pts-a1", tier="A")
    world.issue(issuer, campaign_id, "pts-a2", tier="A")
    change = CampaignChange(tiers=[{"id": "A", "quantity": 2}])
    changed = campaigns.change_campaign(world.desk, issuer, campaign_id, change)
    assert changed.tier("A").quantity == 2  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        world.issue(issuer, campaign_id, "pts-a3", tier="A")
    with pytest.raises(InvalidRequest) as below:
        campaigns.change_campaign(
            world.desk, issuer, campaign_id, CampaignChange(tiers=[{"id": "A", "quantity": 1}])
        )
    assert below.value.message_id == "problem.gift.quantity_below_issued"
    with pytest.raises(InvalidRequest):
        campaigns.change_campaign(
            world.desk, issuer, campaign_id, CampaignChange(tiers=[{"id": "Z", "quantity": 1}])
        )


def test_who_reads_and_who_writes_campaigns(world: World) -> None:
    issuer = world.issuer()
    campaign_id = world.campaign(issuer)
    organizer = Principal(Role.ORGANIZER, ORG, ORG, "key_org")
    reviewer = Principal(Role.REVIEWER, "rev", None, "key_rev")
    assert campaigns.readable_campaign(world.campaigns, organizer, campaign_id).name
    assert campaigns.readable_campaign(world.campaigns, reviewer, campaign_id).name
    other_issuer = world.issuer("iss_other")  # same tenant, another issuer
    stranger = Principal(Role.ORGANIZER, "org_x", "org_x", "key_x")
    for nobody in (other_issuer, stranger):
        with pytest.raises(NotFound):
            campaigns.readable_campaign(world.campaigns, nobody, campaign_id)
    with pytest.raises(NotAllowed):
        campaigns.change_campaign(world.desk, organizer, campaign_id, CampaignChange(name="x"))


def test_a_failed_sms_never_loses_the_voucher_and_the_sweep_sends_it(world: World) -> None:
    issuer = world.issuer()
    campaign_id = world.campaign(issuer)
    world.sms.down = True
    voucher, issued = world.issue(issuer, campaign_id, "pts-down")
    assert issued
    assert world.sms.sent == []
    stored = world.gifts.get_voucher(voucher.code)
    assert stored is not None
    assert [e.kind for e in stored.ledger] == ["issued", "delivery_failed"]
    world.sms.down = False
    world.clock.advance(timedelta(minutes=5))
    assert delivery.sweep(world.delivery) == 1
    assert len(world.sms.sent) == 1
    assert delivery.sweep(world.delivery) == 0
    again = world.gifts.get_voucher(voucher.code)
    assert again is not None
    assert again.ledger[-1].kind == "sms_sent"


def test_english_campaigns_speak_english_and_mail_carries_the_qr(world: World) -> None:
    issuer = world.issuer()
    draft = CampaignDraft(
        name="Music club",
        language="en",
        valid_from=datetime(2026, 10, 1, tzinfo=UTC),
        valid_until=datetime(2027, 1, 1, tzinfo=UTC),
        tiers=[{"id": "B", "name": "B", "value": "50.00"}],
    )
    campaign, _ = campaigns.create_campaign(world.desk, issuer, draft)
    request = IssueRequest(
        tier="B",
        recipient={"phone": "+8613800138000", "email": "xiaoming@example.cn"},
        external_ref="pts-en",
    )
    voucher, _ = issuing.issue(world.issue_desk, issuer, campaign.campaign_id, request)
    delivery.deliver(world.delivery, voucher)
    assert "Gift voucher" in world.sms.sent[0][1]
    assert "CN¥50.00" in world.sms.sent[0][1]
    assert world.mail.requests[0].template == "gift_voucher"
    assert world.mail.requests[0].to == ["xiaoming@example.cn"]
    from ticketing.mail.render import render

    rendered = render(world.mail.requests[0])
    assert "CN¥50.00" in rendered.subject
    assert voucher.code[:4] in rendered.text
    assert f"/g/{voucher.token}" in rendered.html
    attachment = delivery.qr_attachment(voucher.code)
    import io

    import zxingcpp
    from PIL import Image

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(attachment.data)))
    assert [d.text for d in decoded] == [voucher.code]


def test_the_page_lists_accepting_merchants_of_the_members_city(world: World) -> None:
    issuer = world.issuer()
    campaign_id = world.campaign(issuer)
    for name, city, category, rate in (
        ("南京金陵影城", "南京", "cinema", "0.45"),
        ("北京钱柜KTV", "北京", "ktv", "0.55"),
        ("南京书店", "南京", "bookshop", "0.50"),
        ("南京新影院", "南京", "cinema", None),
    ):
        merchant = Merchant(
            name=name,
            city=city,
            category=category,
            settlement_rate=rate,
            merchant_id=f"mer_{len(name)}{city}{category}",
            organizer_id=ORG,
            created_at=NOW,
        )
        world.access.add_party(merchant, None)
    voucher, _ = world.issue(issuer, campaign_id, "pts-page")
    deps = page.GiftPageDeps(world.gifts, world.campaigns, world.access, world.clock)
    shown = page.gift_page(deps, voucher.token)
    assert shown is not None
    assert shown.state == "issued"
    assert [m.name for m in shown.merchants] == ["南京金陵影城"]
    assert page.gift_page(deps, "x" * 26) is None
    assert page.gift_page(deps, "../") is None


def test_state_is_what_the_ledger_says() -> None:
    start, end = datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)

    def entry(kind: str, minute: int) -> LedgerEntry:
        return LedgerEntry(kind=kind, at=NOW + timedelta(minutes=minute), by="k")  # type: ignore[arg-type]

    issued = [entry("issued", 0), entry("sms_sent", 1)]
    assert state_of(issued, start, end, NOW) == "issued"
    assert state_of(issued, start, end, start - timedelta(days=1)) == "not_yet_valid"
    assert state_of(issued, start, end, end) == "expired"
    redeemed = [*issued, entry("redeemed", 5)]
    assert state_of(redeemed, start, end, end + timedelta(days=9)) == "redeemed"
    assert state_of([*redeemed, entry("reversed", 9)], start, end, NOW) == "issued"
    assert state_of([*issued, entry("complaint", 9)], start, end, NOW) == "issued"


def test_the_acceptance_rule() -> None:
    accept = Accept(categories=["ktv", "cinema"], cities=["北京", "Nanjing"])
    assert refusal(accept, "cinema", "nanjing") is None
    assert refusal(accept, "bookshop", "北京") == "category"
    assert refusal(accept, "ktv", "上海") == "city"
    assert refusal(accept, None, "北京") == "category"
    assert refusal(Accept(), None, None) is None


@pytest.mark.parametrize(
    ("port", "fake"),
    [
        (ports_gift.CampaignStore, FakeCampaignStore),
        (ports_gift.GiftVoucherStore, FakeGiftVoucherStore),
        (ports_gift.SmsSender, FakeSms),
    ],
)
def test_the_fakes_have_every_method_of_their_port(port: type[Any], fake: type[Any]) -> None:
    for name, member in vars(port).items():
        if name.startswith("_") or not callable(member):
            continue
        assert hasattr(fake, name), f"{fake.__name__} lacks {name}"
        wanted = list(inspect.signature(member).parameters)
        assert list(inspect.signature(getattr(fake, name)).parameters) == wanted, name

"""Merchants' terminals validate, redeem and reverse gift vouchers (seed 004), on the fakes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tests.fakes import (
    FakeAccessStore,
    FakeCampaignStore,
    FakeDatabase,
    FakeGiftVoucherStore,
    FakeIdempotencyStore,
    FakeTransactions,
    FixedClock,
)
from tests.fakes.terminal import FakeRedemptionStore, FakeTerminalLocks
from ticketing.domain.errors import Conflict, Expired, NotAllowed, NotFound, TooManyAttempts
from ticketing.domain.gift_vouchers import (
    Accept,
    Campaign,
    GiftVoucher,
    LedgerEntry,
    Recipient,
    Tier,
    display,
    new_code,
)
from ticketing.domain.identity import Principal, Role
from ticketing.domain.parties import Merchant, MerchantDraft, TerminalDraft
from ticketing.services import access, gift_stats, gift_terminal, merchants
from ticketing.services.terminal_guard import LOCK_SECONDS, MAX_FAILURES

NOW = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)
ORG = "org_music"
ORGANIZER = Principal(Role.ORGANIZER, ORG, ORG, "key_org")
ISSUER = Principal(Role.ISSUER, "iss_club", ORG, "key_iss")


@dataclass
class World:
    clock: FixedClock
    db: FakeDatabase
    desk: gift_terminal.TerminalDesk
    access: FakeAccessStore
    campaigns: FakeCampaignStore
    gifts: FakeGiftVoucherStore
    redemptions: FakeRedemptionStore
    locks: FakeTerminalLocks
    campaign: Campaign
    pauses: list[float]

    def merchant(self, name: str, city: str, category: str, rate: str | None) -> Merchant:
        draft = MerchantDraft(name=name, city=city, category=category, settlement_rate=rate)
        return access.create_merchant(self.access, self.clock, ORGANIZER, draft)

    def terminal(self, merchant: Merchant) -> Principal:
        made = access.create_terminal(
            self.access,
            self.clock,
            ORGANIZER,
            merchant.merchant_id,
            TerminalDraft(label="收银台 1"),
        )
        return Principal(
            Role.TERMINAL, made.party.terminal_id, ORG, made.key_id, merchant.merchant_id
        )

    def voucher(self, tier: str = "B", **changes: object) -> GiftVoucher:
        value = {"A": Decimal("100.00"), "B": Decimal("50.00"), "C": Decimal("20.00")}[tier]
        fields: dict[str, object] = {
            "code": new_code(),
            "campaign_id": self.campaign.campaign_id,
            "organizer_id": ORG,
            "issuer_id": "iss_club",
            "tier": tier,
            "value": value,
            "currency": "CNY",
            "valid_from": NOW - timedelta(days=10),
            "valid_until": NOW + timedelta(days=80),
            "recipient": Recipient(phone="+8613800138000", name="王小明", city="南京"),
            "external_ref": f"points-{new_code()}",
            "token": new_code(),
            "issued_at": NOW - timedelta(days=1),
        }
        voucher = GiftVoucher.model_validate({**fields, **changes})
        entry = LedgerEntry(kind="issued", at=voucher.issued_at, by="key_iss", seq=1)
        FakeTransactions(self.db).commit(self.gifts.issuing(voucher, entry))
        stored = self.gifts.get_voucher(voucher.code)
        assert stored is not None
        return stored


@pytest.fixture
def world() -> World:
    db = FakeDatabase()
    clock = FixedClock(NOW)
    campaigns = FakeCampaignStore(db)
    campaign = Campaign(
        campaign_id="cmp_music",
        organizer_id=ORG,
        issuer_id="iss_club",
        name="无线音乐俱乐部积分换礼",
        currency="CNY",
        valid_from=NOW - timedelta(days=30),
        valid_until=NOW + timedelta(days=90),
        tiers=[
            Tier(id="A", name="A", value=Decimal("100")),
            Tier(id="B", name="B", value=Decimal("50")),
            Tier(id="C", name="C", value=Decimal("20")),
        ],
        accept=Accept(categories=["cinema", "ktv"], cities=["南京", "北京"]),
        created_at=NOW - timedelta(days=30),
    )
    campaigns.add_campaign(campaign)
    stores = {
        "access": FakeAccessStore(db),
        "gifts": FakeGiftVoucherStore(db),
        "redemptions": FakeRedemptionStore(db),
        "locks": FakeTerminalLocks(db),
    }
    desk = gift_terminal.TerminalDesk(
        clock=clock,
        merchants=stores["access"],  # type: ignore[arg-type]
        campaigns=campaigns,
        gifts=stores["gifts"],  # type: ignore[arg-type]
        redemptions=stores["redemptions"],  # type: ignore[arg-type]
        locks=stores["locks"],  # type: ignore[arg-type]
        transactions=FakeTransactions(db),
        idempotency=FakeIdempotencyStore(db),
    )
    return World(clock, db, desk, campaigns=campaigns, campaign=campaign, pauses=[], **stores)  # type: ignore[arg-type]


def _pause(world: World) -> Callable[[float], None]:
    return world.pauses.append


def test_a_cinema_validates_redeems_and_a_ktv_is_told_where_it_was_used(world: World) -> None:
    cinema = world.merchant("南京新街口影城", "南京", "cinema", "0.45")
    ktv = world.merchant("北京钱柜KTV", "北京", "ktv", "0.55")
    at_cinema, at_ktv = world.terminal(cinema), world.terminal(ktv)
    voucher = world.voucher("B")

    checked = gift_terminal.validate(world.desk, at_cinema, display(voucher.code))
    assert (checked.acceptable, checked.voucher.value, checked.state) == (
        True,
        Decimal("50.00"),
        "issued",
    )
    first = gift_terminal.redeem(world.desk, at_cinema, voucher.code, "till-1-0001")
    again = gift_terminal.redeem(world.desk, at_cinema, voucher.code, "till-1-0001")
    assert (first.created, again.created) == (True, False)
    assert again.redemption.redemption_id == first.redemption.redemption_id
    assert first.redemption.payable == Decimal("22.50")

    with pytest.raises(Conflict) as used:
        gift_terminal.redeem(world.desk, at_ktv, voucher.code, "ktv-0001")
    assert used.value.extensions["merchant"] == {
        "merchant_id": cinema.merchant_id,
        "name": "南京新街口影城",
    }
    assert used.value.extensions["redeemed_at"] == NOW.isoformat()
    later = gift_terminal.validate(world.desk, at_ktv, voucher.code)
    assert (later.acceptable, later.reason, later.state) == (False, "redeemed", "redeemed")

    # the ledger says what happened, the counters agree with it
    kinds = [e.kind for e in world.gifts.get_voucher(voucher.code).ledger]  # type: ignore[union-attr]
    assert (kinds.count("redeemed"), kinds.count("validated")) == (1, 2)
    stats = gift_stats.campaign_stats(world.campaigns, world.gifts, ISSUER, "cmp_music", "city")
    assert [(g.key, g.counters.redeemed, g.counters.value_redeemed) for g in stats.groups] == [
        ("南京", 1, Decimal("50.00"))
    ]


def test_refusals_say_why(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    terminal = world.terminal(cinema)
    with pytest.raises(Expired):
        gift_terminal.redeem(
            world.desk, terminal, world.voucher(valid_until=NOW - timedelta(hours=1)).code, None
        )
    with pytest.raises(Conflict) as early:
        gift_terminal.redeem(
            world.desk, terminal, world.voucher(valid_from=NOW + timedelta(days=1)).code, None
        )
    assert early.value.message_id == "problem.terminal.not_yet_valid"
    for name, city, category in (("深圳KTV", "深圳", "ktv"), ("南京书店", "南京", "bookshop")):
        elsewhere = world.terminal(world.merchant(name, city, category, "0.5"))
        with pytest.raises(NotAllowed):
            gift_terminal.redeem(world.desk, elsewhere, world.voucher().code, None)
    no_rate = world.terminal(world.merchant("南京无比例影城", "南京", "cinema", None))
    assert gift_terminal.validate(world.desk, no_rate, world.voucher().code).reason == "not_set_up"


def test_unknown_and_malformed_codes_answer_alike_and_lock_the_terminal(world: World) -> None:
    terminal = world.terminal(world.merchant("南京影城", "南京", "cinema", "0.45"))
    good = world.voucher()
    for attempt in range(MAX_FAILURES - 1):
        typed = "not a code" if attempt % 2 else new_code()
        with pytest.raises(NotFound):
            gift_terminal.validate(world.desk, terminal, typed, _pause(world))
    assert world.pauses[-1] > 0  # slowed down before it is refused
    with pytest.raises(TooManyAttempts) as locked:
        gift_terminal.validate(world.desk, terminal, new_code(), _pause(world))
    assert locked.value.retry_after == LOCK_SECONDS
    # locked: even a good code is refused before any lookup, for 15 minutes
    with pytest.raises(TooManyAttempts):
        gift_terminal.redeem(world.desk, terminal, good.code, None)
    world.clock.advance(timedelta(seconds=LOCK_SECONDS + 1))
    assert gift_terminal.redeem(world.desk, terminal, good.code, None).created


def test_the_lock_shows_to_the_organizer_and_a_revoked_terminal_key_stops(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    terminal = world.terminal(cinema)
    for _ in range(MAX_FAILURES):
        with pytest.raises((NotFound, TooManyAttempts)):
            gift_terminal.validate(world.desk, terminal, new_code(), _pause(world))
    shown = merchants.show_merchant(
        world.access, world.locks, world.clock, ORGANIZER, cinema.merchant_id
    )
    assert [t.locked_until for t in shown.terminals] == [NOW + timedelta(seconds=LOCK_SECONDS)]
    revoked = merchants.revoke_terminal(
        world.access, world.access, world.clock, ORGANIZER, cinema.merchant_id, terminal.subject_id
    )
    assert revoked.revoked_at == NOW
    assert world.access.get_key(terminal.key_id).revoked_at == NOW  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        merchants.revoke_terminal(
            world.access,
            world.access,
            world.clock,
            ORGANIZER,
            cinema.merchant_id,
            terminal.subject_id,
        )
    other = Principal(Role.ORGANIZER, "org_other", "org_other", "key_other")
    with pytest.raises(NotFound):
        merchants.show_merchant(world.access, world.locks, world.clock, other, cinema.merchant_id)


def test_a_reversal_within_15_minutes_puts_the_voucher_back_once(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    till, other_till = world.terminal(cinema), world.terminal(cinema)
    ktv = world.terminal(world.merchant("北京KTV", "北京", "ktv", "0.6"))
    voucher = world.voucher("A")
    redeemed = gift_terminal.redeem(world.desk, till, voucher.code, "k1").redemption
    with pytest.raises(NotFound):
        gift_terminal.reverse(world.desk, ktv, redeemed.redemption_id)
    world.clock.advance(timedelta(minutes=14))
    back = gift_terminal.reverse(world.desk, other_till, redeemed.redemption_id)
    assert back.reversed_at is not None
    with pytest.raises(Conflict):
        gift_terminal.reverse(world.desk, till, redeemed.redemption_id)
    totals = gift_stats.campaign_stats(
        world.campaigns, world.gifts, ORGANIZER, "cmp_music", "merchant"
    )
    assert (totals.totals.redeemed, totals.groups) == (0, [])
    # usable again; a settlement lists the reversed one without paying it
    again = gift_terminal.redeem(world.desk, till, voucher.code, "k2").redemption
    world.clock.advance(timedelta(minutes=16))
    with pytest.raises(Conflict):
        gift_terminal.reverse(world.desk, till, again.redemption_id)
    settled = merchants.settlement(
        world.access, world.redemptions, ORGANIZER, cinema.merchant_id, NOW, NOW + timedelta(days=1)
    )
    assert (settled.redemptions, settled.face_value, settled.payable) == (
        1,
        Decimal("100.00"),
        Decimal("45.00"),
    )
    assert [line.payable for line in settled.lines] == [Decimal("0.00"), Decimal("45.00")]


def test_many_terminals_racing_for_one_code_redeem_it_once(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    tills = [world.terminal(cinema) for _ in range(8)]
    voucher = world.voucher()
    won: list[str] = []
    refused: list[Exception] = []
    start = threading.Barrier(len(tills))

    def attempt(till: Principal) -> None:
        start.wait()
        try:
            won.append(
                gift_terminal.redeem(world.desk, till, voucher.code, None).redemption.redemption_id
            )
        except Conflict as error:
            refused.append(error)

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tills]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(won), len(refused)) == (1, len(tills) - 1)
    stats = gift_stats.campaign_stats(world.campaigns, world.gifts, ORGANIZER, "cmp_music", "tier")
    assert stats.totals.redeemed == 1


def test_a_terminal_finds_no_voucher_of_another_tenant(world: World) -> None:
    cinema = world.merchant("南京影城", "南京", "cinema", "0.45")
    terminal = world.terminal(cinema)
    stranger = Principal(Role.TERMINAL, terminal.subject_id, "org_other", "k", cinema.merchant_id)
    with pytest.raises(NotFound):
        gift_terminal.validate(world.desk, stranger, world.voucher().code)

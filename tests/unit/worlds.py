"""The worlds unit tests start from, built in one place: the signed-in exhibitor's console, the
signed-in organizer's console, and the music club's gift campaign with its stores and desks.

This is not a conftest: a test module takes the fixtures it needs by assignment, under the
name its tests ask for (``stores = worlds.organizer_stores``); pytest registers a fixture by
the name it has in the test module. The fixtures here ask for each other by those names
(``stores``, ``fair``, ``contact``, ``platform``), so each world is one set of assignments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.fakes import (
    FakeAccessStore,
    FakeCampaignStore,
    FakeDatabase,
    FakeGiftVoucherStore,
    FakeIdempotencyStore,
    FakeTransactions,
    FixedClock,
    samples,
)
from tests.fakes.people import fake_console_stores
from tests.fakes.platform import FakePlatform
from tests.fakes.terminal import FakeRedemptionStore, FakeTerminalLocks
from tests.unit.test_console_pages import signed_in
from ticketing.domain.events import Event
from ticketing.domain.gift_parties import Merchant, MerchantDraft, TerminalDraft
from ticketing.domain.gift_vouchers import (
    Accept,
    Campaign,
    GiftVoucher,
    LedgerEntry,
    Recipient,
    Tier,
    new_code,
)
from ticketing.domain.identity import Principal, Role
from ticketing.domain.parties import Exhibitor
from ticketing.domain.people import User
from ticketing.services import access, gift_terminal, staff
from ticketing.settings import scoped_environment

# the console ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    """Pages build their links on this address."""
    with scoped_environment({"PUBLIC_BASE_URL": "https://tickets.example"}):
        yield


def csrf_of(body: str) -> str:
    """The CSRF token of the form in ``body``."""
    found = re.search(r'name="csrf" value="([^"]+)"', body)
    assert found is not None
    return str(found.group(1))


# the exhibitor's console: fixtures platform, stores, fair, exhibitor, contact, cookies


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform()


@pytest.fixture
def exhibitor_stores(platform: FakePlatform) -> Any:
    """The console's stores on the platform's database (one world for both)."""
    return fake_console_stores(platform.clock, db=platform.db)


@pytest.fixture
def exhibitor_fair(platform: FakePlatform) -> Event:
    event = samples.a_fair()
    platform.events.add(event)
    return event


@pytest.fixture
def exhibitor(platform: FakePlatform, fair: Event) -> Exhibitor:
    found = samples.an_exhibitor(fair)
    platform.access.add_party(found, None)
    return found


@pytest.fixture
def contact(stores: Any, exhibitor: Exhibitor) -> User:
    user = staff.exhibitor_contact(stores.people, exhibitor)
    assert user is not None
    return user


@pytest.fixture
def exhibitor_cookies(stores: Any, contact: User) -> dict[str, str]:
    return signed_in(stores, contact)


# the organizer's console: fixtures stores, cookies (its first admin), fair


@pytest.fixture
def organizer_stores() -> Any:
    from tests.unit.test_console_backoffice import NOW

    made = fake_console_stores(FixedClock(NOW))
    made.access.add_party(samples.an_organizer(), None)
    return made


@pytest.fixture
def organizer_cookies(stores: Any) -> dict[str, str]:
    from tests.unit.test_console_backoffice import ORG

    admin = staff.add_first_admin(stores.people, stores.clock, ORG, "ada@example.org", "Ada")
    return signed_in(stores, admin)


@pytest.fixture
def organizer_fair(stores: Any) -> Any:
    event = samples.a_fair()
    stores.events.add(event)
    return event


# gift vouchers ----------------------------------------------------------------------------

CAMPAIGN = "cmp_music"
ISSUER = "iss_club"
PHONE = "+8613800138000"


def music_campaign(
    now: datetime,
    organizer_id: str,
    tiers: list[Tier] | None = None,
    accept: Accept | None = None,
) -> Campaign:
    """The music club's points campaign: a month old, three months to go, cinemas in 南京."""
    return Campaign(
        campaign_id=CAMPAIGN,
        organizer_id=organizer_id,
        issuer_id=ISSUER,
        name="无线音乐俱乐部积分换礼",
        valid_from=now - timedelta(days=30),
        valid_until=now + timedelta(days=90),
        tiers=tiers or [Tier(id="B", name="B 档", value=Decimal("50"))],
        accept=accept or Accept(categories=["cinema"], cities=["南京"]),
        created_at=now - timedelta(days=30),
    )


def a_gift_voucher(now: datetime, organizer_id: str, **changes: object) -> GiftVoucher:
    """A 50 CNY B voucher of the campaign for 王小明 in 南京, issued yesterday."""
    fields: dict[str, object] = {
        "code": new_code(),
        "campaign_id": CAMPAIGN,
        "organizer_id": organizer_id,
        "issuer_id": ISSUER,
        "tier": "B",
        "value": Decimal("50.00"),
        "currency": "CNY",
        "valid_from": now - timedelta(days=10),
        "valid_until": now + timedelta(days=80),
        "recipient": Recipient(phone=PHONE, name="王小明", city="南京"),
        "external_ref": f"points-{new_code()}",
        "token": new_code(),
        "issued_at": now - timedelta(days=1),
    }
    return GiftVoucher.model_validate({**fields, **changes})


def issue_gift(db: FakeDatabase, gifts: FakeGiftVoucherStore, voucher: GiftVoucher) -> None:
    """``voucher`` stored with its ledger's first entry, as the issuer's API does it."""
    entry = LedgerEntry(kind="issued", at=voucher.issued_at, by="key_iss", seq=1)
    FakeTransactions(db).commit(gifts.issuing(voucher, entry))


@dataclass
class GiftWorld:
    """A campaign on the fakes with every store a terminal needs, and the terminal desk."""

    now: datetime  # when the world was made: vouchers are dated from it, whatever the clock
    clock: FixedClock
    db: FakeDatabase
    campaign: Campaign
    access: FakeAccessStore
    campaigns: FakeCampaignStore
    gifts: FakeGiftVoucherStore
    redemptions: FakeRedemptionStore
    locks: FakeTerminalLocks
    transactions: FakeTransactions
    idempotency: FakeIdempotencyStore
    terminal_desk: gift_terminal.TerminalDesk

    @classmethod
    def build(cls, now: datetime, campaign: Campaign, **extra: Any) -> Any:
        db, clock = FakeDatabase(), FixedClock(now)
        campaigns = FakeCampaignStore(db)
        campaigns.add_campaign(campaign)
        store, gifts = FakeAccessStore(db), FakeGiftVoucherStore(db)
        redemptions, locks = FakeRedemptionStore(db), FakeTerminalLocks(db)
        transactions, idempotency = FakeTransactions(db), FakeIdempotencyStore(db)
        desk = gift_terminal.TerminalDesk(
            clock=clock,
            merchants=store,
            campaigns=campaigns,
            gifts=gifts,
            redemptions=redemptions,
            locks=locks,
            transactions=transactions,
            idempotency=idempotency,
        )
        return cls(
            now, clock, db, campaign, store, campaigns, gifts, redemptions, locks, transactions,
            idempotency, desk, **extra,
        )  # fmt: skip

    @property
    def organizer(self) -> Principal:
        org = self.campaign.organizer_id
        return Principal(Role.ORGANIZER, org, org, "key_org")

    def voucher(self, tier: str = "B", phone: str = PHONE, **changes: object) -> GiftVoucher:
        """A voucher of ``tier`` issued and stored; ``changes`` override its fields."""
        value = {"A": Decimal("100.00"), "B": Decimal("50.00"), "C": Decimal("20.00")}[tier]
        recipient = Recipient(phone=phone, name="王小明", city="南京")
        voucher = a_gift_voucher(
            self.now,
            self.campaign.organizer_id,
            **{"tier": tier, "value": value, "recipient": recipient, **changes},
        )
        issue_gift(self.db, self.gifts, voucher)
        stored = self.gifts.get_voucher(voucher.code)
        assert stored is not None
        return stored

    def merchant(self, name: str, city: str, category: str, rate: str | None) -> Merchant:
        draft = MerchantDraft(name=name, city=city, category=category, settlement_rate=rate)
        return access.create_merchant(self.access, self.clock, self.organizer, draft)

    def terminal(self, merchant: Merchant, label: str = "收银台 1") -> Principal:
        made = access.create_terminal(
            self.access,
            self.clock,
            self.organizer,
            merchant.merchant_id,
            TerminalDraft(label=label),
        )
        org = self.campaign.organizer_id
        return Principal(
            Role.TERMINAL, made.party.terminal_id, org, made.key_id, merchant.merchant_id
        )

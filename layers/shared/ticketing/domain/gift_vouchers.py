"""E-gift value vouchers of a campaign (seed 004): campaigns, tiers, vouchers and their ledger.

A gift voucher is worth a tier's face value at any merchant the campaign accepts; it is
redeemed at a merchant's terminal (not by registering, as a visitor voucher is). Codes are the
visitor vouchers' codes (``domain.voucher_codes``: 65 bits from ``secrets``, a check
character, no look-alikes).

Every change of a voucher is an entry of its ledger, never an overwritten field: its state is
what :func:`state_of` reads from the ledger (and the clock, for the end of its validity).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ticketing.domain.fields import (
    ONE_LINE,
    AwareTime,
    CurrencyCode,
    Input,
    Money,
    Name,
    ShortName,
    TimeZoneName,
)
from ticketing.domain.voucher_codes import canonical, display, new_code

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["canonical", "display", "new_code"]  # the codes of gift vouchers, re-exported

MAX_BULK = 100_000
CampaignLanguage = Literal["zh", "en"]
LedgerKind = Literal[
    "issued",
    "sms_sent",
    "mail_sent",
    "delivery_failed",
    "validated",
    "redeemed",
    "reversed",
    "expired",
    "complaint",
]
# the entries that change what a voucher is worth to its holder (the others only record)
STATE_CHANGES: frozenset[str] = frozenset({"issued", "redeemed", "reversed", "expired"})
GiftState = Literal["issued", "not_yet_valid", "redeemed", "expired"]
StatsBy = Literal["tier", "city", "category", "merchant", "day"]
TierId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")]
ExternalRef = Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 -]{5,19}$")]


class TierDraft(Input):
    id: TierId
    name: Name
    value: Money
    quantity: int | None = Field(default=None, ge=0, le=100_000_000, strict=True)


class Tier(TierDraft):
    issued: int = 0  # kept on the tier's counter item; never above quantity


class Accept(Input):
    """Which merchants may redeem: none given means every one (of the tenant)."""

    categories: list[ShortName] | None = Field(default=None, max_length=50)
    cities: list[ShortName] | None = Field(default=None, max_length=200)


class CampaignDraft(Input):
    name: Name
    currency: CurrencyCode = "CNY"
    language: CampaignLanguage = "zh"
    timezone: TimeZoneName = Field(
        default="Asia/Shanghai", description="The statistics' days are counted in this zone"
    )
    valid_from: AwareTime
    valid_until: AwareTime
    tiers: list[TierDraft] = Field(min_length=1, max_length=20)
    accept: Accept = Field(default_factory=Accept)

    @model_validator(mode="after")
    def _coherent(self) -> CampaignDraft:
        if self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        ids = [t.id for t in self.tiers]
        if len(set(ids)) != len(ids):
            raise ValueError("each tier needs its own id")
        return self


class TierChange(Input):
    id: TierId
    quantity: int | None = Field(ge=0, le=100_000_000, strict=True)


class CampaignChange(Input):
    """``PATCH /campaigns/{id}``: a tier's quantity, the name or the window (of vouchers
    issued from now on; issued vouchers keep what their SMS told the member)."""

    name: Name | None = None
    valid_from: AwareTime | None = None
    valid_until: AwareTime | None = None
    tiers: list[TierChange] | None = Field(default=None, max_length=20)


class Campaign(CampaignDraft):
    campaign_id: str
    organizer_id: str
    issuer_id: str
    tiers: list[Tier] = Field(min_length=1, max_length=20)  # type: ignore[assignment]
    created_at: datetime

    def tier(self, tier_id: str) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)


class Recipient(Input):
    phone: Phone | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = (
        None
    )
    name: Name | None = None
    city: ShortName | None = None


class IssueRequest(Input):
    tier: TierId
    recipient: Recipient = Field(default_factory=Recipient)
    external_ref: ExternalRef


class LedgerEntry(BaseModel):
    """One line of a voucher's ledger; ``seq`` orders entries written in one moment."""

    model_config = ConfigDict(defer_build=True)

    kind: LedgerKind
    at: datetime
    by: str  # the key (or the system part) that wrote it
    seq: int = 0
    merchant_id: str | None = None
    terminal_id: str | None = None
    redemption_id: str | None = None
    detail: dict[str, str] = Field(default_factory=dict)


class GiftVoucher(BaseModel):
    model_config = ConfigDict(defer_build=True)

    code: str
    campaign_id: str
    organizer_id: str
    issuer_id: str
    tier: str
    value: Money
    currency: str
    language: CampaignLanguage = "zh"
    timezone: str = "Asia/Shanghai"  # the campaign's: its statistics' days, the SMS's dates
    valid_from: datetime
    valid_until: datetime
    recipient: Recipient = Field(default_factory=Recipient)
    external_ref: str
    token: str  # of the public page /g/{token}
    issued_at: datetime
    # the number of state changes so far: a state change is written on the condition that it
    # is still this number (the optimistic lock of the ledger; the state is read from it)
    version: int = 0
    ledger: list[LedgerEntry] = Field(default_factory=list)  # read with the voucher

    def state(self, now: datetime) -> GiftState:
        return state_of(self.ledger, self.valid_from, self.valid_until, now)

    def open_redemption(self) -> LedgerEntry | None:
        return open_redemption(self.ledger)


def _changes(entries: Sequence[LedgerEntry]) -> list[LedgerEntry]:
    return sorted(
        (e for e in entries if e.kind in STATE_CHANGES), key=lambda e: (e.at, e.seq, e.kind)
    )


def open_redemption(entries: Sequence[LedgerEntry]) -> LedgerEntry | None:
    """The redemption the ledger last recorded and no reversal undid, if any."""
    last: LedgerEntry | None = None
    for entry in _changes(entries):
        if entry.kind == "redeemed":
            last = entry
        elif entry.kind == "reversed":
            last = None
    return last


def state_of(
    entries: Sequence[LedgerEntry], valid_from: datetime, valid_until: datetime, now: datetime
) -> GiftState:
    """What the ledger says: redeemed (not reversed) beats everything; then an ``expired``
    entry or the end of the validity; then not yet valid; else issued."""
    if open_redemption(entries) is not None:
        return "redeemed"
    changes = _changes(entries)
    if (changes and changes[-1].kind == "expired") or now >= valid_until:
        return "expired"
    if now < valid_from:
        return "not_yet_valid"
    return "issued"


def refusal(
    accept: Accept, category: str | None, city: str | None
) -> Literal["category", "city"] | None:
    """Why a merchant of ``category`` in ``city`` may not accept the campaign's vouchers,
    or None when it may. Compared case-insensitively; a list not given accepts all."""

    def among(value: str | None, allowed: list[str] | None) -> bool:
        if allowed is None:
            return True
        return value is not None and value.casefold() in {a.casefold() for a in allowed}

    if not among(category, accept.categories):
        return "category"
    if not among(city, accept.cities):
        return "city"
    return None


def accepts(accept: Accept, category: str | None, city: str | None) -> bool:
    return refusal(accept, category, city) is None


def local_day(moment: datetime, zone: str) -> str:
    """The day of ``moment`` in the campaign's zone, for the statistics by day."""
    return moment.astimezone(ZoneInfo(zone)).date().isoformat()


class CounterChange(BaseModel):
    """What one issue, redemption or reversal adds to a campaign's counters: the totals and
    one group per dimension it belongs to (``groups`` maps ``by`` to the group's key)."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    campaign_id: str
    groups: dict[str, str]
    issued: int = 0
    redeemed: int = 0
    value_issued: Decimal = Decimal("0")
    value_redeemed: Decimal = Decimal("0")


def issued_change(voucher: GiftVoucher, zone: str) -> CounterChange:
    groups = {"tier": voucher.tier, "day": local_day(voucher.issued_at, zone)}
    if voucher.recipient.city:
        groups["city"] = voucher.recipient.city
    return CounterChange(
        campaign_id=voucher.campaign_id,
        groups=groups,
        issued=1,
        value_issued=voucher.value,
    )


def redeemed_change(
    voucher: GiftVoucher,
    merchant: Mapping[str, str | None],
    at: datetime,
    zone: str,
    sign: int = 1,
) -> CounterChange:
    """A redemption (``sign`` 1) or its reversal (-1) at ``merchant`` (its ``merchant_id``,
    ``city`` and ``category``); ``at`` is the redemption's moment (a reversal takes the
    redemption's day off again)."""
    groups = {"tier": voucher.tier, "day": local_day(at, zone)}
    for by in ("merchant_id", "city", "category"):
        value = merchant.get(by)
        if value:
            groups["merchant" if by == "merchant_id" else by] = value
    return CounterChange(
        campaign_id=voucher.campaign_id,
        groups=groups,
        redeemed=sign,
        value_redeemed=voucher.value * sign,
    )


class Counters(BaseModel):
    model_config = ConfigDict(defer_build=True)

    issued: int = 0
    redeemed: int = 0
    value_issued: Decimal = Decimal("0")
    value_redeemed: Decimal = Decimal("0")

    def plus(self, other: Counters) -> Counters:
        return Counters(
            issued=self.issued + other.issued,
            redeemed=self.redeemed + other.redeemed,
            value_issued=self.value_issued + other.value_issued,
            value_redeemed=self.value_redeemed + other.value_redeemed,
        )

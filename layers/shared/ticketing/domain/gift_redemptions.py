"""A gift voucher redeemed at a merchant's terminal, and what the merchant is paid for it.

The redemption keeps the merchant's settlement rate and the amount payable as they were at
that moment, so a later change of the rate does not change a settlement already made. A
reversed redemption stays on record (with ``reversed_at``) and is not payable.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from ticketing.domain.fields import Amount, SettlementRate
from ticketing.domain.money import to_cents

REVERSAL_WINDOW = timedelta(minutes=15)


class Redemption(BaseModel):
    model_config = ConfigDict(defer_build=True)

    redemption_id: str
    code: str
    campaign_id: str
    organizer_id: str
    merchant_id: str
    merchant_name: str
    city: str | None = None
    category: str | None = None
    terminal_id: str
    tier: str
    value: Amount
    currency: str
    settlement_rate: SettlementRate
    payable: Amount
    redeemed_at: datetime
    reversed_at: datetime | None = None
    reversed_by: str | None = None  # the terminal that reversed it

    def reversible_until(self) -> datetime:
        return self.redeemed_at + REVERSAL_WINDOW


def payable(value: Decimal, rate: Decimal) -> Decimal:
    """What the merchant is paid for redeeming a voucher worth ``value``: rounded half up to
    the cent, once per redemption (a settlement sums these, it does not round again)."""
    return to_cents(value * rate)


class SettlementLine(BaseModel):
    model_config = ConfigDict(defer_build=True)

    redemption_id: str
    code: str
    campaign_id: str
    tier: str
    redeemed_at: datetime
    value: Amount
    settlement_rate: SettlementRate
    payable: Amount
    reversed_at: datetime | None = None


class Settlement(BaseModel):
    """A merchant's redemptions in ``[period_from, period_to)``: face value of the payable
    ones, and the amount payable. Reversed lines are listed with payable 0.00."""

    model_config = ConfigDict(defer_build=True)

    merchant_id: str
    merchant_name: str
    city: str | None = None
    category: str | None = None
    period_from: datetime
    period_to: datetime
    currency: str | None
    redemptions: int
    face_value: Amount
    payable: Amount
    lines: list[SettlementLine]


def settle(
    merchant_id: str,
    merchant_name: str,
    period: tuple[datetime, datetime],
    redemptions: list[Redemption],
    city: str | None = None,
    category: str | None = None,
) -> Settlement:
    lines = [
        SettlementLine(
            redemption_id=r.redemption_id,
            code=r.code,
            campaign_id=r.campaign_id,
            tier=r.tier,
            redeemed_at=r.redeemed_at,
            value=r.value,
            settlement_rate=r.settlement_rate,
            payable=Decimal("0.00") if r.reversed_at else r.payable,
            reversed_at=r.reversed_at,
        )
        for r in sorted(redemptions, key=lambda r: (r.redeemed_at, r.redemption_id))
    ]
    counted = [r for r in redemptions if r.reversed_at is None]
    currencies = {r.currency for r in redemptions}
    return Settlement(
        merchant_id=merchant_id,
        merchant_name=merchant_name,
        city=city,
        category=category,
        period_from=period[0],
        period_to=period[1],
        currency=currencies.pop() if len(currencies) == 1 else None,
        redemptions=len(counted),
        face_value=sum((r.value for r in counted), Decimal("0.00")),
        payable=sum((r.payable for r in counted), Decimal("0.00")),
        lines=lines,
    )

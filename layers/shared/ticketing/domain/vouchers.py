"""Exhibitor voucher batches, vouchers and what an exhibitor is billed (seed 000)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ticketing.domain.fields import Amount, AwareTime, Name

MAX_BATCH = 100_000
BatchStatus = Literal["pending", "generating", "ready", "failed"]
VoucherState = Literal["issued", "redeemed"]


class BatchOrder(BaseModel):
    """What an exhibitor asks for: a number of online voucher codes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    quantity: int = Field(ge=1, le=MAX_BATCH, strict=True)
    label: str = Field(default="", max_length=200)
    valid_until: AwareTime | None = Field(
        default=None, description="Defaults to the end of the event"
    )


class VoucherBatch(BaseModel):
    batch_id: str
    organizer_id: str
    event_id: str
    exhibitor_id: str
    label: str
    quantity: int
    valid_until: datetime
    status: BatchStatus
    generated: int = 0
    failure: str | None = None
    created_at: datetime
    ready_at: datetime | None = None


class Registration(BaseModel):
    """A visitor registers to redeem a voucher (seed 000: online registration first)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    first_name: Name
    last_name: Name
    email: EmailStr
    company: str | None = Field(default=None, max_length=200)
    event_id: str | None = Field(default=None, max_length=64, description="The page's event")


class Redemption(BaseModel):
    code: str
    first_name: str
    last_name: str
    email: str
    company: str | None = None
    order_number: str
    redeemed_at: datetime
    checked_in_at: datetime | None = None


class Voucher(BaseModel):
    code: str
    batch_id: str
    organizer_id: str
    event_id: str
    exhibitor_id: str
    valid_until: datetime
    state: VoucherState = "issued"
    redemption: Redemption | None = None


class Statement(BaseModel):
    """Seed 000: exhibitors pay only for vouchers used at the fair, also after cancelling."""

    exhibitor_id: str
    exhibitor_name: str
    event_id: str
    cancelled: bool
    issued: int
    redeemed: int
    used: int
    billable: int
    unit_price: Amount
    currency: str
    total: Amount


def claim_email(email: str) -> str:
    """One person, one voucher ticket per event: ``Erika+fair@Example.org`` is
    ``erika@example.org``."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def billable(used: int) -> int:
    return used


def statement_total(used: int, unit_price: Decimal) -> Decimal:
    return unit_price * billable(used)


ATTEMPT_WINDOW_SECONDS = 600  # failed attempts on public endpoints count in ten-minute windows


def attempt_window(at: datetime) -> tuple[int, datetime]:
    """(start as epoch seconds, end) of the fixed window ``at`` falls in."""
    start = int(at.timestamp()) // ATTEMPT_WINDOW_SECONDS * ATTEMPT_WINDOW_SECONDS
    return start, datetime.fromtimestamp(start + ATTEMPT_WINDOW_SECONDS, tz=at.tzinfo)

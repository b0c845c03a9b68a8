"""Events (products) and their price options."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ticketing.domain.fields import (
    AwareTime,
    CurrencyCode,
    Money,
    Name,
    Slug,
    TaxRate,
    TimeZoneName,
)
from ticketing.domain.money import TaxSplit, split_gross
from ticketing.i18n.languages import Language

if TYPE_CHECKING:
    from decimal import Decimal

MAX_CAPACITY = 1_000_000


class PriceOption(BaseModel):
    """What a ticket costs: a gross price (tax included) and the tax rate it contains."""

    model_config = ConfigDict(
        defer_build=True,
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
        validate_by_name=True,
        serialize_by_alias=True,
    )

    id: Slug = Field(description="Short identifier, lower-case letters, digits and dashes")
    name: Name
    price: Money
    tax_rate: TaxRate
    # seed 002: a pass or subscription; its tickets ask the event's pass questions
    is_pass: bool = Field(default=False, alias="pass", description="A pass or subscription")

    def split(self) -> TaxSplit:
        return split_gross(self.price, self.tax_rate)


class EventDraft(BaseModel):
    """An event as an organizer describes it; every rule an organizer can break is here."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    name: Name
    venue: Name
    starts_at: AwareTime
    ends_at: AwareTime
    timezone: TimeZoneName
    currency: CurrencyCode
    language: Language = "en"
    capacity: int = Field(ge=1, le=MAX_CAPACITY, strict=True)
    price_options: list[PriceOption] = Field(min_length=1, max_length=50)
    voucher_price_option: Slug | None = Field(
        default=None,
        description="The price option an exhibitor is billed per used visitor voucher",
    )
    checkin_opens_at: AwareTime | None = Field(
        default=None,
        description="When check-in opens (before ends_at); unset: open until the event's end",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.checkin_opens_at is not None and self.checkin_opens_at >= self.ends_at:
            raise ValueError("checkin_opens_at must be before ends_at")
        ids = [option.id for option in self.price_options]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"price option ids must be unique; repeated: {', '.join(duplicates)}")
        if self.voucher_price_option is not None and self.voucher_price_option not in ids:
            raise ValueError(
                f"voucher_price_option {self.voucher_price_option!r} is not one of the "
                f"price options ({', '.join(ids)})"
            )
        return self


class Event(EventDraft):
    """A stored event, owned by one organizer."""

    event_id: str
    organizer_id: str
    created_at: datetime
    sold: int = Field(default=0, ge=0, description="Places taken; rises only in a booking")
    # issue 17: orders lose their customers this many days after the event ended, unless held
    retention_days: int = Field(
        default=90, ge=1, le=3650, description="Days after the end before orders are anonymized"
    )
    legal_hold: bool = Field(default=False, description="True: the retention schedule waits")
    retained_at: datetime | None = Field(
        default=None, description="When the retention schedule anonymized the event's orders"
    )

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.sold)

    def price_option(self, option_id: str) -> PriceOption | None:
        return next((o for o in self.price_options if o.id == option_id), None)

    def unit_price(self, option_id: str) -> Decimal | None:
        option = self.price_option(option_id)
        return None if option is None else option.price

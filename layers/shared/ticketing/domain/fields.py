"""Reusable field types with messages a person can act on."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
)

from ticketing.domain.money import format_amount

MAX_PRICE = Decimal("1000000")


def _parse_decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(f'{what} must be a decimal string such as "25.00"')
    if isinstance(value, int | str):
        try:
            parsed = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f'{what} must be a decimal string such as "25.00"') from None
        if not parsed.is_finite():
            raise ValueError(f"{what} must be a finite number")
        return parsed
    if isinstance(value, Decimal):
        return value
    raise ValueError(f'{what} must be a decimal string such as "25.00"')


def _money(value: Any) -> Decimal:
    amount = _parse_decimal(value, "an amount")
    if amount < 0:
        raise ValueError("an amount must not be negative")
    if amount > MAX_PRICE:
        raise ValueError("an amount must not exceed 1000000.00")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("an amount has at most two decimals")
    return amount


def _tax_rate(value: Any) -> Decimal:
    rate = _parse_decimal(value, "a tax rate")
    if rate < 0 or rate > 100:
        raise ValueError("a tax rate is a percentage between 0 and 100 (for example 7 or 19)")
    if rate != rate.quantize(Decimal("0.01")):
        raise ValueError("a tax rate has at most two decimals")
    return rate


def format_rate(rate: Decimal) -> str:
    """``Decimal("19.00")`` -> ``"19"``, ``Decimal("7.70")`` -> ``"7.7"``."""
    text = format(rate.normalize(), "f")
    return text


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; use an IANA name such as 'Europe/Berlin'"
        ) from None
    return value


# C0 and C1 controls (U+0085 NEXT LINE included), DEL, and the Unicode line and paragraph
# separators: any of them in a name would break a mail header or a line of a document.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ONE_LINE_MESSAGE = "must be one line without control characters (no line breaks or tabs)"


def _one_line(value: str, info: ValidationInfo) -> str:
    # a record written before this rule is read back as it is (context {"stored": True})
    stored = isinstance(info.context, dict) and info.context.get("stored") is True
    if not stored and _NOT_ONE_LINE.search(value):
        raise ValueError(ONE_LINE_MESSAGE)
    return value


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a time must include its UTC offset, e.g. 2026-07-12T09:00:00+02:00")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    PlainSerializer(format_amount, return_type=str),
]
# A computed total (an order of 500 tickets may pass the 1,000,000 limit of a single price).
Amount = Annotated[Decimal, PlainSerializer(format_amount, return_type=str)]
TaxRate = Annotated[
    Decimal,
    BeforeValidator(_tax_rate),
    PlainSerializer(format_rate, return_type=str),
]
TimeZoneName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_zone)]
AwareTime = Annotated[datetime, AfterValidator(_aware)]
# Every text that is one line (a name, an address line, a label) ends with this check. It
# comes after the field's own length limits, so that their messages stay pydantic's string
# ones; leading and trailing blanks are stripped by the models (str_strip_whitespace) first.
ONE_LINE = AfterValidator(_one_line)
Name = Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
ShortName = Annotated[str, Field(min_length=1, max_length=100), ONE_LINE]
# An optional name where a blank field means "none" (a visitor's form leaves company empty).
OptionalName = Annotated[Name | None, BeforeValidator(_blank_is_none)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$", max_length=40)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]

ERASED = "[erased]"  # what stands where a name, an address line or a free text was


def _settlement_rate(value: Any) -> Decimal:
    rate = _parse_decimal(value, "a settlement rate")
    if not Decimal(0) < rate <= Decimal(1):
        raise ValueError(
            'a settlement rate is a share of face value above 0 and at most 1, e.g. "0.55"'
        )
    if rate != rate.quantize(Decimal("0.0001")):
        raise ValueError("a settlement rate has at most four decimals")
    return rate


# The share of a voucher's face value the merchant is paid for a redemption ("0.55": 55 %).
SettlementRate = Annotated[
    Decimal, BeforeValidator(_settlement_rate), PlainSerializer(format_rate, return_type=str)
]


class Input(BaseModel):
    """The base of what a caller sends: unknown fields refused, text stripped, and the
    validator built on first use (cold start). One base for every domain module's inputs."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

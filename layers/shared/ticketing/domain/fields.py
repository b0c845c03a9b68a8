"""Reusable field types with messages a person can act on."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer

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
Name = Annotated[str, Field(min_length=1, max_length=200)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$", max_length=40)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]

"""Prices are gross; tax is split out once, to the cent, and adds up exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ticketing.domain.money import format_amount, split_gross


@pytest.mark.parametrize(
    ("gross", "rate", "net", "tax"),
    [
        ("25.00", "7", "23.36", "1.64"),
        ("12.00", "19", "10.08", "1.92"),
        ("0.00", "19", "0.00", "0.00"),
        ("10.00", "0", "10.00", "0.00"),
        ("0.01", "19", "0.01", "0.00"),
        ("99.99", "7.7", "92.84", "7.15"),
    ],
)
def test_a_gross_price_splits_into_net_and_tax(gross: str, rate: str, net: str, tax: str) -> None:
    split = split_gross(Decimal(gross), Decimal(rate))
    assert (format_amount(split.net), format_amount(split.tax)) == (net, tax)
    assert split.net + split.tax == split.gross


def test_amounts_are_written_with_two_decimals() -> None:
    assert format_amount(Decimal("25")) == "25.00"
    assert format_amount(Decimal("1E+2")) == "100.00"

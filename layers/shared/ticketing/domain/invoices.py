"""Invoice numbers and the tax split of an order: net, tax and gross per tax rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ticketing.domain.money import split_gross, to_cents
from ticketing.domain.orders import Order


def invoice_number(sequence: int, year: int) -> str:
    """Gap-free per organizer: the sequence never skips; the year only helps people read it."""
    return f"R{year}-{sequence:06d}"


@dataclass(frozen=True, slots=True)
class TaxTotal:
    tax_rate: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


def tax_totals(order: Order) -> list[TaxTotal]:
    """One row per tax rate. Tax is split from the gross total of each rate, once, so that the
    invoice's rows add up to its total to the cent."""
    gross_by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for position in order.positions:
        gross_by_rate[position.tax_rate] += position.price
    rows = []
    for rate in sorted(gross_by_rate):
        split = split_gross(gross_by_rate[rate], rate)
        rows.append(TaxTotal(rate, split.net, split.tax, split.gross))
    return rows


def order_total(order: Order) -> Decimal:
    return to_cents(sum((p.price for p in order.positions), Decimal(0)))

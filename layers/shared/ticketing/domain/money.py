"""Money and tax. Amounts are ``Decimal`` with a currency; tax is computed here and only here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class TaxSplit:
    """A gross amount split into its net part and the tax it contains."""

    gross: Decimal
    net: Decimal
    tax: Decimal


def split_gross(gross: Decimal, tax_rate: Decimal) -> TaxSplit:
    """Split a gross price (tax included, as organizers quote them) at ``tax_rate`` percent.

    The tax is rounded half-up to the cent and the net is what remains, so that
    net + tax == gross always holds exactly.
    """
    gross = to_cents(gross)
    tax = to_cents(gross * tax_rate / (HUNDRED + tax_rate))
    return TaxSplit(gross=gross, net=gross - tax, tax=tax)


def format_amount(amount: Decimal) -> str:
    """The contract's money string: two decimals, no exponent (``"25.00"``)."""
    return f"{to_cents(amount):.2f}"

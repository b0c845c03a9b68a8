"""Invoice numbers and the tax split of an order: net, tax and gross per tax rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ticketing.domain.money import split_gross, to_cents

if TYPE_CHECKING:
    from ticketing.domain.orders import Order
    from ticketing.domain.parties import OrganizerSettings


def invoice_number(sequence: int, year: int) -> str:
    """Gap-free per organizer: the sequence never skips; the year only helps people read it."""
    return f"R{year}-{sequence:06d}"


RETENTION_YEARS = 10  # §147 AO: the books 10 years, invoices 8 (§14b UStG); the longer holds


def retained_until(issued: datetime) -> datetime:
    """The end of an invoice's retention: 10 years from the end of the year it was issued in
    (the first moment of the year after that tenth year, UTC)."""
    return datetime(issued.year + RETENTION_YEARS + 1, 1, 1, tzinfo=UTC)


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


# --- what a complete invoice needs (§14 UStG) -------------------------------------------------

_ADDRESS = ("street", "zip", "city")


def missing_for_invoice(organizer: OrganizerSettings) -> list[str]:
    """What the organizer still lacks for an invoice under §14 UStG: its address (street, zip,
    city; the country is Germany unless it says otherwise) and a VAT id or tax number."""
    missing = [field for field in _ADDRESS if not getattr(organizer, field)]
    if not organizer.vat_id and not organizer.tax_number:
        missing.append("vat_id or tax_number")
    return missing


def missing_message(missing: list[str], organizer_id: str) -> str:
    """``the invoice needs the organizer's address (street, zip, city) and a VAT id or tax
    number; set them with PATCH /organizers/{id}``, naming only what is missing."""
    address = [field for field in missing if field in _ADDRESS]
    parts = []
    if address:
        parts.append(f"the organizer's address ({', '.join(address)})")
    if "vat_id or tax_number" in missing:
        parts.append("a VAT id or tax number")
    return (
        f"the invoice needs {' and '.join(parts)}; set them with PATCH /organizers/{organizer_id}"
    )


# --- payment by transfer ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TransferDetails:
    """What the customer needs to pay an open transfer: where to, how much, by when, and the
    order number as the payment reference (the organizer matches the payment by it)."""

    account_holder: str
    iban: str  # compact: DE89370400440532013000
    bic: str | None
    reference: str
    amount: Decimal
    currency: str
    due: datetime


def due_date(order: Order, organizer: OrganizerSettings) -> datetime:
    """The order's date plus the organizer's payment days: the same day in mail, page and
    invoice."""
    return order.created_at + timedelta(days=organizer.payment_days)


def transfer_details(order: Order, organizer: OrganizerSettings) -> TransferDetails | None:
    """The transfer still to be made; None unless the order is an open transfer and the
    organizer has given its bank details."""
    bank = organizer.bank
    if order.payment != "transfer" or order.payment_status == "paid" or bank is None:
        return None
    return TransferDetails(
        account_holder=bank.account_holder,
        iban=bank.iban,
        bic=bank.bic,
        reference=order.order_number,
        amount=order_total(order),
        currency=order.currency,
        due=due_date(order, organizer),
    )

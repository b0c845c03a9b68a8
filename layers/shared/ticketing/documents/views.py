"""What a document shows, prepared by the services; renderers only lay it out.

Amounts are Decimal and times aware datetimes; renderers format them for the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ticketing.i18n.languages import Language

__all__ = ["Address", "InvoiceLine", "InvoiceView", "Language", "TaxRow", "TicketView"]


@dataclass(frozen=True, slots=True)
class TicketView:
    """One ticket (one order position)."""

    event_name: str
    venue: str
    starts_at: datetime  # shown in ``timezone``
    ends_at: datetime
    timezone: str  # IANA name, e.g. Europe/Berlin
    language: Language
    holder_name: str
    price_option_name: str
    price: Decimal | None  # None: the organizer chose not to print the price
    currency: str
    order_number: str
    position_id: str
    secret: str  # the QR code's content, scanned at the entrance


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    vat_id: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    description: str
    quantity: int
    unit_gross: Decimal
    tax_rate: Decimal  # percent, e.g. Decimal("7")
    gross: Decimal  # quantity * unit_gross


@dataclass(frozen=True, slots=True)
class TaxRow:
    """Totals of all lines at one tax rate."""

    tax_rate: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True, slots=True)
class InvoiceView:
    invoice_number: str
    invoice_date: datetime
    order_number: str
    order_date: datetime
    event_name: str
    currency: str
    language: Language
    timezone: str
    seller: Address  # the organizer
    buyer: Address  # the customer
    lines: tuple[InvoiceLine, ...]
    tax_rows: tuple[TaxRow, ...]
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    payment_note: str  # e.g. "Payment by bank transfer, open" / "Paid in cash"

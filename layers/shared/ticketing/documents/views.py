"""What a document shows, prepared by the services; renderers only lay it out.

Amounts are Decimal and times aware datetimes; renderers format them for the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.i18n.languages import Language

if TYPE_CHECKING:
    from datetime import datetime
    from decimal import Decimal

__all__ = [
    "Address",
    "InvoiceLine",
    "InvoiceTransfer",
    "InvoiceView",
    "Language",
    "TaxRow",
    "TicketView",
]


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
    organizer_name: str = ""  # who holds the event (issue 11); empty: not printed
    number: int = 1  # the ticket's place within its order: "1 of 3"
    count: int = 1
    # seed 002: (question, answer) of the questions the organizer prints on the ticket
    answers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    vat_id: str | None = None
    email: str | None = None
    tax_number: str | None = None  # the Steuernummer, where there is no VAT id


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
    # §14 UStG: the date of the service (the event's days, shown in ``timezone``)
    service_starts: datetime | None = None
    service_ends: datetime | None = None
    small_business: bool = False  # §19 UStG: no VAT charged, no tax rows, and a note says so
    payment_terms: str | None = None  # "Zahlbar innerhalb von 14 Tagen, bis zum 18.05.2026."
    transfer: InvoiceTransfer | None = None  # an open transfer: bank details and a Girocode


@dataclass(frozen=True, slots=True)
class InvoiceTransfer:
    """Where an open transfer goes; the Girocode (EPC QR) on the invoice carries the same."""

    account_holder: str
    iban: str  # compact; the renderer groups it in fours
    bic: str | None
    reference: str  # the order number
    amount: Decimal

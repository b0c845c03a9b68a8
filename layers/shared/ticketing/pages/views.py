"""What the customer pages show, prepared by the handlers; templates only lay it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TicketLink:
    position_id: str
    holder: str
    type: str  # the price option's name, e.g. "Tageskarte"
    url: str  # /t/<download token>: redirects to a five-minute download


@dataclass(frozen=True, slots=True)
class OrderPage:
    """``GET /o/{order_number}/{secret}``: the order's documents."""

    order_number: str
    customer_name: str
    event_name: str
    venue: str
    starts_at: datetime  # aware; shown in ``timezone``
    ends_at: datetime
    timezone: str
    tickets: tuple[TicketLink, ...]
    all_tickets_url: str  # one PDF with every ticket
    invoice_url: str | None  # None for free orders (nothing to invoice)
    # seed 003: reminders are on unless the holder switched them off here
    reminders: bool = True
    preferences_url: str | None = None  # the form posts here

"""What the customer pages show, prepared by the handlers; templates only lay it out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from ticketing.domain.parties import Organizer


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
    # issue 15: marketing mail, off unless confirmed by the double opt-in link
    marketing: bool = False
    preferences_url: str | None = None  # the form posts here
    # an open transfer: account holder, IBAN, BIC, reference, amount and due date, formatted
    transfer: Mapping[str, str] | None = None
    # who speaks: the organizer, how to reach it, its imprint and privacy policy
    organizer: OrganizerContact | None = None


@dataclass(frozen=True, slots=True)
class OrganizerContact:
    """The organizer as a customer page names it; empty strings for what it has not set."""

    name: str
    address: tuple[str, ...]
    email: str
    website: str = ""
    imprint_url: str = ""
    privacy_url: str = ""


def organizer_contact(organizer: Organizer | None) -> OrganizerContact | None:
    """The contact block of ``organizer`` (its contact address, else its own)."""
    if organizer is None:
        return None
    locality = " ".join(part for part in (organizer.zip, organizer.city) if part)
    return OrganizerContact(
        name=organizer.name,
        address=tuple(line for line in (organizer.street, locality, organizer.country) if line),
        email=str(organizer.contact_email or organizer.email),
        website=str(organizer.website or ""),
        imprint_url=str(organizer.imprint_url or ""),
        privacy_url=str(organizer.privacy_url or ""),
    )

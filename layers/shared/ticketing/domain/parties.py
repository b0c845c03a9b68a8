"""The people who hold API keys: organizers and their exhibitors.

The gift-voucher side's parties (merchants, terminals, issuers) are in ``gift_parties.py``:
most functions read only an organizer, and should not build those models at cold start.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    EmailStr,
    Field,
    HttpUrl,
)

from ticketing.domain.banking import BankAccount
from ticketing.domain.fields import ONE_LINE, Input, Name
from ticketing.domain.identity import ApiKeyRecord
from ticketing.i18n.languages import Language

__all__ = ["ApiKeyRecord"]  # re-exported: a party's first key is made with it


class OrganizerSettings(Input):
    """What an organizer keeps about itself for invoices, mails and pages (§14 UStG needs
    the seller's address and a VAT id or tax number before the first invoice)."""

    street: Name | None = None
    zip: Annotated[str, Field(min_length=4, max_length=10), ONE_LINE] | None = None
    city: Name | None = None
    country: Annotated[str, Field(min_length=2, max_length=100), ONE_LINE] | None = None
    vat_id: Annotated[str, Field(min_length=4, max_length=20), ONE_LINE] | None = None
    tax_number: Annotated[str, Field(min_length=4, max_length=30), ONE_LINE] | None = None
    small_business: bool = Field(
        default=False, description="§19 UStG: no VAT is charged, and the invoice says so"
    )
    bank: BankAccount | None = None
    payment_days: int = Field(default=14, ge=0, le=365, description="Days to pay a transfer")
    imprint_url: HttpUrl | None = None
    privacy_url: HttpUrl | None = None
    website: HttpUrl | None = None
    contact_email: EmailStr | None = None


class OrganizerDraft(OrganizerSettings):
    name: Name
    email: EmailStr
    language: Language = "en"


class OrganizerChange(Input):
    """``PATCH /organizers/{organizer_id}``: only the fields sent change; ``null`` clears."""

    name: Name | None = None
    language: Language | None = None
    street: Name | None = None
    zip: Annotated[str, Field(min_length=4, max_length=10), ONE_LINE] | None = None
    city: Name | None = None
    country: Annotated[str, Field(min_length=2, max_length=100), ONE_LINE] | None = None
    vat_id: Annotated[str, Field(min_length=4, max_length=20), ONE_LINE] | None = None
    tax_number: Annotated[str, Field(min_length=4, max_length=30), ONE_LINE] | None = None
    small_business: bool | None = None
    bank: BankAccount | None = None
    payment_days: int | None = Field(default=None, ge=0, le=365)
    imprint_url: HttpUrl | None = None
    privacy_url: HttpUrl | None = None
    website: HttpUrl | None = None
    contact_email: EmailStr | None = None


class ExhibitorDraft(Input):
    name: Name
    email: EmailStr
    event_id: str = Field(min_length=1, max_length=64)


class Organizer(OrganizerDraft):
    organizer_id: str
    created_at: datetime


class Exhibitor(ExhibitorDraft):
    exhibitor_id: str
    organizer_id: str
    created_at: datetime
    cancelled_at: datetime | None = None

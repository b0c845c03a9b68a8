"""The people and systems that hold API keys: organizers and what they create."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ticketing.domain.fields import Name
from ticketing.domain.identity import ApiKeyRecord
from ticketing.i18n.languages import Language

__all__ = ["ApiKeyRecord"]  # re-exported: a party's first key is made with it


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrganizerDraft(_Input):
    name: Name
    email: EmailStr
    language: Language = "en"
    # the seller's address on invoices
    street: str | None = Field(default=None, min_length=1, max_length=200)
    zip: str | None = Field(default=None, min_length=4, max_length=10)
    city: str | None = Field(default=None, min_length=1, max_length=200)
    country: str | None = Field(default=None, min_length=2, max_length=100)
    vat_id: str | None = Field(default=None, min_length=4, max_length=20)


class ExhibitorDraft(_Input):
    name: Name
    email: EmailStr
    event_id: str = Field(min_length=1, max_length=64)


class MerchantDraft(_Input):
    name: Name
    city: str | None = Field(default=None, min_length=1, max_length=100)
    category: str | None = Field(default=None, min_length=1, max_length=100)


class TerminalDraft(_Input):
    label: str | None = Field(default=None, min_length=1, max_length=100)


class IssuerDraft(_Input):
    name: Name


class Organizer(OrganizerDraft):
    organizer_id: str
    created_at: datetime


class Exhibitor(ExhibitorDraft):
    exhibitor_id: str
    organizer_id: str
    created_at: datetime
    cancelled_at: datetime | None = None


class Merchant(MerchantDraft):
    merchant_id: str
    organizer_id: str
    created_at: datetime


class Terminal(TerminalDraft):
    terminal_id: str
    merchant_id: str
    organizer_id: str
    created_at: datetime


class Issuer(IssuerDraft):
    issuer_id: str
    organizer_id: str
    created_at: datetime

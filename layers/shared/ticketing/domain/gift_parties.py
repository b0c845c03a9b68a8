"""The gift-voucher side's parties: partner merchants, their terminals, and issuers.

They live apart from ``parties.py`` so that the many functions that only read an organizer
or exhibitor do not build these models at cold start; only gift, terminal and access code
imports this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ticketing.domain.fields import Input, Name, SettlementRate, ShortName

Grade = Literal["high", "middle", "low"]


class MerchantDraft(Input):
    """A partner merchant. City, category and settlement rate make it one that accepts gift
    vouchers (a merchant without a rate accepts none); they are optional so that merchants
    registered before gift vouchers existed still read."""

    name: Name
    city: ShortName | None = None
    category: ShortName | None = None  # a kind a campaign may accept: ktv, cinema, ...
    grade: Grade | None = None
    address: Name | None = None
    settlement_rate: SettlementRate | None = None


class TerminalDraft(Input):
    label: ShortName | None = None


class IssuerDraft(Input):
    name: Name


class Merchant(MerchantDraft):
    merchant_id: str
    organizer_id: str
    created_at: datetime


class Terminal(TerminalDraft):
    terminal_id: str
    merchant_id: str
    organizer_id: str
    created_at: datetime
    key_id: str | None = None  # its API key (terminals made before revocation existed: none)
    revoked_at: datetime | None = None


class Issuer(IssuerDraft):
    issuer_id: str
    organizer_id: str
    created_at: datetime

"""Consent to mail and suppressed addresses (issue 15, seed 003): values, no I/O.

Consent is per organizer (tenant) and customer address, the address as its mailbox
(``domain.emails.mailbox``): reminders are transactional and on by default; marketing is off
by default and on only by double opt-in. Every change is kept: what, when, through which
channel. A suppressed address (a permanent bounce, a complaint) gets no mail at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ticketing.domain.emails import mailbox

ConsentKind = Literal["reminders", "marketing"]
# order_page: the holder's switch; double_opt_in: the confirmation link's button;
# unsubscribe: the unsubscribe page's button; one_click: RFC 8058 POST from a mail program;
# organizer: on the customer's request (PUT /customers/consents); order: kept from the order
Channel = Literal["order_page", "double_opt_in", "unsubscribe", "one_click", "organizer", "order"]
SuppressionReason = Literal["bounce", "complaint"]


def address_key(email: str) -> str:
    """The address consent and suppression are kept under: the mailbox it reaches."""
    return mailbox(email)


class ConsentEntry(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    what: ConsentKind
    value: bool
    at: datetime
    channel: Channel


class Consent(BaseModel):
    """An address's consent with one organizer; a new one has the defaults."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    organizer_id: str
    address: str
    reminders: bool = True
    marketing: bool = False
    history: list[ConsentEntry] = Field(default_factory=list)

    def given(self, what: ConsentKind) -> bool:
        return self.reminders if what == "reminders" else self.marketing


class Suppression(BaseModel):
    """An address SES reported as undeliverable (permanent bounce) or as complaining."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    address: str
    reason: SuppressionReason
    source: str  # e.g. "ses" and the notification's message id
    at: datetime
    detail: str = ""

"""A person's data under one organizer: found through a keyed digest of their address, erased
by replacing what identifies them with a marker (issue 17, seed 002); the digest itself is in
domain/persons.py.

The address itself is never a key: the person index and the erasure record hold an HMAC of
the organizer and the address's mailbox, so that neither a table dump nor an erasure record
names the person, while the same address always finds the same entries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ticketing.domain.fields import ERASED as ERASED
from ticketing.domain.persons import EntryKind

# what an erasure touches, counted by kind (the organizer sees these counts, nothing else)
KINDS = (
    "orders",
    "positions",
    "voucher_registrations",
    "claims",
    "namesakes",
    "search_entries",
    "documents",
    "invoices_rebuilt",
    "mail_records",
    "consents",
    "gift_vouchers",
    "gift_ledger_entries",
    "complaints",
    "invitations",
)

# what identifies a gift voucher's recipient in its ledger's details (mail_sent: ``to``; a
# complaint: its text), and on the voucher itself
LEDGER_PERSONAL = ("to", "text", "phone", "email", "name")
RECIPIENT_PERSONAL = ("phone", "email", "name")

ErasureState = Literal["queued", "running", "done"]


def no_counts() -> dict[str, int]:
    return dict.fromkeys(KINDS, 0)


class Erasure(BaseModel):
    """One erasure request and its progress; it names the person by digest only."""

    model_config = ConfigDict(defer_build=True)

    erasure_id: str
    organizer_id: str
    person: str = Field(description="digest of the address in the person index")
    erased: str = Field(description="keyed hash of the address, to tell a second request")
    state: ErasureState = "queued"
    requested_at: datetime
    finished_at: datetime | None = None
    already_erased: bool = False
    counts: dict[str, int] = Field(default_factory=no_counts)

    @property
    def nothing_left(self) -> bool:
        return self.state == "done" and not any(self.counts.values())


class SentMail(BaseModel):
    """A mail the mailer sent to the person under the organizer, as the export lists it: no
    body and no address (the index's key says whose it is). Its subject may name the person:
    an erasure removes the whole record."""

    model_config = ConfigDict(defer_build=True)

    template: str
    mail_class: str
    subject: str
    sent_at: datetime
    order_number: str | None = None


class PersonEntry(BaseModel):
    """One item that holds a person's data, as the person index lists it."""

    model_config = ConfigDict(defer_build=True)

    kind: EntryKind = "order"
    ref: str  # the order number, the gift voucher's code, the complaint's id, a mail's request
    mail: SentMail | None = None  # a ``mail`` entry is its own record: what was sent, when

"""The ports of a person's data (issue 17): the person index, the anonymizer of an order and
what hangs on it, erasure records, their queue, and removing documents.

Labels of parts: ``person`` (an index entry, written with the order, gift voucher or complaint
it points to).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.domain.erasure import Erasure, PersonEntry, SentMail
    from ticketing.domain.events import Event
    from ticketing.domain.gift_complaints import Complaint
    from ticketing.domain.gift_vouchers import GiftVoucher
    from ticketing.domain.invitations import Invitation
    from ticketing.domain.orders import Order
    from ticketing.domain.persons import EntryKind
    from ticketing.domain.visitor_vouchers import VisitorVoucher
    from ticketing.i18n.languages import Language
    from ticketing.services.ports import Part


class PersonIndex(Protocol):
    """An item per organizer and person, with one entry per item that holds their data."""

    def person(self, organizer_id: str, email: str) -> str:
        """The person's digest (a keyed hash of the mailbox: the key is the index's own)."""
        ...

    def erased_hash(self, organizer_id: str, email: str) -> str:
        """The keyed hash an erasure record keeps of the address."""
        ...

    def entry(
        self, organizer_id: str, email: str, order_number: str, kind: EntryKind = "order"
    ) -> Part:
        """The part that lists ``order_number`` (or, by ``kind``, a gift voucher's code or a
        complaint's id) under the person of ``email``."""
        ...

    def entries(self, organizer_id: str, person: str) -> list[PersonEntry]: ...

    def sent(self, organizer_id: str, email: str, request_id: str, mail: SentMail) -> Part:
        """The part that records ``mail`` as sent to the person of ``email``, keyed by its
        request (``MAIL#<request_id>``): a retried send writes the same entry, never a second."""
        ...


class PersonalData(Protocol):
    """What holds a person's data beside the order's own items, read and erased per order."""

    def voucher_of(self, order: Order) -> VisitorVoucher | None: ...

    def erase_order(self, order: Order) -> dict[str, int]:
        """Replace the person on the order, its positions, its voucher registration, and
        remove its claim, namesake, search entry and mail records. Idempotent: a second call
        finds nothing left and counts 0. Amounts, taxes, numbers and dates stay."""
        ...

    def forget(self, erasure: Erasure, entry: PersonEntry, counts: dict[str, int]) -> bool:
        """Remove the index entry and add ``counts`` to the erasure, in one commit; False
        when the entry was gone (a redelivered message counted it before)."""
        ...

    def erase_consent(self, organizer_id: str, email: str) -> int:
        """Delete the address's consent record under the organizer; how many were there."""
        ...


class PersonalGifts(Protocol):
    """A person's gift vouchers (as recipient) and the complaints about them, read and erased
    by the entries of the person index."""

    def gift(self, code: str) -> GiftVoucher | None: ...
    def complaint(self, complaint_id: str) -> Complaint | None: ...

    def erase_gift(self, code: str) -> dict[str, int]:
        """The recipient's phone, e-mail and name go (and the voucher's phone index entry), its
        ledger entries' addresses and texts become the marker; value, state, times stay.
        Idempotent: a second call counts 0."""
        ...

    def erase_complaint(self, complaint_id: str) -> dict[str, int]:
        """The complaint's and its answer's texts become the marker; outcome and times stay."""
        ...


class PersonalInvitations(Protocol):
    """An exhibitor's invitations of the person (by the entries of the person index)."""

    def invitation(self, batch_id: str, code: str) -> Invitation | None: ...

    def erase_invitation(self, batch_id: str, code: str) -> dict[str, int]:
        """Names and address become the marker on the listing, the invited-address item goes,
        the voucher stays taken; idempotent (a second call counts 0)."""
        ...


class ErasureStore(Protocol):
    def start(self, erasure: Erasure) -> None: ...
    def starting(self, erasure: Erasure) -> Part:
        """``start`` as a part of a commit (with an ``Idempotency-Key``'s claim)."""
        ...

    def get(self, erasure_id: str) -> Erasure | None: ...
    def running(self, erasure_id: str) -> None:
        """queued -> running (a redelivery leaves it running)."""
        ...

    def finish(self, erasure: Erasure, at: datetime) -> None:
        """running -> done, once; the keyed hash is remembered as erased."""
        ...

    def erased_before(self, organizer_id: str, erased: str) -> bool: ...


class ErasureQueue(Protocol):
    def send(self, erasure_id: str) -> None: ...


Purpose = Literal["export", "erasure"]


def export_prefix(organizer_id: str, person: str) -> str:
    """Where a person's own exports are kept: by the person's digest, never their address."""
    return f"exports/person/{organizer_id}/{person}/"


@dataclass(frozen=True, slots=True)
class PrivacyLink:
    """What a customer's privacy link may do (``services/privacy_requests.py``), kept under
    the sha256 of its secret, never the secret; taken once, and its address with it."""

    digest: str
    purpose: Purpose
    organizer_id: str
    address: str
    language: Language
    expires_at: datetime


class PrivacyLinks(Protocol):
    def put(self, link: PrivacyLink) -> None: ...
    def peek(self, digest: str) -> PrivacyLink | None: ...

    def take(self, digest: str, now: datetime) -> PrivacyLink | None:
        """Remove the link, once (a conditional delete): None when unknown or expired."""
        ...


class ExportQueue(Protocol):
    """A customer's export to be built and mailed (on the erasure queue)."""

    def send_export(
        self, organizer_id: str, address: str, language: str, request_id: str
    ) -> None: ...


class ExportFiles(Protocol):
    def put_export(self, prefix: str, data: bytes) -> str:
        """Keep the workbook under ``prefix`` (``export_prefix``: an erasure removes what is
        there; the bucket's lifecycle expires ``exports/``); its URL, which lives minutes."""
        ...


class DocumentRemoval(Protocol):
    def delete(self, key: str) -> bool:
        """Remove the current version of ``key``; False when there was none."""
        ...


class RetentionEvents(Protocol):
    """Events whose orders are due to be anonymized, and marking them done."""

    def ended_before(self, at: datetime) -> list[Event]: ...
    def order_numbers(self, event_id: str) -> list[str]: ...
    def mark_retained(self, event_id: str, at: datetime) -> None: ...
    def set_retention(self, event_id: str, retention_days: int, legal_hold: bool) -> None: ...

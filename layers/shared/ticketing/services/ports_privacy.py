"""The ports of a person's data (issue 17): the person index, the anonymizer of an order and
what hangs on it, erasure records, their queue, and removing documents.

Labels of parts: ``person`` (an index entry, written with the order it points to).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ticketing.domain.erasure import Erasure, PersonEntry
    from ticketing.domain.events import Event
    from ticketing.domain.orders import Order
    from ticketing.domain.visitor_vouchers import VisitorVoucher
    from ticketing.services.ports import Part


class PersonIndex(Protocol):
    """An item per organizer and person, with one entry per item that holds their data."""

    def person(self, organizer_id: str, email: str) -> str:
        """The person's digest (a keyed hash of the mailbox: the key is the index's own)."""
        ...

    def erased_hash(self, organizer_id: str, email: str) -> str:
        """The keyed hash an erasure record keeps of the address."""
        ...

    def entry(self, organizer_id: str, email: str, order_number: str) -> Part:
        """The part that lists ``order_number`` under the person of ``email``."""
        ...

    def entries(self, organizer_id: str, person: str) -> list[PersonEntry]: ...


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


class ErasureStore(Protocol):
    def start(self, erasure: Erasure) -> None: ...
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

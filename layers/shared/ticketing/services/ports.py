"""What the use cases need from the outside world, as protocols the adapters fulfil."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

# Types only: a function that needs one port must not pay for importing every other one.
if TYPE_CHECKING:
    from ticketing.domain.events import Event
    from ticketing.domain.orders import Order
    from ticketing.domain.parties import (
        ApiKeyRecord,
        Exhibitor,
        Issuer,
        Merchant,
        Organizer,
        Terminal,
    )
    from ticketing.mail.messages import MailRequest
    from ticketing.mail.render import Attachment, RenderedMail


class AccessStore(Protocol):
    def get_key(self, key_id: str) -> ApiKeyRecord | None: ...
    def add_key(self, record: ApiKeyRecord) -> None: ...
    def revoke_key(self, key_id: str, organizer_id: str | None, at: datetime) -> None: ...
    def add_party(
        self,
        party: Organizer | Exhibitor | Merchant | Terminal | Issuer,
        record: ApiKeyRecord | None,
    ) -> None: ...
    def get_organizer(self, organizer_id: str) -> Organizer | None: ...
    def list_organizers(self) -> list[Organizer]: ...
    def get_exhibitor(self, exhibitor_id: str) -> Exhibitor | None: ...
    def list_exhibitors(self, organizer_id: str) -> list[Exhibitor]: ...
    def cancel_exhibitor(self, exhibitor_id: str, at: datetime) -> bool: ...
    def get_merchant(self, merchant_id: str) -> Merchant | None: ...
    def list_merchants(self, organizer_id: str) -> list[Merchant]: ...
    def list_terminals(self, merchant_id: str) -> list[Terminal]: ...
    def get_issuer(self, issuer_id: str) -> Issuer | None: ...


class EventStore(Protocol):
    def add(self, event: Event) -> None: ...
    def get(self, event_id: str) -> Event | None: ...
    def list_for(
        self, organizer_id: str, limit: int, cursor: dict[str, object] | None
    ) -> tuple[list[Event], dict[str, object] | None]: ...


class MailQueue(Protocol):
    def enqueue(self, request: MailRequest) -> None: ...


class Mailer(Protocol):
    def send(
        self, to: list[str], mail: RenderedMail, attachments: Sequence[Attachment] = ()
    ) -> str: ...


class DocumentStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def exists(self, key: str) -> bool: ...
    def keys_under(self, prefix: str) -> set[str]: ...
    def download_url(self, key: str, filename: str, seconds: int = 300) -> str: ...


class OrderPages(Protocol):
    def list_for_event(
        self, event_id: str, limit: int, cursor: dict[str, object] | None
    ) -> tuple[list[Order], dict[str, object] | None]: ...


class OrderStore(Protocol):
    def place(
        self,
        order: Order,
        capacity: int,
        idempotency_key: str | None = None,
        request_hash: str = "",
        outbox_entry: dict[str, Any] | None = None,
        extra: Sequence[tuple[str, Any]] = (),
    ) -> None: ...
    def replay(self, organizer_id: str, idempotency_key: str) -> tuple[str, str] | None: ...
    def get(self, order_number: str) -> Order | None: ...
    def get_header(self, order_number: str) -> Order | None: ...
    def mark_paid(self, order_number: str, at: datetime) -> bool: ...
    def change_email(self, order: Order, email: str, at: datetime, by: str) -> None: ...
    def take_portal_mail(self, order_number: str, now: datetime, per_day: int) -> bool: ...
    def set_reminders(self, order_number: str, reminders: bool, at: datetime) -> None: ...
    def list_for_event(
        self, event_id: str, limit: int, cursor: dict[str, object] | None
    ) -> tuple[list[Order], dict[str, object] | None]: ...
    def search_last_name(self, organizer_id: str, name_key: str, limit: int) -> list[Order]: ...
    def check_in(self, order: Order, position_id: str, secret: str, at: datetime) -> None: ...
    def check_in_all(self, order: Order, at: datetime) -> int: ...
    def assign_invoice_number(
        self, order: Order, number_for: Callable[[int], str], at: datetime
    ) -> str: ...
    def outbox_entry(self, order: Order, request_id: str, payload: str) -> dict[str, Any]: ...
    def pending_mail(self, older_than: datetime, limit: int = 100) -> list[dict[str, Any]]: ...
    def remove_pending(self, item: dict[str, Any]) -> None: ...


class SentMailLog(Protocol):
    def was_sent(self, request_id: str) -> bool: ...
    def mark_sent(self, request_id: str, at: datetime) -> None: ...


class CapacityExhausted(Exception):
    """The event has fewer places left than the booking asks for."""


class OrderNumberTaken(Exception):
    """The random order number exists already; the caller draws another."""


class IdempotentReplay(Exception):
    """A booking with this Idempotency-Key was made before."""

    def __init__(self, order_number: str, request_hash: str) -> None:
        super().__init__(order_number)
        self.order_number = order_number
        self.request_hash = request_hash


class WriteRefused(Exception):
    """A labelled condition of a combined write did not hold."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.label = label


class AlreadyCheckedIn(Exception):
    def __init__(self, at: datetime) -> None:
        super().__init__(at.isoformat())
        self.at = at

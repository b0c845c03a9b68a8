"""Every port: what the use cases need from the outside world, one small protocol each.

The DynamoDB, S3, SQS and SES adapters implement them for AWS; ``tests/fakes`` implements
them in memory, so that the use cases are tested without moto and without a network.

Writes that must happen together (an order, its places, its pending mail, a redeemed voucher,
an idempotency record) are ``Part``s: each store hands out the parts of its own items, and
``Transactions.commit`` writes a list of them all or nothing. A part whose condition fails is
named by its label in ``WriteRefused``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

# re-exported: the ports' values live in parts.py
from ticketing.services.parts import AlreadyCheckedIn as AlreadyCheckedIn
from ticketing.services.parts import CodesTaken as CodesTaken
from ticketing.services.parts import IdempotencyRecord as IdempotencyRecord
from ticketing.services.parts import MailFailure as MailFailure
from ticketing.services.parts import MailRefused as MailRefused
from ticketing.services.parts import Part as Part
from ticketing.services.parts import PendingMail as PendingMail
from ticketing.services.parts import ProgressMoved as ProgressMoved
from ticketing.services.parts import WriteRefused as WriteRefused

# Types only: a function that needs one port must not pay for importing every other one.
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from datetime import datetime

    from ticketing.domain.events import Event
    from ticketing.domain.gift_parties import Issuer, Merchant, Terminal
    from ticketing.domain.orders import Order
    from ticketing.domain.parties import ApiKeyRecord, Exhibitor, Organizer
    from ticketing.domain.visitor_vouchers import Registration, VisitorVoucher, VoucherBatch
    from ticketing.mail.messages import MailRequest
    from ticketing.mail.render import Attachment, RenderedMail


# ------------------------------------------------------------------------ writing together


class Transactions(Protocol):
    def commit(self, parts: Sequence[Part]) -> None:
        """Write every part or none; ``WriteRefused`` when a condition failed."""
        ...


Cursor = dict[str, object]


# ------------------------------------------------------------------------ tenants and keys


class KeyStore(Protocol):
    def get_key(self, key_id: str) -> ApiKeyRecord | None: ...
    def add_key(self, record: ApiKeyRecord) -> None: ...
    def revoke_key(self, key_id: str, organizer_id: str | None, at: datetime) -> None: ...


class AccessStore(KeyStore, Protocol):
    """Organizers and the parties they create (exhibitors, merchants, terminals, issuers)."""

    def add_party(
        self,
        party: Organizer | Exhibitor | Merchant | Terminal | Issuer,
        record: ApiKeyRecord | None,
        also: Sequence[Part] = (),
    ) -> None:
        """Write a new party with its first key and ``also`` (its welcome mail), together."""
        ...

    def get_organizer(self, organizer_id: str) -> Organizer | None: ...

    def update_organizer(
        self, organizer_id: str, changes: Mapping[str, object]
    ) -> Organizer | None:
        """Set the organizer's fields in ``changes`` (JSON values; ``None`` removes the field),
        in one conditional write; the organizer as it is now, or None if there is none."""
        ...

    def list_organizers(self) -> list[Organizer]: ...
    def get_exhibitor(self, exhibitor_id: str) -> Exhibitor | None: ...
    def list_exhibitors(self, organizer_id: str) -> list[Exhibitor]: ...
    def cancel_exhibitor(self, exhibitor_id: str, at: datetime) -> bool: ...
    def get_merchant(self, merchant_id: str) -> Merchant | None: ...
    def list_merchants(self, organizer_id: str) -> list[Merchant]: ...
    def list_terminals(self, merchant_id: str) -> list[Terminal]: ...
    def get_issuer(self, issuer_id: str) -> Issuer | None: ...


# ---------------------------------------------------------------------------------- events


class EventStore(Protocol):
    def add(self, event: Event, also: Sequence[Part] = ()) -> None: ...
    def get(self, event_id: str) -> Event | None: ...
    def list_for(
        self, organizer_id: str, limit: int, cursor: Cursor | None
    ) -> tuple[list[Event], Cursor | None]: ...
    def starting_on(self, day: str) -> list[Event]: ...


# ---------------------------------------------------------------------------------- orders


class OrderPages(Protocol):
    def list_for_event(
        self, event_id: str, limit: int, cursor: Cursor | None
    ) -> tuple[list[Order], Cursor | None]: ...


class OrderStore(OrderPages, Protocol):
    """Orders with their positions (tickets), and the event places they take."""

    def placement(self, order: Order, capacity: int) -> list[Part]:
        """The parts that write a new order: ``capacity`` (its places), ``order`` (the
        number is free) and its positions."""
        ...

    def get(self, order_number: str) -> Order | None: ...
    def get_header(self, order_number: str) -> Order | None: ...
    def mark_paid(self, order_number: str, at: datetime) -> bool: ...
    def change_email(self, order: Order, email: str, at: datetime, by: str) -> None: ...
    def set_reminders(self, order_number: str, reminders: bool, at: datetime) -> None: ...
    def search_last_name(
        self, organizer_id: str, name_key: str, limit: int, cursor: Cursor | None = None
    ) -> tuple[list[Order], Cursor | None]:
        """A page of the organizer's orders whose customer's last name starts with
        ``name_key`` (by name key, newest first), and the cursor to the next page."""
        ...

    def check_in(self, order: Order, position_id: str, secret: str, at: datetime) -> None: ...
    def check_in_all(self, order: Order, at: datetime) -> int: ...
    def rename_holder(self, order: Order, position_id: str, holder_name: str) -> bool:
        """The name on one ticket, in one conditional write on its position item; False when
        the ticket was checked in meanwhile (a used ticket keeps its name)."""
        ...

    def assign_invoice_number(
        self, order: Order, number_for: Callable[[int], str], at: datetime
    ) -> str: ...


class PortalMails(Protocol):
    """How many self-service mails an order's address got lately."""

    def take_portal_mail(self, order_number: str, now: datetime, per_day: int) -> bool: ...


# -------------------------------------------------------------------------------- idempotency


class IdempotencyStore(Protocol):
    def find(self, scope: str, key: str) -> IdempotencyRecord | None: ...
    def claim(self, scope: str, key: str, record: IdempotencyRecord, at: datetime) -> Part:
        """The part that takes ``key`` for ``record`` (refused when it is taken)."""
        ...


# ----------------------------------------------------------------------------------- mail


class MailQueue(Protocol):
    def enqueue(self, request: MailRequest) -> None: ...


class Outbox(Protocol):
    def pending(self, request: MailRequest, created_at: datetime, shard_by: str) -> PendingMail:
        """A pending entry for ``request``; commit ``part_of`` it with the change."""
        ...

    def part_of(self, pending: PendingMail) -> Part: ...
    def pending_mail(self, older_than: datetime, limit: int = 100) -> list[PendingMail]: ...
    def remove(self, pending: PendingMail) -> None: ...


class Mailer(Protocol):
    def send(
        self, to: list[str], mail: RenderedMail, attachments: Sequence[Attachment] = ()
    ) -> str: ...


class SentMailLog(Protocol):
    def was_sent(self, request_id: str) -> bool: ...
    def mark_sent(self, request_id: str, at: datetime, also: Sequence[Part] = ()) -> None: ...


class MailFailures(Protocol):
    """Parked mail, found by the order it was about."""

    def park(self, failure: MailFailure) -> None: ...
    def for_order(self, order_number: str) -> list[MailFailure]: ...


class ReminderLog(Protocol):
    def take(self, what: str, at: datetime) -> bool: ...


# ------------------------------------------------------------------------------- documents


class DocumentStore(Protocol):
    def put(
        self, key: str, data: bytes, content_type: str, until: datetime | None = None
    ) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def exists(self, key: str) -> bool: ...
    def keys_under(self, prefix: str) -> set[str]: ...
    def download_url(self, key: str, filename: str, seconds: int = 300) -> str: ...


# ------------------------------------------------------------------ visitor vouchers (seed 000)


class BatchStore(Protocol):
    """Exhibitors' voucher batches and the codes each one holds."""

    codes_per_write: int  # codes one ``write_codes`` takes at most

    def add_batch(self, batch: VoucherBatch, also: Sequence[Part] = ()) -> None: ...
    def get_batch(self, batch_id: str) -> VoucherBatch | None: ...
    def list_batches(self, exhibitor_id: str) -> list[VoucherBatch]: ...
    def fail_batch(self, batch_id: str, at: datetime, reason: str) -> None: ...
    def write_codes(
        self, batch: VoucherBatch, chunk: int, codes: Sequence[str], at: datetime | None = None
    ) -> None:
        """Take ``codes`` as part ``chunk`` of the batch and add them to its ``generated``, at
        once; chunks go in any order (and from several threads), each once: ``ProgressMoved``
        if the chunk is written (or the batch closed), ``CodesTaken`` names twins. ``at``
        becomes the batch's ``progress_at`` (and its restarts start again from 0)."""
        ...

    def written_chunks(self, batch_id: str) -> set[int]:
        """The chunks of the batch whose codes are written (read from the batch alone)."""
        ...

    def touch_batch(self, batch_id: str, at: datetime, stale: datetime | None = None) -> bool:
        """Claim the file (step ``writing_file``): False if closed, or claimed since ``stale``."""
        ...

    def stalled_batches(self, before: datetime, limit: int = 100) -> list[VoucherBatch]:
        """Pending or generating batches whose progress stopped before ``before``, oldest
        first, read from the open batches only (never the whole table)."""
        ...

    def restart_batch(self, batch: VoucherBatch, at: datetime) -> bool:
        """Count a rescue and set ``progress_at`` = ``at``; False if the batch moved on or
        closed since ``batch`` was read."""
        ...

    def batch_codes(self, batch_id: str) -> Iterator[str]: ...
    def finish_batch(self, batch: VoucherBatch, at: datetime) -> bool: ...
    def set_batch_end(self, batch_id: str, valid_until: datetime) -> None: ...


class VisitorVoucherStore(Protocol):
    """Visitor vouchers one by one: redeemed by registration, extended, expired."""

    def get_voucher(self, code: str) -> VisitorVoucher | None: ...
    def registration(
        self, voucher: VisitorVoucher, registration: Registration, claimant: str, namesake: str
    ) -> list[Part]:
        """The parts that redeem ``voucher``: ``voucher`` (still issued), ``claim``
        (``claimant``, a mailbox, has no voucher ticket for the event yet) and ``namesake``
        (the first of its namesake at the event, or, for a possible duplicate, one more:
        refused when another registration changed that meanwhile)."""
        ...

    def namesake(self, event_id: str, namesake: str) -> str | None:
        """The code first registered at the event under ``namesake``, if any."""
        ...

    def mark_possible_duplicate(self, code: str) -> None:
        """Flag the registration of ``code`` as a possible duplicate (after the fact)."""
        ...

    def redemptions(self, exhibitor_id: str) -> Iterator[VisitorVoucher]: ...
    def extend(
        self, voucher: VisitorVoucher, valid_until: datetime, at: datetime, by: str
    ) -> bool: ...
    def due(self, now: datetime) -> Iterator[tuple[str, str]]: ...
    def expire(self, codes: Sequence[str], now: datetime) -> int: ...
    def ending_between(self, start: datetime, end: datetime) -> Iterator[dict[str, str]]: ...

    @property
    def read_items(self) -> int: ...


class ExhibitorFigures(Protocol):
    """Issued, redeemed and used counters per exhibitor (what the statement bills)."""

    def figures(self, exhibitor_id: str) -> dict[str, int]: ...
    def counted(self, exhibitor_id: str, figure: str, by: int) -> Part: ...


class BatchQueue(Protocol):
    def enqueue_batch(self, batch_id: str, chunks: tuple[int, int] | None = None) -> None:
        """Queue the batch for the worker; with ``chunks`` (start, stop) only that share."""
        ...


# -------------------------------------------------------------------- public doors (guessing)


class Attempts(Protocol):
    """Failed guesses per client as a sliding log (``services/throttle.py``): the moments
    (epoch milliseconds) of its latest failures, and until when it is refused."""

    def recent(self, client: str, now: int, window: int) -> list[int]:
        """The moments of the client's failures within ``window`` before ``now``, oldest first."""
        ...

    def record_failure(self, client: str, now: int, window: int, limit: int) -> list[int]:
        """One failure at ``now``: returns the recent ones (as ``recent``; at most ``limit``
        + 1 are kept), and refuses the client until fewer than ``limit`` are recent."""
        ...

    def below(self, client: str, now: int) -> Part:
        """The part that holds only while the client is not refused at ``now``."""
        ...


class LinkSecrets(Protocol):
    """The one secret a public link to an order must present, read alone (a projection), so
    that a wrong link costs what a link to an unknown order costs: nothing else is read
    until the secret matched."""

    def self_service_secret(self, order_number: str) -> str | None: ...
    def download_token(self, order_number: str, presented: str) -> str | None:
        """The order's download token that is ``presented``, if it has one: the store finds
        it by the token itself and returns nothing for a wrong one."""
        ...


# ---------------------------------------------------------------------------------- check-in

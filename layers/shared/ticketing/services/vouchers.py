"""Visitor vouchers of exhibitors (seed 000): batches, online registration, billing by use."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from ticketing.clock import Clock
from ticketing.domain.errors import (
    Conflict,
    Expired,
    InvalidRequest,
    NotFound,
    TooManyAttempts,
)
from ticketing.domain.events import Event
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.orders import (
    Customer,
    Order,
    new_order_number,
    new_self_service_secret,
    order_prefix,
    positions_for,
)
from ticketing.domain.parties import Exhibitor
from ticketing.domain.voucher_codes import canonical, display, new_code
from ticketing.domain.vouchers import (
    BatchOrder,
    Extension,
    Redemption,
    Registration,
    Statement,
    Voucher,
    VoucherBatch,
    attempt_window,
    claim_email,
    ends,
    starts,
    statement_total,
)
from ticketing.observability import logger
from ticketing.services.bookings import confirmation_request, hand_over, owned_event
from ticketing.services.portal import slow_down
from ticketing.services.ports import (
    AccessStore,
    CapacityExhausted,
    DocumentStore,
    EventStore,
    MailQueue,
    OrderNumberTaken,
    OrderStore,
    WriteRefused,
)
from ticketing.services.roles import require

MAX_FAILURES = 10
UNKNOWN_CODE = "This voucher code is not valid. Please check it for typos."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class VoucherStore(Protocol):
    def add_batch(self, batch: VoucherBatch) -> None: ...
    def get_batch(self, batch_id: str) -> VoucherBatch | None: ...
    def list_batches(self, exhibitor_id: str) -> list[VoucherBatch]: ...
    def fail_batch(self, batch_id: str, at: datetime, reason: str) -> None: ...
    def write_codes(
        self, batch: VoucherBatch, chunk: int, codes: Sequence[str], generated_before: int
    ) -> None: ...
    def batch_codes(self, batch_id: str) -> Iterator[str]: ...
    def get_voucher(self, code: str) -> Voucher | None: ...
    def redemption_writes(
        self, voucher: Voucher, redemption: Redemption, claim_email: str
    ) -> Sequence[tuple[str, Any]]: ...
    def redemptions(self, exhibitor_id: str) -> Iterator[Voucher]: ...
    def finish_batch(self, batch: VoucherBatch, at: datetime) -> bool: ...

    @property
    def read_items(self) -> int: ...

    def due(self, now: datetime) -> Iterator[tuple[str, str]]: ...
    def expire(self, codes: Sequence[str], now: datetime) -> int: ...
    def extend(self, voucher: Voucher, valid_until: datetime, at: datetime, by: str) -> bool: ...
    def set_batch_end(self, batch_id: str, valid_until: datetime) -> None: ...
    def figures(self, exhibitor_id: str) -> dict[str, int]: ...
    def not_blocked(self, client: str, at: datetime, limit: int) -> tuple[str, Any]: ...
    def record_failure(self, client: str, at: datetime) -> int: ...


class BatchQueue(Protocol):
    def enqueue_batch(self, batch_id: str) -> None: ...


# ------------------------------------------------------------------------------------ ordering


def _exhibitor(access: AccessStore, principal: Principal) -> Exhibitor:
    require(principal, Role.EXHIBITOR)
    exhibitor = access.get_exhibitor(principal.subject_id)
    if exhibitor is None:
        raise NotFound("no such exhibitor")
    return exhibitor


def order_batch(
    store: VoucherStore,
    access: AccessStore,
    events: EventStore,
    queue: BatchQueue,
    clock: Clock,
    principal: Principal,
    event_id: str,
    order: BatchOrder,
) -> VoucherBatch:
    """Seed 000 "Gutscheine bestellen": the codes are made by a worker; this answers at once."""
    exhibitor = _exhibitor(access, principal)
    if exhibitor.event_id != event_id:
        raise NotFound(f"no event {event_id}")
    if exhibitor.cancelled_at is not None:
        raise Conflict("your participation was cancelled; no new vouchers can be ordered")
    event = events.get(event_id)
    if event is None:
        raise NotFound(f"no event {event_id}")
    if event.price_option(event.voucher_price_option or "") is None:
        raise Conflict(
            "this event has no voucher price option yet, so used vouchers could not be "
            "billed; the organizer sets voucher_price_option first"
        )
    now = clock.now()
    valid_from = starts(order.valid_from, event.timezone) if order.valid_from else now
    valid_until = ends(order.valid_until, event.timezone) if order.valid_until else event.ends_at
    if valid_until <= now:
        raise InvalidRequest(
            "vouchers must stay valid beyond now; the event is over or valid_until is past",
            field="valid_until",
        )
    if valid_until <= valid_from:
        raise InvalidRequest("valid_until must be after valid_from", field="valid_until")
    batch = VoucherBatch(
        batch_id=new_id("bat"),
        organizer_id=exhibitor.organizer_id,
        event_id=event_id,
        exhibitor_id=exhibitor.exhibitor_id,
        label=order.label,
        quantity=order.quantity,
        valid_from=valid_from,
        valid_until=valid_until,
        status="pending",
        created_at=now,
    )
    store.add_batch(batch)
    try:
        queue.enqueue_batch(batch.batch_id)
    except Exception:
        # a batch nobody will fill must not wait forever: say so, and let the exhibitor retry
        store.fail_batch(batch.batch_id, now, "could not start; please order again")
        raise
    return batch


def own_batch(store: VoucherStore, principal: Principal, batch_id: str) -> VoucherBatch:
    require(principal, Role.EXHIBITOR)
    batch = store.get_batch(batch_id)
    if batch is None or batch.exhibitor_id != principal.subject_id:
        raise NotFound(f"no voucher batch {batch_id}")
    return batch


def batches(store: VoucherStore, principal: Principal) -> list[VoucherBatch]:
    """Seed 000 "Downloadübersicht": every batch of the exhibitor, newest first."""
    require(principal, Role.EXHIBITOR)
    return store.list_batches(principal.subject_id)


def batch_file_key(batch: VoucherBatch) -> str:
    return f"vouchers/{batch.exhibitor_id}/{batch.batch_id}.xlsx"


def batch_download(
    store: VoucherStore,
    events: EventStore,
    docs: DocumentStore,
    base_url: str,
    batch: VoucherBatch,
) -> str:
    """A presigned URL (minutes) of the batch's Excel file; rebuilt if it went missing."""
    key = batch_file_key(batch)
    if not docs.exists(key):
        event = events.get(batch.event_id)
        docs.put(key, batch_workbook(store, event, base_url, batch), XLSX)
    return docs.download_url(key, f"vouchers-{batch.batch_id}.xlsx")


def redeem_link(base_url: str, code: str) -> str:
    return f"{base_url}/redeem?code={display(code)}"


def batch_workbook(
    store: VoucherStore, event: Event | None, base_url: str, batch: VoucherBatch
) -> bytes:
    from ticketing.documents.excel import Column, write_table

    german = event is None or event.language == "de"
    zone = ZoneInfo(event.timezone) if event else None
    valid_until = batch.valid_until.astimezone(zone) if zone else batch.valid_until
    columns = [
        Column("Gutschein-Nummer" if german else "Voucher code", 22),
        Column("Persönlicher Einlöse-Link" if german else "Personal redemption link", 70),
        Column("Bezeichnung" if german else "Label", 28),
        Column("Gültig bis" if german else "Valid until", 18, "datetime"),
    ]
    rows = (
        [display(code), redeem_link(base_url, code), batch.label, valid_until]
        for code in store.batch_codes(batch.batch_id)
    )
    return write_table("Gutscheine" if german else "Vouchers", columns, rows)


# ---------------------------------------------------------------------------------- the worker

CODE_ATTEMPTS = 5


def generate(
    store: VoucherStore,
    events: EventStore,
    docs: DocumentStore,
    clock: Clock,
    base_url: str,
    batch_id: str,
) -> VoucherBatch | None:
    """Make the batch's codes, 98 per transaction, then its Excel file.

    Resumes where an earlier attempt stopped: progress and codes are written together. A code
    that exists already is drawn again; it is never lost and never shared.
    """
    from ticketing.adapters.voucher_store import CODES_PER_WRITE, CodesTaken

    batch = store.get_batch(batch_id)
    if batch is None or batch.status in ("ready", "failed"):
        return batch
    generated = batch.generated
    chunk = -(-generated // CODES_PER_WRITE)
    while generated < batch.quantity:
        codes = [new_code() for _ in range(min(CODES_PER_WRITE, batch.quantity - generated))]
        for _ in range(CODE_ATTEMPTS):
            try:
                store.write_codes(batch, chunk, codes, generated)
                break
            except CodesTaken as taken:
                logger.warning("voucher codes drawn twice", extra={"count": len(taken.positions)})
                for position in taken.positions:
                    codes[position] = new_code()
        else:
            raise RuntimeError("could not draw unique voucher codes")
        generated += len(codes)
        chunk += 1
    event = events.get(batch.event_id)
    docs.put(batch_file_key(batch), batch_workbook(store, event, base_url, batch), XLSX)
    # ready and counted as issued in one write: a repeated delivery cannot count it twice
    store.finish_batch(batch, clock.now())
    return store.get_batch(batch_id)


def give_up(store: VoucherStore, clock: Clock, batch_id: str, reason: str) -> None:
    store.fail_batch(batch_id, clock.now(), reason)


# -------------------------------------------------------------------------------- registration


@dataclass(frozen=True, slots=True)
class Redeemed:
    order: Order
    event: Event


def register(
    store: VoucherStore,
    orders: OrderStore,
    events: EventStore,
    mail: MailQueue,
    clock: Clock,
    client: str,
    typed_code: str,
    registration: Registration,
    pause: Callable[[float], None] = time.sleep,
) -> Redeemed:
    """A visitor redeems a voucher by registering online: a free ticket in their own name.

    Unknown, malformed and other events' codes answer alike. Every failure counts against
    the client; after ten in ten minutes it is refused for the rest of the window.
    """
    code = canonical(typed_code)
    if code is None:
        raise NotFound(UNKNOWN_CODE)  # a typo: refused before any lookup
    now = clock.now()
    _, window_end = attempt_window(now)

    # A blocked client is told so by whichever comes first: its next failure (the counter
    # answers with its new value) or the redeeming transaction (it checks the counter).
    def fail(error: Exception) -> Exception:
        failures = store.record_failure(client, now)
        if failures > MAX_FAILURES:
            return _too_many(now, window_end)
        pause(slow_down(failures))
        return error

    voucher = store.get_voucher(code)
    if voucher is None or (
        registration.event_id is not None and registration.event_id != voucher.event_id
    ):
        raise fail(NotFound(UNKNOWN_CODE))
    if voucher.state == "redeemed":
        raise fail(Conflict("This voucher code has already been used."))
    if voucher.state == "expired" or voucher.valid_until <= now:
        raise fail(_expired(voucher))
    if voucher.valid_from is not None and now < voucher.valid_from:
        raise fail(
            Conflict(
                "This voucher is not yet valid; it can be redeemed from "
                f"{voucher.valid_from:%Y-%m-%d %H:%M}."
            )
        )
    event = events.get(voucher.event_id)
    if event is None:
        raise fail(NotFound(UNKNOWN_CODE))
    option = event.price_option(event.voucher_price_option or "") or event.price_options[0]
    customer = Customer(
        first_name=registration.first_name,
        last_name=registration.last_name,
        email=registration.email,
        company=registration.company,
    )
    booked_on = now.astimezone(ZoneInfo(event.timezone)).date()
    for _ in range(5):
        number = new_order_number(order_prefix(event.organizer_id), booked_on)
        order = Order.for_event(
            event,
            number,
            now,
            customer=customer,
            quantity=1,
            price_option=option.id,
            payment="free",
            payment_status="paid",
            delivery="email",
            show_price=False,
            notify_customer=True,
            total=Decimal("0.00"),
            positions=positions_for(
                number,
                1,
                option.id,
                option.name,
                Decimal("0.00"),
                option.tax_rate,
                customer.full_name,
            ),
            self_service_secret=new_self_service_secret(),
            voucher_code=code,
            exhibitor_id=voucher.exhibitor_id,
        )
        redemption = Redemption(
            code=code,
            first_name=registration.first_name,
            last_name=registration.last_name,
            email=str(registration.email),
            company=registration.company,
            order_number=number,
            redeemed_at=now,
        )
        writes = [
            *store.redemption_writes(voucher, redemption, claim_email(str(registration.email))),
            store.not_blocked(client, now, MAX_FAILURES),
        ]
        confirmation = confirmation_request(order, f"confirm-{number}")
        pending = orders.outbox_entry(
            order, confirmation.request_id, confirmation.model_dump_json()
        )
        try:
            orders.place(order, event.capacity, outbox_entry=pending, extra=writes)
        except OrderNumberTaken:
            continue
        except CapacityExhausted:
            raise Conflict("The event is fully booked; no more tickets can be issued.") from None
        except WriteRefused as refused:
            if refused.label == "attempts":
                raise _too_many(now, window_end) from None
            if refused.label == "claim":
                raise fail(
                    Conflict(
                        "This e-mail address already has a voucher ticket for this event: "
                        "one person can redeem one voucher."
                    )
                ) from None
            # the voucher changed meanwhile: used by another visitor, or expired by the sweep
            now_voucher = store.get_voucher(code)
            if now_voucher is not None and now_voucher.state == "expired":
                raise fail(_expired(now_voucher)) from None
            raise fail(Conflict("This voucher code has already been used.")) from None
        hand_over(orders, mail, confirmation, pending)
        return Redeemed(order, event)
    raise Conflict("could not find a free order number; please retry")


def _expired(voucher: Voucher) -> Expired:
    return Expired(f"This voucher expired on {voucher.valid_until:%Y-%m-%d}.")


def _too_many(now: datetime, window_end: datetime) -> TooManyAttempts:
    # at most one window: the counter's window ends no later than that
    wait = max(1, int((window_end - now).total_seconds()))
    return TooManyAttempts(
        f"Too many failed attempts. Please try again in {wait // 60 + 1} minutes.", wait
    )


# ------------------------------------------------------------------------ what exhibitors see


def redemptions(store: VoucherStore, principal: Principal, event_id: str) -> Iterator[Redemption]:
    """Seed 000: who redeemed the exhibitor's codes, already before the fair."""
    require(principal, Role.EXHIBITOR)
    if principal.scope != event_id:
        raise NotFound(f"no event {event_id}")
    for voucher in store.redemptions(principal.subject_id):
        if voucher.event_id == event_id and voucher.redemption is not None:
            yield voucher.redemption


def statement_for(store: VoucherStore, event: Event, exhibitor: Exhibitor) -> Statement:
    figures = store.figures(exhibitor.exhibitor_id)
    option = event.price_option(event.voucher_price_option or "")
    unit = option.price if option else Decimal("0.00")
    return Statement(
        exhibitor_id=exhibitor.exhibitor_id,
        exhibitor_name=exhibitor.name,
        event_id=event.event_id,
        cancelled=exhibitor.cancelled_at is not None,
        issued=figures["issued"],
        redeemed=figures["redeemed"],
        used=figures["used"],
        billable=figures["used"],
        unit_price=unit,
        currency=event.currency,
        total=statement_total(figures["used"], unit),
    )


def statement(
    store: VoucherStore,
    access: AccessStore,
    events: EventStore,
    principal: Principal,
    event_id: str,
) -> Statement:
    """Seed 000 "Was wird mir in Rechnung gestellt?": only what was used at the fair."""
    exhibitor = _exhibitor(access, principal)
    event = events.get(event_id)
    if event is None or exhibitor.event_id != event_id:
        raise NotFound(f"no event {event_id}")
    return statement_for(store, event, exhibitor)


def statements(
    store: VoucherStore,
    access: AccessStore,
    events: EventStore,
    principal: Principal,
    event_id: str,
) -> tuple[Event, list[Statement]]:
    """Every exhibitor's statement of an event, for the organizer."""
    require(principal, Role.ORGANIZER)
    event = owned_event(events, principal, event_id)
    assert principal.organizer_id is not None
    exhibitors = [
        e for e in access.list_exhibitors(principal.organizer_id) if e.event_id == event_id
    ]
    return event, [statement_for(store, event, e) for e in exhibitors]


# ------------------------------------------------------------------------------ the lifecycle


@dataclass(frozen=True, slots=True)
class Sweep:
    read: int  # index items DynamoDB read
    due: int  # vouchers found past their end
    expired: int  # of those, expired by this run (others were taken meanwhile)


def expire_due(store: VoucherStore, clock: Clock) -> Sweep:
    """Mark every issued voucher whose end has passed as expired.

    It reads the sparse index of live vouchers by end time, never the table, so its cost
    follows the vouchers due, not the vouchers stored. Running it again changes nothing.
    """
    now = clock.now()
    before = store.read_items
    due = [code for code, _ in store.due(now)]
    expired = store.expire(due, now)
    return Sweep(read=store.read_items - before, due=len(due), expired=expired)


def _checked_end(
    event: Event, voucher_from: datetime | None, extension: Extension, now: datetime
) -> datetime:
    valid_until = ends(extension.valid_until, event.timezone)
    if valid_until <= now:
        raise InvalidRequest("valid_until must not be in the past", field="valid_until")
    if voucher_from is not None and valid_until <= voucher_from:
        raise InvalidRequest("valid_until must be after valid_from", field="valid_until")
    if valid_until > event.ends_at and not extension.beyond_event_end:
        raise InvalidRequest(
            "valid_until is after the event's end; send beyond_event_end: true if you mean it",
            field="valid_until",
        )
    return valid_until


def extend_voucher(
    store: VoucherStore,
    events: EventStore,
    clock: Clock,
    principal: Principal,
    typed_code: str,
    extension: Extension,
) -> Voucher:
    """Seed 001 "Gutschein verlängern", checked: never into the past, never before its start,
    past the event only when said so; every change is kept on the voucher."""
    require(principal, Role.ORGANIZER)
    code = canonical(typed_code)
    voucher = store.get_voucher(code) if code else None
    event = events.get(voucher.event_id) if voucher else None
    if voucher is None or event is None or not principal.owns(voucher.organizer_id):
        raise NotFound(f"no voucher {typed_code}")
    if voucher.state == "redeemed":
        raise Conflict("this voucher was redeemed; its validity can no longer change")
    now = clock.now()
    valid_until = _checked_end(event, voucher.valid_from, extension, now)
    if not store.extend(voucher, valid_until, now, principal.key_id):
        raise Conflict("this voucher was redeemed; its validity can no longer change")
    changed = store.get_voucher(voucher.code)
    assert changed is not None
    return changed


def extend_batch(
    store: VoucherStore,
    events: EventStore,
    clock: Clock,
    principal: Principal,
    batch_id: str,
    extension: Extension,
) -> tuple[VoucherBatch, int, int]:
    """Every voucher of a batch not yet redeemed gets the new end: (batch, changed, skipped)."""
    require(principal, Role.ORGANIZER)
    batch = store.get_batch(batch_id)
    event = events.get(batch.event_id) if batch else None
    if batch is None or event is None or not principal.owns(batch.organizer_id):
        raise NotFound(f"no voucher batch {batch_id}")
    now = clock.now()
    valid_until = _checked_end(event, batch.valid_from, extension, now)
    changed = skipped = 0
    for code in store.batch_codes(batch.batch_id):
        voucher = store.get_voucher(code)
        if (
            voucher is not None
            and voucher.state != "redeemed"
            and store.extend(voucher, valid_until, now, principal.key_id)
        ):
            changed += 1
        else:
            skipped += 1
    store.set_batch_end(batch.batch_id, valid_until)
    fresh = store.get_batch(batch.batch_id)
    assert fresh is not None
    return fresh, changed, skipped

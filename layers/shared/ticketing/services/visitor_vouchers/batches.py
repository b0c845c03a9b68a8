"""Seed 000 "Gutscheine bestellen" and the "Downloadübersicht": batches of visitor vouchers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.visitor_vouchers import BatchOrder, VoucherBatch, ends, starts
from ticketing.observability import count
from ticketing.services.idempotency import Once
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.domain.parties import Exhibitor
    from ticketing.services.ports import (
        AccessStore,
        BatchQueue,
        BatchStore,
        DocumentStore,
        EventStore,
        IdempotencyStore,
    )

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class BatchDesk:
    """What ordering and reading batches needs."""

    batches: BatchStore
    access: AccessStore
    events: EventStore
    queue: BatchQueue
    idempotency: IdempotencyStore
    clock: Clock


def exhibitor_of(access: AccessStore, principal: Principal) -> Exhibitor:
    require(principal, Role.EXHIBITOR)
    exhibitor = access.get_exhibitor(principal.subject_id)
    if exhibitor is None:
        raise NotFound("no such exhibitor")
    return exhibitor


def order_batch(
    deps: BatchDesk,
    principal: Principal,
    event_id: str,
    order: BatchOrder,
    idempotency_key: str | None = None,
) -> tuple[VoucherBatch, bool]:
    """The codes are made by a worker; this answers at once. Returns the batch and whether
    it was ordered now (False: a retry with the same Idempotency-Key)."""
    exhibitor = exhibitor_of(deps.access, principal)
    once = Once.of(
        deps.idempotency,
        exhibitor.exhibitor_id,
        "voucher-batch",
        idempotency_key,
        f"{event_id}\n{order.model_dump_json()}",
    )
    earlier = once.earlier()
    if earlier is not None:
        return own_batch(deps.batches, principal, earlier), False
    event = _orderable_event(deps, exhibitor, event_id)
    now = deps.clock.now()
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
        progress_at=now,  # the rescue schedule watches it from now on
    )
    twin = once.write(batch.batch_id, now, lambda claim: deps.batches.add_batch(batch, claim))
    if twin is not None:
        return own_batch(deps.batches, principal, twin), False
    try:
        deps.queue.enqueue_batch(batch.batch_id)
    except Exception:
        # a batch nobody will fill must not wait forever: say so, and let the exhibitor retry
        deps.batches.fail_batch(batch.batch_id, now, "could not start; please order again")
        raise
    count("VoucherBatchesOrdered")
    return batch, True


def _orderable_event(deps: BatchDesk, exhibitor: Exhibitor, event_id: str) -> Event:
    if exhibitor.event_id != event_id:
        raise NotFound(f"no event {event_id}")
    if exhibitor.cancelled_at is not None:
        raise Conflict("your participation was cancelled; no new vouchers can be ordered")
    event = deps.events.get(event_id)
    if event is None:
        raise NotFound(f"no event {event_id}")
    if event.price_option(event.voucher_price_option or "") is None:
        raise Conflict(
            "this event has no voucher price option yet, so used vouchers could not be "
            "billed; the organizer sets voucher_price_option first"
        )
    return event


def own_batch(store: BatchStore, principal: Principal, batch_id: str) -> VoucherBatch:
    require(principal, Role.EXHIBITOR)
    batch = store.get_batch(batch_id)
    if batch is None or batch.exhibitor_id != principal.subject_id:
        raise NotFound(f"no voucher batch {batch_id}")
    return batch


def batches(store: BatchStore, principal: Principal) -> list[VoucherBatch]:
    """Every batch of the exhibitor, newest first."""
    require(principal, Role.EXHIBITOR)
    return store.list_batches(principal.subject_id)


def batch_file_key(batch: VoucherBatch) -> str:
    return f"vouchers/{batch.exhibitor_id}/{batch.batch_id}.xlsx"


def write_batch_file(
    store: BatchStore, events: EventStore, docs: DocumentStore, batch: VoucherBatch
) -> None:
    """The batch's Excel file: each code with its personal redemption link."""
    from ticketing.documents.layouts import voucher_codes_workbook

    event = events.get(batch.event_id)
    data = voucher_codes_workbook(event, batch, store.batch_codes(batch.batch_id))
    docs.put(batch_file_key(batch), data, XLSX)


def batch_download(
    store: BatchStore, events: EventStore, docs: DocumentStore, batch: VoucherBatch
) -> str:
    """A presigned URL (minutes) of the batch's Excel file; rebuilt if it went missing."""
    if not docs.exists(batch_file_key(batch)):
        write_batch_file(store, events, docs, batch)
    return docs.download_url(batch_file_key(batch), f"vouchers-{batch.batch_id}.xlsx")

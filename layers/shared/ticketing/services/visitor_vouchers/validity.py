"""Voucher validity: the hourly expiry, and extensions by the organizer (seed 001,
"Gutscheine verlängern"), checked: never into the past, never before the start, past the
event only when said so; every change is kept on the voucher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.visitor_vouchers import (
    BatchExtension,
    Extension,
    VisitorVoucher,
    VoucherBatch,
    ends,
)
from ticketing.domain.voucher_codes import canonical
from ticketing.observability import count
from ticketing.services.roles import require
from ticketing.services.visitor_vouchers.extension import STALLED_AFTER as STALLED_EXTENSION

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.services.ports import BatchStore, EventStore, VisitorVoucherStore
    from ticketing.services.ports_vouchers import ExtensionQueue, ExtensionStore

REDEEMED = "this voucher was redeemed; its validity can no longer change"
RUNNING = (
    "this batch's validity is being extended already; wait until that extension is done "
    "(GET /voucher-batches/{batch_id}/extension), then ask again"
)
# a running extension without progress for this long may be replaced by a new one
STALLED_AFTER = STALLED_EXTENSION


@dataclass(frozen=True, slots=True)
class Validity:
    vouchers: VisitorVoucherStore
    batches: BatchStore
    events: EventStore
    clock: Clock
    # a whole batch's extension: the job on the batch, and the queue of the worker that walks it
    jobs: ExtensionStore
    queue: ExtensionQueue


@dataclass(frozen=True, slots=True)
class Sweep:
    read: int  # index items DynamoDB read
    due: int  # vouchers found past their end
    expired: int  # of those, expired by this run (others were taken meanwhile)


def expire_due(vouchers: VisitorVoucherStore, clock: Clock) -> Sweep:
    """Mark every issued voucher whose end has passed as expired.

    It reads the sparse index of live vouchers by end time, never the table, so its cost
    follows the vouchers due, not the vouchers stored. Running it again changes nothing.
    """
    now = clock.now()
    before = vouchers.read_items
    due = [code for code, _ in vouchers.due(now)]
    expired = vouchers.expire(due, now)
    count("VouchersExpired", expired)
    return Sweep(read=vouchers.read_items - before, due=len(due), expired=expired)


def _checked_end(
    event: Event, voucher_from: datetime | None, extension: Extension, now: datetime
) -> datetime:
    valid_until = ends(extension.valid_until, event.timezone)
    if valid_until <= now:
        raise InvalidRequest(
            "valid_until must not be in the past",
            field="valid_until",
            message_id="problem.voucher.valid_until_past",
        )
    if voucher_from is not None and valid_until <= voucher_from:
        raise InvalidRequest(
            "valid_until must be after valid_from",
            field="valid_until",
            message_id="problem.voucher.valid_until_before_start",
        )
    if valid_until > event.ends_at and not extension.beyond_event_end:
        raise InvalidRequest(
            "valid_until is after the event's end; send beyond_event_end: true if you mean it",
            field="valid_until",
            message_id="problem.voucher.valid_until_after_event",
        )
    return valid_until


def extend_voucher(
    deps: Validity, principal: Principal, typed_code: str, extension: Extension
) -> VisitorVoucher:
    """One voucher gets a new end."""
    require(principal, Role.ORGANIZER)
    code = canonical(typed_code)
    voucher = deps.vouchers.get_voucher(code) if code else None
    event = deps.events.get(voucher.event_id) if voucher else None
    if voucher is None or event is None or not principal.owns(voucher.organizer_id):
        raise NotFound(f"no voucher {typed_code}")
    if voucher.state == "redeemed":
        raise Conflict(REDEEMED)
    now = deps.clock.now()
    valid_until = _checked_end(event, voucher.valid_from, extension, now)
    if not deps.vouchers.extend(voucher, valid_until, now, principal.key_id):
        raise Conflict(REDEEMED)
    changed = deps.vouchers.get_voucher(voucher.code)
    assert changed is not None
    return changed


def extend_batch(
    deps: Validity, principal: Principal, batch_id: str, extension: Extension
) -> VoucherBatch:
    """Start moving the end of every voucher of a batch not yet redeemed: the worker walks
    the codes (see ``extension``); the batch carries the job and its progress. One job at a
    time per batch (``Conflict`` while one runs, unless it stalled past ``STALLED_AFTER``)."""
    require(principal, Role.ORGANIZER)
    batch = deps.batches.get_batch(batch_id)
    event = deps.events.get(batch.event_id) if batch else None
    if batch is None or event is None or not principal.owns(batch.organizer_id):
        raise NotFound(f"no voucher batch {batch_id}")
    if batch.status in ("pending", "generating"):
        raise Conflict("this batch's codes are still being made; extend it once it is ready")
    now = deps.clock.now()
    valid_until = _checked_end(event, batch.valid_from, extension, now)
    stalled = batch.extension
    if (
        stalled is not None
        and stalled.state == "running"
        and stalled.valid_until == valid_until
        and stalled.progress_at < now - STALLED_AFTER
    ):
        # the same extension, stalled (its message lost): queued again, it goes on from its
        # last step; a second delivery of it is harmless (each step is one conditional write)
        deps.queue.enqueue_extension(batch.batch_id, stalled.job_id)
        return batch
    job = BatchExtension(
        job_id=new_id("ext"),
        state="running",
        valid_until=valid_until,
        by=principal.key_id,
        total=batch.generated,
        started_at=now,
        progress_at=now,
    )
    if not deps.jobs.start_extension(batch.batch_id, job, now - STALLED_AFTER):
        raise Conflict(RUNNING)
    try:
        deps.queue.enqueue_extension(batch.batch_id, job.job_id)
    except Exception:
        # nobody would walk it: fail it at once, so that the organizer can ask again
        failed = job.model_copy(update={"state": "failed", "failure": "could not start"})
        deps.jobs.move_extension(batch.batch_id, job, failed)
        raise
    count("VoucherBatchExtensionsStarted")
    fresh = deps.batches.get_batch(batch.batch_id)
    assert fresh is not None
    return fresh


def batch_extension(deps: Validity, principal: Principal, batch_id: str) -> VoucherBatch:
    """The batch, for its organizer, with its extension job (None before any)."""
    require(principal, Role.ORGANIZER)
    batch = deps.batches.get_batch(batch_id)
    if batch is None or not principal.owns(batch.organizer_id):
        raise NotFound(f"no voucher batch {batch_id}")
    return batch

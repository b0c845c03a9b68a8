"""A whole batch's validity extension, walked by the batch worker (seed 001, "Gutscheine
verlängern"): chunk by chunk of the batch's codes, each step written as the job's progress
on the batch in one conditional write, so a redelivered or rescued message goes on from the
last step. A code walked twice is extended to the same end: the second time changes nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from ticketing.observability import count, logger
from ticketing.services.parts import ProgressMoved
from ticketing.services.ports_vouchers import (
    MANY_AT_ONCE,
    ExtensionQueue,
    ExtensionStore,
    ManyVouchers,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from ticketing.clock import Clock
    from ticketing.domain.visitor_vouchers import BatchExtension

# chunks of codes (98 each on DynamoDB) walked between two progress writes: small, so that
# the progress moves every few seconds (one more write per 196 codes costs little: a step is
# two BatchGetItem, two transactions and this write)
STEP_CHUNKS = 2
STALLED_AFTER = timedelta(minutes=5)  # a running extension without a step for this long
MAX_RESTARTS = 5  # rescues without a step in between, then it fails with the reason

Walked = Literal["done", "paused", "closed", "taken over"]


@dataclass(frozen=True, slots=True)
class Walking:
    """What walking a batch's codes needs."""

    vouchers: ManyVouchers
    batches: ExtensionStore
    clock: Clock


def extend_codes(
    deps: Walking,
    batch_id: str,
    job_id: str,
    seconds_left: Callable[[], float] | None = None,
    writers: int = 1,
) -> Walked:
    """Walk the job's codes from where it stopped, ``STEP_CHUNKS`` chunks a step, until done
    or (``paused``) ``seconds_left()`` leaves no room for another step; ``closed`` when the
    job is not running (done, failed, replaced), ``taken over`` when another delivery moved it
    on meanwhile."""
    batch = deps.batches.get_batch(batch_id)
    job = batch.extension if batch is not None else None
    if batch is None or job is None or job.job_id != job_id or job.state != "running":
        return "closed"
    left = seconds_left or (lambda: float("inf"))
    chunks = -(-batch.quantity // deps.batches.codes_per_write)
    slowest = 0.0
    while True:
        if left() < 3 * slowest + 1:
            logger.warning(
                "voucher batch extension paused before the deadline; queued again",
                extra={"batch_id": batch_id, "done": job.done, "total": job.total},
            )
            return "paused"
        started = time.monotonic()
        stop = min(chunks, job.next_chunk + STEP_CHUNKS)
        codes = [
            code
            for chunk in range(job.next_chunk, stop)
            for code in deps.batches.chunk_codes(batch_id, chunk)
        ]
        changed = _extend_all(deps, job, codes, max(1, writers))
        moved = job.model_copy(
            update={
                "next_chunk": stop,
                "done": job.done + len(codes),
                "changed": job.changed + changed,
                "skipped": job.skipped + len(codes) - changed,
                "progress_at": deps.clock.now(),
                "restarts": 0,
                **({"state": "done", "finished_at": deps.clock.now()} if stop >= chunks else {}),
            }
        )
        try:
            deps.batches.move_extension(batch_id, job, moved)
        except ProgressMoved:
            logger.warning("voucher batch extension moved on elsewhere", extra={"id": batch_id})
            return "taken over"
        job, slowest = moved, max(slowest, time.monotonic() - started)
        if job.state == "done":
            count("VoucherBatchesExtended")
            return "done"


def _extend_all(deps: Walking, job: BatchExtension, codes: list[str], writers: int) -> int:
    """Extend each code not redeemed to the job's end, ``MANY_AT_ONCE`` codes read together
    and written together; how many are (now) at that end."""
    now, end = deps.clock.now(), job.valid_until

    def extend(group: list[str]) -> int:
        found = deps.vouchers.get_vouchers(group).values()
        # at the end already: extended by an earlier delivery of this step, not written again
        there = sum(v.state == "issued" and v.valid_until == end for v in found)
        due = [
            v
            for v in found
            if v.state != "redeemed" and not (v.state == "issued" and v.valid_until == end)
        ]
        return there + (deps.vouchers.extend_vouchers(due, end, now, job.by) if due else 0)

    groups = [codes[start : start + MANY_AT_ONCE] for start in range(0, len(codes), MANY_AT_ONCE)]
    if writers == 1 or len(groups) < 2:
        return sum(extend(group) for group in groups)
    context = contextvars.copy_context()
    with ThreadPoolExecutor(min(writers, len(groups)), thread_name_prefix="code-extender") as pool:
        return sum(pool.map(lambda group: context.copy().run(extend, group), groups))


def give_up(deps: Walking, batch_id: str, job_id: str, reason: str) -> None:
    """Fail the running job (so that the organizer may start another), with the reason."""
    batch = deps.batches.get_batch(batch_id)
    job = batch.extension if batch is not None else None
    if job is None or job.job_id != job_id or job.state != "running":
        return
    logger.error("voucher batch extension given up", extra={"batch_id": batch_id})
    now = deps.clock.now()
    failed = job.model_copy(
        update={"state": "failed", "failure": reason[:500], "progress_at": now, "finished_at": now}
    )
    with contextlib.suppress(ProgressMoved):  # moved on meanwhile: that delivery decides
        deps.batches.move_extension(batch_id, job, failed)


@dataclass(frozen=True, slots=True)
class Rescue:
    stalled: int
    queued: int
    given_up: int


def rescue_stalled(
    deps: Walking, queue: ExtensionQueue, stalled_after: timedelta = STALLED_AFTER
) -> Rescue:
    """Queue again every running extension whose last step is older than ``stalled_after``
    (a lost message, a crash past its retries); fail the ones rescued ``MAX_RESTARTS`` times
    without a step. Each rescue is a conditional write of the job: two runs cannot double it."""
    now = deps.clock.now()
    stalled = deps.batches.stalled_extensions(now - stalled_after)
    queued = given_up = 0
    for batch in stalled:
        job = batch.extension
        assert job is not None
        if job.restarts >= MAX_RESTARTS:
            give_up(deps, batch.batch_id, job.job_id, f"no progress after {job.restarts} restarts")
            given_up += 1
            continue
        restarted = job.model_copy(update={"progress_at": now, "restarts": job.restarts + 1})
        try:
            deps.batches.move_extension(batch.batch_id, job, restarted)
            queue.enqueue_extension(batch.batch_id, job.job_id)
        except ProgressMoved:
            continue  # it moved on meanwhile
        except Exception:  # noqa: BLE001 - one job must not stop the others' rescue
            logger.exception("stalled extension not queued", extra={"id": batch.batch_id})
            continue
        logger.warning(
            "stalled voucher batch extension queued again",
            extra={"batch_id": batch.batch_id, "done": job.done, "restarts": job.restarts + 1},
        )
        queued += 1
        count("VoucherBatchExtensionsRestarted")
    return Rescue(stalled=len(stalled), queued=queued, given_up=given_up)

"""The batch worker: a batch's codes, then its Excel file (seed 000); and its rescue.

No invocation needs to do the whole batch: the worker stops cleanly before its deadline and
asks to continue (progress is written with every chunk of codes). A batch whose progress
stops anyway (a crash, a timeout, a lost message) is found by ``rescue_stalled`` on a schedule
and queued again; after ``MAX_RESTARTS`` rescues without progress it is failed with a reason.
"""

from __future__ import annotations

import contextvars
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from ticketing.domain.visitor_vouchers import FILE_SECONDS_BASE, FILE_SECONDS_PER_CODE, VoucherBatch
from ticketing.domain.voucher_codes import new_code
from ticketing.mail.messages import MailRequest
from ticketing.observability import count, logger
from ticketing.services.parts import CodesTaken, ProgressMoved
from ticketing.services.visitor_vouchers.batches import write_batch_file

if TYPE_CHECKING:
    from collections.abc import Callable

    from ticketing.clock import Clock
    from ticketing.services.ports import (
        AccessStore,
        BatchQueue,
        BatchStore,
        DocumentStore,
        EventStore,
        MailQueue,
    )

CODE_ATTEMPTS = 5
STALLED_AFTER = timedelta(minutes=5)
MAX_RESTARTS = 5
# what must be left to start the Excel file and finish: FILE_SECONDS_BASE plus
# FILE_SECONDS_PER_CODE per code (domain.visitor_vouchers, the progress estimate uses them too)

# a batch above this many codes is written by several messages at once, a share each: with
# Lambda's 15 minutes (ours: 5) and its one CPU, 1,000,000 codes do not fit one invocation
FAN_OUT_ABOVE = 50_000
SHARE_CODES = 50_000

# a claim of the Excel file older than this is of a worker gone (past the worker's timeout,
# 5 minutes): the rescue's delivery, or another share's, takes it over
FILE_CLAIM_STALE = STALLED_AFTER

Outcome = Literal[
    "ready", "closed", "paused", "taken over", "fanned out", "share written", "file elsewhere"
]
Chunks = tuple[int, int]  # a share of a batch: its chunks from start up to (without) stop


@dataclass(frozen=True, slots=True)
class Run:
    """What one invocation did: ``paused`` means it stopped before its deadline and the
    batch must be queued again to continue."""

    outcome: Outcome
    batch: VoucherBatch | None


def generate(
    store: BatchStore,
    events: EventStore,
    docs: DocumentStore,
    clock: Clock,
    batch_id: str,
    writers: int = 1,
) -> VoucherBatch | None:
    """Make the whole batch in this call (no deadline): its codes, then its Excel file."""
    return run(store, events, docs, clock, batch_id, writers=writers).batch


def run(
    store: BatchStore,
    events: EventStore,
    docs: DocumentStore,
    clock: Clock,
    batch_id: str,
    seconds_left: Callable[[], float] | None = None,
    announce: Callable[[VoucherBatch], None] | None = None,
    writers: int = 1,
    fan_out: BatchQueue | None = None,
    share: Chunks | None = None,
) -> Run:
    """Make the batch's codes, as many per commit as the store takes and ``writers`` commits
    at a time, then its Excel file, stopping (``paused``) while ``seconds_left()`` still
    leaves room for the next step.

    Resumes where an earlier attempt stopped: each chunk of codes is written together with
    its progress, and only the chunks not yet written are written. A code that exists already
    is drawn again; it is never lost and never shared.

    ``announce`` tells the exhibitor that the batch is ready: once the batch is finished, and
    again when a delivery finds it ready (the one before may have failed to announce it; the
    mailer drops a repeated request by its id, so the exhibitor gets one mail).

    With ``fan_out``, a batch above ``FAN_OUT_ABOVE`` codes is not written here: each share
    with chunks missing is queued as a message of its own (``fanned out``). A ``share`` run
    writes that share's missing chunks; the one that finds the whole batch written goes on
    to the Excel file (``share written`` otherwise). Of shares finishing together, the one
    whose claim of the file wins writes it; the others stop (``file elsewhere``).
    """
    batch = store.get_batch(batch_id)
    if batch is None or batch.status in ("ready", "failed"):
        if batch is not None and batch.status == "ready" and announce is not None:
            announce(batch)
        return Run("closed", batch)
    left = seconds_left or (lambda: float("inf"))
    big = batch.quantity > FAN_OUT_ABOVE and batch.generated < batch.quantity
    if big and share is None and fan_out is not None:
        for missing in _missing_shares(store, batch):
            fan_out.enqueue_batch(batch_id, missing)
        return Run("fanned out", batch)
    if batch.generated < batch.quantity:
        stopped = _write_codes(store, batch, clock, left, max(1, writers), share)
        if stopped == "taken over":
            # another delivery of the same batch is at work: leave it to that one
            logger.warning("voucher batch moved on elsewhere", extra={"batch_id": batch_id})
            return Run("taken over", store.get_batch(batch_id))
        if stopped == "paused":
            return _paused(batch, store, "codes")
        if share is not None:
            batch = store.get_batch(batch_id) or batch
            if batch.generated < batch.quantity:  # other shares are still at work
                return Run("share written", batch)
    if left() < FILE_SECONDS_BASE + FILE_SECONDS_PER_CODE * batch.quantity:
        return _paused(batch, store, "file")
    # one worker claims the file, and the batch says it is writing it (step "writing_file")
    now = clock.now()
    if not store.touch_batch(batch_id, now, stale=now - FILE_CLAIM_STALE):
        logger.info("voucher batch file claimed elsewhere", extra={"batch_id": batch_id})
        return Run("file elsewhere", store.get_batch(batch_id))
    write_batch_file(store, events, docs, batch)
    # ready and counted as issued in one write: a repeated delivery cannot count it twice
    finished = store.finish_batch(batch, clock.now())
    done = store.get_batch(batch_id)
    if finished and announce is not None and done is not None:
        announce(done)
    return Run("ready", done)


class _Writing:
    """What the writers of one run share: the slowest chunk so far, and why they stop."""

    def __init__(self, left: Callable[[], float]) -> None:
        self.left = left
        self.slowest = 0.0
        self.stopped: Literal["paused", "taken over", "failed"] | None = None
        self.lock = threading.Lock()

    def go_on(self) -> bool:
        with self.lock:
            if self.stopped is None and self.left() < 3 * self.slowest + 1:
                self.stopped = "paused"
            return self.stopped is None

    def took(self, seconds: float) -> None:
        with self.lock:
            self.slowest = max(self.slowest, seconds)

    def stop(self, why: Literal["paused", "taken over", "failed"]) -> None:
        with self.lock:
            self.stopped = self.stopped or why


def _write_codes(
    store: BatchStore,
    batch: VoucherBatch,
    clock: Clock,
    left: Callable[[], float],
    writers: int,
    share: Chunks | None = None,
) -> Literal["paused", "taken over", "failed"] | None:
    """Write the chunks (of ``share``) not yet written, ``writers`` at a time; None once all
    are written."""
    per_write = store.codes_per_write
    start, stop = share or (0, -(-batch.quantity // per_write))
    written = store.written_chunks(batch.batch_id) if batch.generated else set()
    missing = [chunk for chunk in range(start, stop) if chunk not in written]
    writing = _Writing(left)

    def write(chunk: int) -> None:
        if not writing.go_on():
            return
        started = time.monotonic()
        size = min(per_write, batch.quantity - chunk * per_write)
        try:
            _write_chunk(store, batch, chunk, [new_code() for _ in range(size)], clock)
        except ProgressMoved:
            writing.stop("taken over")
            return
        except BaseException:
            writing.stop("failed")  # the others stop too; the error is raised below
            raise
        writing.took(time.monotonic() - started)

    if writers == 1:
        for chunk in missing:
            write(chunk)
    else:
        # each writer in a copy of this context: the settings of the running function (and
        # anything else kept in context variables) hold in its threads too
        context = contextvars.copy_context()
        with ThreadPoolExecutor(writers, thread_name_prefix="code-writer") as pool:
            for _ in pool.map(lambda chunk: context.copy().run(write, chunk), missing):
                pass
    return writing.stopped


def _missing_shares(store: BatchStore, batch: VoucherBatch) -> list[Chunks]:
    """The shares of the batch that have chunks still to write."""
    per_write = store.codes_per_write
    chunks, per_share = -(-batch.quantity // per_write), max(1, SHARE_CODES // per_write)
    written = store.written_chunks(batch.batch_id) if batch.generated else set()
    shares = [(start, min(start + per_share, chunks)) for start in range(0, chunks, per_share)]
    return [(a, b) for a, b in shares if any(c not in written for c in range(a, b))]


def _write_chunk(
    store: BatchStore, batch: VoucherBatch, chunk: int, codes: list[str], clock: Clock
) -> None:
    for _ in range(CODE_ATTEMPTS):
        try:
            store.write_codes(batch, chunk, codes, at=clock.now())
            return
        except CodesTaken as taken:
            logger.warning("voucher codes drawn twice", extra={"count": len(taken.positions)})
            for position in taken.positions:
                codes[position] = new_code()
    raise RuntimeError("could not draw unique voucher codes")


def _paused(batch: VoucherBatch, store: BatchStore, before: str) -> Run:
    now = store.get_batch(batch.batch_id) or batch
    logger.warning(
        "voucher batch paused before the deadline; queued again to continue",
        extra={"batch_id": batch.batch_id, "generated": now.generated, "before": before},
    )
    return Run("paused", batch)


@dataclass(frozen=True, slots=True)
class Announcing:
    """What telling an exhibitor that its batch is ready needs."""

    access: AccessStore
    events: EventStore
    mail: MailQueue


def batch_ready_mail(deps: Announcing, batch: VoucherBatch) -> MailRequest | None:
    """The mail that tells the exhibitor its batch is ready: its label, how many codes, and
    where to download it; sent in the event's name (the organizer's), None without an
    exhibitor to tell."""
    exhibitor = deps.access.get_exhibitor(batch.exhibitor_id)
    fair = deps.events.get(batch.event_id)
    if exhibitor is None or fair is None:
        return None
    organizer = deps.access.get_organizer(fair.organizer_id)
    sender = (
        {"sender_name": organizer.name, "reply_to": str(organizer.contact_email or organizer.email)}
        if organizer
        else {}
    )
    return MailRequest(
        template="batch_ready",
        to=[str(exhibitor.email)],
        language=fair.language,
        request_id=f"batch-ready-{batch.batch_id}",
        context={
            **sender,
            "exhibitor_name": exhibitor.name,
            "event_name": fair.name,
            "label": batch.label or batch.batch_id,
            "quantity": str(batch.quantity),
            "batch_id": batch.batch_id,
        },
    )


def announce_ready(deps: Announcing) -> Callable[[VoucherBatch], None]:
    """``announce`` for :func:`run`: the batch-ready mail on the mail queue (a failure raises,
    so that the job's retry announces it again)."""

    def announce(batch: VoucherBatch) -> None:
        request = batch_ready_mail(deps, batch)
        if request is not None:
            deps.mail.enqueue(request)

    return announce


def give_up(store: BatchStore, clock: Clock, batch_id: str, reason: str) -> None:
    logger.error("voucher batch given up", extra={"batch_id": batch_id, "reason": reason})
    store.fail_batch(batch_id, clock.now(), reason)


@dataclass(frozen=True, slots=True)
class Rescue:
    stalled: int
    queued: int
    given_up: int


def rescue_stalled(
    store: BatchStore, queue: BatchQueue, clock: Clock, stalled_after: timedelta = STALLED_AFTER
) -> Rescue:
    """Queue again every pending or generating batch whose progress stopped for longer than
    ``stalled_after``; fail the ones rescued ``MAX_RESTARTS`` times without progress."""
    now = clock.now()
    stalled = store.stalled_batches(now - stalled_after)
    queued = given_up = 0
    for batch in stalled:
        since = batch.progress_at or batch.created_at
        if batch.restarts >= MAX_RESTARTS:
            give_up(
                store,
                clock,
                batch.batch_id,
                f"no progress since {since.isoformat()} after {batch.restarts} restarts",
            )
            given_up += 1
            count("VoucherBatchesGivenUp")
        elif store.restart_batch(batch, now):
            try:
                queue.enqueue_batch(batch.batch_id)
            except Exception:  # noqa: BLE001 - one batch must not stop the others' rescue
                # progress_at moved on: the next run tries this batch again
                logger.exception("stalled voucher batch not queued", extra={"id": batch.batch_id})
                continue
            logger.warning(
                "stalled voucher batch queued again",
                extra={
                    "batch_id": batch.batch_id,
                    "status": batch.status,
                    "generated": batch.generated,
                    "progress_at": since.isoformat(),
                    "restarts": batch.restarts + 1,
                },
            )
            queued += 1
            count("VoucherBatchesRestarted")
    return Rescue(stalled=len(stalled), queued=queued, given_up=given_up)

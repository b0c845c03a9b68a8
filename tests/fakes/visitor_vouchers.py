"""Visitor vouchers in memory: batches and their codes, vouchers one by one, the figures.

An issued voucher counts as on the live index (by its end): the expiry sweep and the
reminders read only those, as the sparse ``LIVE`` index of the DynamoDB store intends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

from tests.fakes.database import FakeDatabase, FakeTransactions, FakeWrite
from ticketing.domain.visitor_vouchers import (
    BatchExtension,
    Registration,
    ValidityChange,
    VisitorVoucher,
    VoucherBatch,
)
from ticketing.services.ports import CodesTaken, Part, ProgressMoved, WriteRefused

CODES_PER_WRITE = 98  # as the DynamoDB store; a test may choose fewer


def _utc_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FakeBatchStore:
    def __init__(self, db: FakeDatabase, codes_per_write: int = CODES_PER_WRITE) -> None:
        self.db = db
        self.codes_per_write = codes_per_write
        self._writing = threading.Lock()  # the worker writes chunks from several threads

    def add_batch(self, batch: VoucherBatch, also: Sequence[Part] = ()) -> None:
        bid = batch.batch_id

        def put() -> None:
            opened = batch.progress_at or batch.created_at
            self.db.batches[bid] = batch.model_copy(update={"progress_at": opened})

        new = FakeWrite(("batch", bid), lambda: bid not in self.db.batches, put)
        FakeTransactions(self.db).commit([Part("batch", new), *also])

    def get_batch(self, batch_id: str) -> VoucherBatch | None:
        return self.db.batches.get(batch_id)

    def list_batches(self, exhibitor_id: str) -> list[VoucherBatch]:
        """Every batch of the exhibitor, newest first."""
        found = [b for b in self.db.batches.values() if b.exhibitor_id == exhibitor_id]
        return sorted(found, key=lambda b: f"{b.created_at.isoformat()}#{b.batch_id}", reverse=True)

    def _change(
        self, batch_id: str, holds: Callable[[VoucherBatch], bool], **update: object
    ) -> FakeWrite:
        def check() -> bool:
            stored = self.db.batches.get(batch_id)
            return stored is not None and holds(stored)

        def apply() -> None:
            self.db.batches[batch_id] = self.db.batches[batch_id].model_copy(update=update)

        return FakeWrite(("batch", batch_id), check, apply)

    def fail_batch(self, batch_id: str, at: datetime, reason: str) -> None:
        """Failed, with the reason; never a ready batch (``WriteRefused`` then)."""
        change = self._change(
            batch_id,
            lambda b: b.status != "ready",
            status="failed",
            failure=reason[:500],
            failed_at=at,
        )
        self.db.write("batch", change)

    def finish_batch(self, batch: VoucherBatch, at: datetime) -> bool:
        """Ready, and its codes counted as issued, once; False if it was ready."""
        ready = self._change(
            batch.batch_id, lambda b: b.status != "ready", status="ready", ready_at=at
        )

        def issued() -> None:
            self.db.count(batch.exhibitor_id, "issued", batch.quantity)

        counted = FakeWrite(("figures", batch.exhibitor_id), apply=issued)
        try:
            FakeTransactions(self.db).commit([Part("batch", ready), Part("figures", counted)])
        except WriteRefused:
            return False
        return True

    def write_codes(
        self, batch: VoucherBatch, chunk: int, codes: Sequence[str], at: datetime | None = None
    ) -> None:
        """Take ``codes`` as part ``chunk`` and add them to the progress at once, chunks in any
        order: ``ProgressMoved`` when the chunk is written (or the batch closed),
        ``CodesTaken`` with the positions of codes that exist. Safe from several threads."""
        db, bid, listed = self.db, batch.batch_id, (batch.batch_id, chunk)
        moved: dict[str, object] = {} if at is None else {"progress_at": at, "restarts": 0}

        def open_batch() -> bool:
            stored = db.batches.get(bid)
            return stored is not None and stored.status not in ("ready", "failed")

        def progress() -> None:
            stored = db.batches[bid]
            started = {"started_at": stored.started_at or at} if at is not None else {}
            db.batches[bid] = stored.model_copy(
                update={
                    "generated": stored.generated + len(codes),
                    "status": "generating",
                    **moved,
                    **started,
                }
            )

        def listing() -> None:
            db.batch_codes[listed] = list(codes)

        parts = [
            Part("progress", FakeWrite(("batch", bid), open_batch, progress)),
            Part(
                "listing",
                FakeWrite(("codes", *listed), lambda: listed not in db.batch_codes, listing),
            ),
        ]
        for position, code in enumerate(codes):
            parts.append(Part(f"code {position}", _new_voucher(db, batch, code)))
        try:
            with self._writing:
                FakeTransactions(db).commit(parts)
        except WriteRefused as refused:
            if {"progress", "listing"} & set(refused.labels):
                raise ProgressMoved() from None
            raise CodesTaken([int(label.split()[1]) for label in refused.labels]) from None

    def written_chunks(self, batch_id: str) -> set[int]:
        return {chunk for bid, chunk in list(self.db.batch_codes) if bid == batch_id}

    def touch_batch(self, batch_id: str, at: datetime, stale: datetime | None = None) -> bool:
        """Claim the file: only an open batch, unclaimed or claimed before ``stale``."""
        with self._writing:  # two shares may claim at once
            stored = self.db.batches.get(batch_id)
            if stored is None or stored.status not in ("pending", "generating"):
                return False
            since = stored.step_at if stored.step == "writing_file" else None
            if since is not None and (stale is None or _utc_key(since) >= _utc_key(stale)):
                return False
            self.db.batches[batch_id] = stored.model_copy(
                update={"progress_at": at, "step": "writing_file", "step_at": at}
            )
            return True

    def stalled_batches(self, before: datetime, limit: int = 100) -> list[VoucherBatch]:
        """Open batches (pending, generating) whose progress is older than ``before``."""
        stalled = [
            b
            for b in self.db.batches.values()
            if b.status in ("pending", "generating") and _progress(b) < _utc_key(before)
        ]
        return sorted(stalled, key=_progress)[:limit]

    def restart_batch(self, batch: VoucherBatch, at: datetime) -> bool:
        seen = _progress(batch)
        change = self._change(
            batch.batch_id,
            lambda b: b.status in ("pending", "generating") and _progress(b) == seen,
            progress_at=at,
            restarts=batch.restarts + 1,
        )
        try:
            self.db.write("batch", change)
        except WriteRefused:
            return False
        return True

    def batch_codes(self, batch_id: str) -> Iterator[str]:
        for key in sorted(k for k in self.db.batch_codes if k[0] == batch_id):
            yield from self.db.batch_codes[key]

    def set_batch_end(self, batch_id: str, valid_until: datetime) -> None:
        self.db.write("batch", self._change(batch_id, lambda b: True, valid_until=valid_until))

    def start_extension(
        self, batch_id: str, extension: BatchExtension, stale_before: datetime
    ) -> bool:
        def free(batch: VoucherBatch) -> bool:
            running = batch.extension
            return batch.status in ("ready", "failed") and (
                running is None
                or running.state != "running"
                or _utc_key(running.progress_at) < _utc_key(stale_before)
            )

        try:
            self.db.write("batch", self._change(batch_id, free, extension=extension))
        except WriteRefused:
            return False
        return True

    def chunk_codes(self, batch_id: str, chunk: int) -> list[str]:
        return list(self.db.batch_codes.get((batch_id, chunk), []))

    def move_extension(self, batch_id: str, seen: BatchExtension, now: BatchExtension) -> None:
        def same(batch: VoucherBatch) -> bool:
            stored = batch.extension
            return (
                stored is not None
                and stored.job_id == seen.job_id
                and stored.next_chunk == seen.next_chunk
                and stored.state == "running"
            )

        ends: dict[str, object] = {"valid_until": now.valid_until} if now.state == "done" else {}
        try:
            self.db.write("batch", self._change(batch_id, same, extension=now, **ends))
        except WriteRefused:
            raise ProgressMoved() from None

    def stalled_extensions(self, before: datetime, limit: int = 100) -> list[VoucherBatch]:
        def moved(batch: VoucherBatch) -> str:
            assert batch.extension is not None
            return f"{_utc_key(batch.extension.progress_at)}#{batch.batch_id}"

        running = [
            b
            for b in self.db.batches.values()
            if b.extension is not None
            and b.extension.state == "running"
            and moved(b) < f"{_utc_key(before)}#"
        ]
        return sorted(running, key=moved)[:limit]


def _progress(batch: VoucherBatch) -> str:
    return _utc_key(batch.progress_at or batch.created_at)


def _new_voucher(db: FakeDatabase, batch: VoucherBatch, code: str) -> FakeWrite:
    voucher = VisitorVoucher(
        code=code,
        batch_id=batch.batch_id,
        organizer_id=batch.organizer_id,
        event_id=batch.event_id,
        exhibitor_id=batch.exhibitor_id,
        valid_from=batch.valid_from or batch.created_at,
        valid_until=batch.valid_until,
        state="issued",
    )

    def put() -> None:
        db.vouchers[code] = voucher

    return FakeWrite(("voucher", code), lambda: code not in db.vouchers, put)


class FakeVisitorVoucherStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self._read = 0

    def get_voucher(self, code: str) -> VisitorVoucher | None:
        return self.db.vouchers.get(code)

    def registration(
        self, voucher: VisitorVoucher, registration: Registration, claimant: str, namesake: str
    ) -> list[Part]:
        """``voucher`` (still issued), ``claim`` (one voucher ticket per mailbox and event) and
        ``namesake`` (created by the first under it; a possible duplicate joins it)."""
        db, code, claim = self.db, voucher.code, (voucher.event_id, claimant)
        named = (voucher.event_id, namesake)
        duplicate = registration.possible_duplicate

        def named_so_far() -> bool:
            return (named in db.namesakes) == duplicate

        def name() -> None:
            db.namesakes.setdefault(named, []).append(code)

        def issued() -> bool:
            stored = db.vouchers.get(code)
            return stored is not None and stored.state == "issued"

        def redeem() -> None:
            db.vouchers[code] = db.vouchers[code].model_copy(
                update={"state": "redeemed", "registration": registration}
            )

        def take() -> None:
            db.claims[claim] = {"code": code, "order_number": registration.order_number}

        return [
            Part("voucher", FakeWrite(("voucher", code), issued, redeem)),
            Part("claim", FakeWrite(("claim", *claim), lambda: claim not in db.claims, take)),
            Part("namesake", FakeWrite(("namesake", *named), named_so_far, name)),
        ]

    def namesake(self, event_id: str, namesake: str) -> str | None:
        codes = self.db.namesakes.get((event_id, namesake))
        return codes[0] if codes else None

    def mark_possible_duplicate(self, code: str) -> None:
        with self.db.lock:
            stored = self.db.vouchers.get(code)
            if stored is None or stored.registration is None:
                return
            flagged = stored.registration.model_copy(update={"possible_duplicate": True})
            self.db.vouchers[code] = stored.model_copy(update={"registration": flagged})

    def redemptions(self, exhibitor_id: str) -> Iterator[VisitorVoucher]:
        found = [
            (f"{v.registration.redeemed_at.isoformat()}#{v.code}", v)
            for v in self.db.vouchers.values()
            if v.exhibitor_id == exhibitor_id and v.registration is not None
        ]
        found.sort(key=lambda row: row[0])
        self._read += len(found)
        yield from (v for _, v in found)

    def extend(self, voucher: VisitorVoucher, valid_until: datetime, at: datetime, by: str) -> bool:
        """A new end (an expired voucher is issued again); False if it was redeemed."""
        change = ValidityChange(previous=voucher.valid_until, current=valid_until, at=at, by=by)
        with self.db.lock:
            stored = self.db.vouchers.get(voucher.code)
            if stored is None or stored.state == "redeemed":
                return False
            self.db.vouchers[voucher.code] = stored.model_copy(
                update={
                    "valid_until": valid_until,
                    "state": "issued",
                    "expired_at": None,
                    "validity_changes": [*stored.validity_changes, change],
                }
            )
            return True

    def get_vouchers(self, codes: Sequence[str]) -> dict[str, VisitorVoucher]:
        """The vouchers of ``codes`` that exist, by code (the store reads 100 at a time)."""
        with self.db.lock:
            found = (self.db.vouchers.get(code) for code in dict.fromkeys(codes))
            return {v.code: v for v in found if v is not None}

    def extend_vouchers(
        self, vouchers: Sequence[VisitorVoucher], valid_until: datetime, at: datetime, by: str
    ) -> int:
        """Each voucher's new end, each only if not redeemed and not at that end already
        (then counted, not written again); how many are at that end now."""
        extended = 0
        with self.db.lock:
            for voucher in vouchers:
                stored = self.db.vouchers.get(voucher.code)
                if stored is None or stored.state == "redeemed":
                    continue
                extended += 1
                if stored.state == "issued" and stored.valid_until == valid_until:
                    continue  # another walk got there meanwhile
                change = ValidityChange(
                    previous=voucher.valid_until, current=valid_until, at=at, by=by
                )
                self.db.vouchers[voucher.code] = stored.model_copy(
                    update={
                        "valid_until": valid_until,
                        "state": "issued",
                        "expired_at": None,
                        "validity_changes": [*stored.validity_changes, change],
                    }
                )
        return extended

    def _live(self, low: str, high: str) -> list[VisitorVoucher]:
        """Issued vouchers whose end key (end, then code) is in [low, high], by end."""
        rows = [
            (f"{_utc_key(v.valid_until)}#{v.code}", v)
            for v in self.db.vouchers.values()
            if v.state == "issued"
        ]
        chosen = sorted((row for row in rows if low <= row[0] <= high), key=lambda row: row[0])
        self._read += len(chosen)
        return [v for _, v in chosen]

    def due(self, now: datetime) -> Iterator[tuple[str, str]]:
        """(code, end) of every issued voucher whose end is ``now`` or earlier."""
        for voucher in self._live("0", f"{_utc_key(now)}#~"):  # codes sort below "~"
            yield voucher.code, _utc_key(voucher.valid_until)

    def expire(self, codes: Sequence[str], now: datetime) -> int:
        """Issued -> expired for ``codes`` whose end has passed; each at most once."""
        expired = 0
        with self.db.lock:
            for code in codes:
                stored = self.db.vouchers.get(code)
                if stored is not None and stored.state == "issued" and stored.valid_until <= now:
                    self.db.vouchers[code] = stored.model_copy(
                        update={"state": "expired", "expired_at": now}
                    )
                    expired += 1
        return expired

    def ending_between(self, start: datetime, end: datetime) -> Iterator[dict[str, str]]:
        """Issued vouchers whose end falls in [start, end)."""
        for v in self._live(_utc_key(start), f"{_utc_key(end)}#"):
            yield {"code": v.code, "batch_id": v.batch_id, "exhibitor_id": v.exhibitor_id}

    @property
    def read_items(self) -> int:
        return self._read


class FakeExhibitorFigures:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def figures(self, exhibitor_id: str) -> dict[str, int]:
        counted = self.db.figures.get(exhibitor_id, {})
        return {name: counted.get(name, 0) for name in ("issued", "redeemed", "used")}

    def counted(self, exhibitor_id: str, figure: str, by: int) -> Part:
        def add() -> None:
            self.db.count(exhibitor_id, figure, by)

        return Part("figures", FakeWrite(("figures", exhibitor_id), apply=add))


class FakeBatchQueue:
    """Batches waiting for the worker; ``down`` makes the queue refuse them."""

    def __init__(self) -> None:
        self.batch_ids: list[str] = []
        self.shares: list[tuple[str, tuple[int, int]]] = []  # (batch id, chunks) of shares
        self.down = False
        self.extensions: list[tuple[str, str]] = []  # (batch id, job id) of extension jobs

    def enqueue_extension(self, batch_id: str, job_id: str) -> None:
        if self.down:
            raise ConnectionError("the batch queue cannot be reached")
        self.extensions.append((batch_id, job_id))

    def enqueue_batch(self, batch_id: str, chunks: tuple[int, int] | None = None) -> None:
        if self.down:
            raise ConnectionError("the batch queue cannot be reached")
        if chunks is None:
            self.batch_ids.append(batch_id)
        else:
            self.shares.append((batch_id, chunks))

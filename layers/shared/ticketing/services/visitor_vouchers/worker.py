"""The batch worker: a batch's codes, then its Excel file (seed 000)."""

from __future__ import annotations

from ticketing.clock import Clock
from ticketing.domain.visitor_vouchers import VoucherBatch
from ticketing.domain.voucher_codes import new_code
from ticketing.observability import logger
from ticketing.services.ports import BatchStore, CodesTaken, DocumentStore, EventStore
from ticketing.services.visitor_vouchers.batches import write_batch_file

CODE_ATTEMPTS = 5


def generate(
    store: BatchStore, events: EventStore, docs: DocumentStore, clock: Clock, batch_id: str
) -> VoucherBatch | None:
    """Make the batch's codes, as many per commit as the store takes, then its Excel file.

    Resumes where an earlier attempt stopped: progress and codes are written together. A code
    that exists already is drawn again; it is never lost and never shared.
    """
    batch = store.get_batch(batch_id)
    if batch is None or batch.status in ("ready", "failed"):
        return batch
    per_write = store.codes_per_write
    generated = batch.generated
    chunk = -(-generated // per_write)
    while generated < batch.quantity:
        codes = [new_code() for _ in range(min(per_write, batch.quantity - generated))]
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
    write_batch_file(store, events, docs, batch)
    # ready and counted as issued in one write: a repeated delivery cannot count it twice
    store.finish_batch(batch, clock.now())
    return store.get_batch(batch_id)


def give_up(store: BatchStore, clock: Clock, batch_id: str, reason: str) -> None:
    store.fail_batch(batch_id, clock.now(), reason)

"""Scheduled, every five minutes: voucher batches whose progress stopped are queued again.

It reads the sparse "open batches" partition by last progress, not the table. A rescue is a
conditional write on the batch, so two runs (or a run and a live worker) cannot double it;
a repeated message is harmless, the worker resumes from the batch's progress.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.mail_queue import SqsBatchQueue
from ticketing.adapters.voucher_batch_store import DynamoBatchStore
from ticketing.observability import logger, metered
from ticketing.services.visitor_vouchers import worker

store = DynamoBatchStore()
queue = SqsBatchQueue()


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    rescue = worker.rescue_stalled(store, queue, clock.current())
    logger.info(
        "stalled voucher batches",
        extra={"stalled": rescue.stalled, "queued": rescue.queued, "given_up": rescue.given_up},
    )
    return {"stalled": rescue.stalled, "queued": rescue.queued, "given_up": rescue.given_up}

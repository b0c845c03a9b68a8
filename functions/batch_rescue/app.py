"""Scheduled, every five minutes: voucher batches whose progress stopped are queued again, and
so are validity extensions of a batch whose last step is five minutes old.

It reads the sparse "open batches" and "open extensions" partitions by last progress, not the
table. A rescue is a conditional write on the batch (or its extension job), so two runs (or a
run and a live worker) cannot double it; a repeated message is harmless, the worker resumes
from the recorded progress.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.extension_queue import SqsExtensionQueue
from ticketing.adapters.mail_queue import SqsBatchQueue
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.adapters.voucher_batch_store import DynamoBatchStore
from ticketing.observability import logger, metered
from ticketing.services.visitor_vouchers import extension, worker

store = DynamoBatchStore()
queue = SqsBatchQueue()
vouchers = DynamoVisitorVoucherStore()
extensions = SqsExtensionQueue()


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    now = clock.current()
    rescue = worker.rescue_stalled(store, queue, now)
    jobs = extension.rescue_stalled(extension.Walking(vouchers, store, now), extensions)
    figures = {
        "stalled": rescue.stalled,
        "queued": rescue.queued,
        "given_up": rescue.given_up,
        "extensions_stalled": jobs.stalled,
        "extensions_queued": jobs.queued,
        "extensions_given_up": jobs.given_up,
    }
    logger.info("stalled voucher batches and extensions", extra=figures)
    return figures

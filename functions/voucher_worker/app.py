"""Voucher batch worker: makes a batch's codes and its Excel file, resuming after a stop.

One failed batch does not fail the others of its SQS batch (partial batch response). On the
last delivery the batch is marked failed with the reason, so the exhibitor sees it.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.voucher_batch_store import DynamoBatchStore
from ticketing.observability import logger, metered
from ticketing.services.visitor_vouchers import worker

processor = BatchProcessor(event_type=EventType.SQS)
store = DynamoBatchStore()
events = DynamoEventStore()
docs = S3DocumentStore()
LAST_DELIVERY = 3  # the queue's maxReceiveCount


def record_handler(record: SQSRecord) -> None:
    batch_id = str(json.loads(record.body)["batch_id"])
    try:
        batch = worker.generate(store, events, docs, clock.current(), batch_id)
    except Exception as error:
        if int(record.attributes.approximate_receive_count) >= LAST_DELIVERY:
            worker.give_up(store, clock.current(), batch_id, f"{type(error).__name__}: {error}")
        raise
    logger.info(
        "voucher batch handled",
        extra={"batch_id": batch_id, "status": batch.status if batch else None},
    )


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )

"""Bulk issue queue consumer (seed 004): issues one chunk of a list's rows per message and
queues the next chunk; a redelivered message finds its chunk done and does nothing."""

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
from ticketing.adapters.gift_bulk_store import DynamoBulkStore, S3GiftFiles, SqsBulkQueue
from ticketing.adapters.gift_store import DynamoCampaignStore, DynamoGiftVoucherStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.person_index import DynamoPersonIndex
from ticketing.adapters.sns_sms import SnsSmsSender
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.observability import logger, metered
from ticketing.services.gift_vouchers import bulk, delivery, issuing

processor = BatchProcessor(event_type=EventType.SQS)
campaigns = DynamoCampaignStore()
gifts = DynamoGiftVoucherStore()
transactions = DynamoTransactions()
sms = SnsSmsSender()
mail = SqsMailQueue()
bulks = DynamoBulkStore()
queue = SqsBulkQueue()
files = S3GiftFiles()
people = DynamoPersonIndex()  # issue 17: each recipient's entry, with the voucher


def record_handler(record: SQSRecord) -> None:
    body = json.loads(record.body)
    now = clock.current()
    desk = bulk.BulkDesk(
        issuing.IssueDesk(campaigns, gifts, transactions, now, people),
        delivery.Delivery(gifts, sms, mail, now),
        bulks,
        queue,
        files,
    )
    more = bulk.work(desk, str(body["bulk_id"]), int(body["start_row"]))
    logger.info("bulk chunk", extra={"bulk_id": body["bulk_id"], "more": more})


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )

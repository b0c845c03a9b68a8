"""Notification fan-out worker (issue 15 item 3): walks an approved notification's event
orders page by page and queues one mail per order address, stopping before the deadline and
queueing itself again; a redelivered message finds its pages claimed and queues nothing twice.
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
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.consent_store import DynamoConsentStore, DynamoSuppressionStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.notification_store import DynamoNotificationStore, SqsNotificationQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.outbox import DynamoOutbox
from ticketing.adapters.registrant_pages import DynamoRegistrantPages
from ticketing.observability import logger, metered
from ticketing.services import mail_policy, notification_fanout

processor = BatchProcessor(event_type=EventType.SQS)
store = DynamoNotificationStore()
queue = SqsNotificationQueue()
events = DynamoEventStore()
access = DynamoAccessStore()
orders = DynamoOrderStore()
mail = SqsMailQueue()
policy = mail_policy.MailPolicy(DynamoConsentStore(), DynamoSuppressionStore())
outbox = DynamoOutbox()  # a page's mails are committed with its claim, then handed over
registrants = DynamoRegistrantPages()  # an exhibitor's registrants (issue 16 item 5)
# stop this long before Lambda's deadline: time to queue the rest and answer
DEADLINE_MARGIN_SECONDS = 5


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    notification_id = str(json.loads(record.body)["notification_id"])

    def seconds_left() -> float:
        return lambda_context.get_remaining_time_in_millis() / 1000 - DEADLINE_MARGIN_SECONDS

    deps = notification_fanout.Fanning(
        store,
        events,
        access,
        orders,
        mail,
        policy,
        clock.current(),
        outbox,
        registrants=registrants,
        headers=orders,
    )
    walked = notification_fanout.walk(deps, notification_id, seconds_left)
    if walked == "paused":
        queue.enqueue_notification(notification_id)
    logger.info("notification fan-out", extra={"id": notification_id, "outcome": walked})


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )

"""Mail queue consumer: renders and sends each requested mail through SES.

A failed message is reported back alone (partial batch response) and retried by SQS; after
the queue's receive limit it lands in the dead-letter queue, from where the redrive schedule
brings it back. Nothing is dropped.
"""

from __future__ import annotations

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
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.sent_mail_log import DynamoSentMailLog
from ticketing.adapters.ses_mailer import SesMailer
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import Attachment
from ticketing.observability import logger, metered
from ticketing.services import confirmations
from ticketing.services.mail import deliver
from ticketing.settings import settings

processor = BatchProcessor(event_type=EventType.SQS)
mailer = SesMailer()
sent_log = DynamoSentMailLog()
orders = DynamoOrderStore()
events = DynamoEventStore()
docs = S3DocumentStore()


def compose(request: MailRequest) -> tuple[dict[str, Any], list[Attachment]]:
    return confirmations.compose(orders, events, docs, settings().public_base_url, request)


def record_handler(record: SQSRecord) -> None:
    request = MailRequest.model_validate_json(record.body)
    sent = deliver(mailer, sent_log, clock.current(), request, compose)
    logger.info("mail request handled", extra={"template": request.template, "sent": sent})


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )

"""Mail queue consumer: renders and sends each requested mail through SES.

A message that failed for a reason that may pass (SES throttling, an outage) is reported back
alone (partial batch response) and retried by SQS; after the queue's receive limit it lands
in the dead-letter queue, from where the redrive schedule brings it back. A mail that no try
would send (it cannot be rendered, its address is refused) is parked with its reason, shown
on its order and alarmed (``MailsFailed``), and its message consumed. Nothing is dropped.
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
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.consent_store import (
    DynamoConsentStore,
    DynamoMailTokens,
    DynamoSuppressionStore,
)
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.mail_failures import DynamoMailFailures
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.person_index import DynamoPersonIndex
from ticketing.adapters.sent_mail_log import DynamoSentMailLog
from ticketing.adapters.ses_mailer import SesMailer
from ticketing.adapters.withheld_mails import DynamoWithheldMails
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import Attachment
from ticketing.observability import logger, metered
from ticketing.services import confirmations
from ticketing.services.mail import deliver
from ticketing.services.mail_policy import Enforcement, MailPolicy
from ticketing.settings import settings

processor = BatchProcessor(event_type=EventType.SQS)
mailer = SesMailer()
sent_log = DynamoSentMailLog()
failures = DynamoMailFailures()
orders = DynamoOrderStore()
events = DynamoEventStore()
docs = S3DocumentStore()
access = DynamoAccessStore()
people = DynamoPersonIndex()  # issue 17: each sent mail is recorded under its recipient
# issue 15: every mail passes the mail policy here, the one place no path bypasses
enforcement = Enforcement(
    MailPolicy(DynamoConsentStore(), DynamoSuppressionStore()),
    DynamoMailTokens(),
    DynamoWithheldMails(),
)


def compose(request: MailRequest) -> tuple[dict[str, Any], list[Attachment]]:
    if request.template == "gift_voucher":
        from ticketing.services.gift_vouchers.delivery import qr_attachment

        return dict(request.context), [qr_attachment(request.context["code"])]
    deps = confirmations.Composing(
        orders, events, docs, access, clock.current(), settings().public_base_url
    )
    return confirmations.compose(deps, request)


def record_handler(record: SQSRecord) -> None:
    request = MailRequest.model_validate_json(record.body)
    sent = deliver(
        mailer, sent_log, clock.current(), request, compose, failures, enforcement, people
    )
    logger.info(
        "mail request handled",
        extra={"template": request.template, "mail_class": request.mail_class, "sent": sent},
    )


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )

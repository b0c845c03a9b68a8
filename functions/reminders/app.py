"""Scheduled, daily: reminders to ticket holders (the day before) and to exhibitors (a week
before their unredeemed vouchers end). Each reminder goes out once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.consent_store import DynamoConsentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.sent_mail_log import DynamoReminderLog
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.adapters.voucher_batch_store import DynamoBatchStore
from ticketing.observability import logger, metered
from ticketing.services.reminders import Reminding, send_reminders

events = DynamoEventStore()
orders = DynamoOrderStore()
vouchers = DynamoVisitorVoucherStore()
batches = DynamoBatchStore()
access = DynamoAccessStore()
log = DynamoReminderLog()
mail = SqsMailQueue()
consents = DynamoConsentStore()


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    sent = send_reminders(
        Reminding(events, orders, vouchers, batches, access, log, mail, clock.current(), consents)
    )
    logger.info("reminders sent", extra=asdict(sent))
    return asdict(sent)

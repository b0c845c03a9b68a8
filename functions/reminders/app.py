"""Scheduled, daily: reminders to ticket holders (the day before) and to exhibitors (a week
before their unredeemed vouchers end). Each reminder goes out once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.sent_mail_log import DynamoReminderLog
from ticketing.adapters.voucher_store import DynamoVoucherStore
from ticketing.observability import logger
from ticketing.services.reminders import send_reminders

events = DynamoEventStore()
orders = DynamoOrderStore()
vouchers = DynamoVoucherStore()
access = DynamoAccessStore()
log = DynamoReminderLog()
mail = SqsMailQueue()
metrics = Metrics(service="ticketing")


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    sent = send_reminders(events, orders, vouchers, access, log, mail, clock.current())
    metrics.add_metric(
        name="RemindersSent", unit=MetricUnit.Count, value=sent.holders + sent.exhibitors
    )
    logger.info("reminders sent", extra=asdict(sent))
    return asdict(sent)

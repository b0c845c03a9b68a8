"""Scheduled, hourly: every issued voucher whose end has passed becomes expired.

It reads the sparse index of live vouchers by end time, not the table; each voucher ends in
exactly one state, decided by conditional writes, so running it twice changes nothing more.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.voucher_store import DynamoVoucherStore
from ticketing.observability import logger
from ticketing.services import vouchers

store = DynamoVoucherStore()
metrics = Metrics(service="ticketing")


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    sweep = vouchers.expire_due(store, clock.current())
    metrics.add_metric(name="VouchersExpired", unit=MetricUnit.Count, value=sweep.expired)
    logger.info(
        "vouchers expired",
        extra={"expired": sweep.expired, "due": sweep.due, "index_items_read": sweep.read},
    )
    return {"expired": sweep.expired, "due": sweep.due, "index_items_read": sweep.read}

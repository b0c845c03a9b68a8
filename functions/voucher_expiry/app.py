"""Scheduled, hourly: every issued voucher whose end has passed becomes expired.

It reads the sparse index of live vouchers by end time, not the table; each voucher ends in
exactly one state, decided by conditional writes, so running it twice changes nothing more.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.observability import logger, metered
from ticketing.services.visitor_vouchers import validity

store = DynamoVisitorVoucherStore()


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    sweep = validity.expire_due(store, clock.current())
    logger.info(
        "vouchers expired",
        extra={"expired": sweep.expired, "due": sweep.due, "index_items_read": sweep.read},
    )
    return {"expired": sweep.expired, "due": sweep.due, "index_items_read": sweep.read}

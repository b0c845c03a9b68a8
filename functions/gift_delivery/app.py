"""Scheduled: gift vouchers whose SMS or mail did not go out when they were issued (SNS or
the mail queue failed) are delivered now; the voucher itself was committed long before."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.gift_store import DynamoGiftVoucherStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.sns_sms import SnsSmsSender
from ticketing.observability import logger, metered
from ticketing.services.gift_vouchers import delivery

gifts = DynamoGiftVoucherStore()
sms = SnsSmsSender()
mail = SqsMailQueue()


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    delivered = delivery.sweep(delivery.Delivery(gifts, sms, mail, clock.current()))
    logger.info("gift deliveries swept", extra={"delivered": delivered})
    return {"delivered": delivered}

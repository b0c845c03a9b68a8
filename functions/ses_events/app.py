"""SES bounce and complaint reports, through SNS: a permanent bounce or a complaint
suppresses the address (issue 15); the mailer sends it nothing more."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.consent_store import DynamoSuppressionStore
from ticketing.observability import logger, metered
from ticketing.services.suppression import record_sns_message

suppressions = DynamoSuppressionStore()


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    suppressed = 0
    for record in event.get("Records", []):
        sns = record.get("Sns") or {}
        suppressed += record_sns_message(
            suppressions, clock.current(), str(sns.get("Message", "")), str(sns.get("MessageId"))
        )
    return {"suppressed": suppressed}

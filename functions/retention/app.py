"""Scheduled, daily (issue 17): every order of an event ``retention_days`` after it ended
loses its customer, unless the event is on legal hold; what it did goes to the log and, as
metrics, to CloudWatch."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.privacy_desks import retention_desk
from ticketing.observability import count, logger, metered
from ticketing.services.retention import run_retention


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = run_retention(retention_desk(), clock.current().now())
    count("RetentionEvents", len(run.events))
    count("RetentionOrders", run.counts["orders"])
    logger.info(
        "retention done",
        extra={"events": run.events, "held": run.held, "counts": run.counts},
    )
    return {"events": run.events, "held": run.held, "counts": run.counts}

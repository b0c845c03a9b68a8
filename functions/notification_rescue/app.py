"""Scheduled, every five minutes: approved notifications whose fan-out stopped (SQS refused the
message after the approval, or a worker's message ran out of deliveries) are queued again.

It reads the review queue's partitions of the states ``approved`` and ``sending`` (oldest
progress first), not the table; each rescue is a write conditional on the notification's
version (``services/notification_rescue.py``).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.notification_store import DynamoNotificationStore, SqsNotificationQueue
from ticketing.observability import logger, metered
from ticketing.services import notification_rescue

store = DynamoNotificationStore()
queue = SqsNotificationQueue()


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    rescued = notification_rescue.rescue_stalled(store, queue, clock.current())
    figures = {"stalled": rescued.stalled, "queued": rescued.queued}
    logger.info("stalled notifications", extra=figures)
    return figures

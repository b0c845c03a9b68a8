"""Scheduled: moves mail that exhausted its retries from the dead-letter queue back to work.

SES outages pass; a confirmation must still arrive. Each message carries how often it was
redriven; past ``MAX_REDRIVES`` it stays in the dead-letter queue for a person to look at.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing.adapters.mail_queue import redrive_dead_letters
from ticketing.observability import logger


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    moved, kept = redrive_dead_letters()
    logger.info("mail redrive", extra={"moved": moved, "kept": kept})
    return {"moved": moved, "kept": kept}

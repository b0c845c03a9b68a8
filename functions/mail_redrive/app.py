"""Scheduled: brings mail that did not go out back to work.

- Mail requests that exhausted their retries move from the dead-letter queue back to the mail
  queue (SES outages pass; a confirmation must still arrive). Past ``MAX_REDRIVES`` a message
  stays in the dead-letter queue for a person to look at.
- Confirmations whose order was written but whose request never reached the queue (the
  booking's pending-mail entry is still there after two minutes) are queued now.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing import clock
from ticketing.adapters.mail_queue import SqsMailQueue, redrive_dead_letters
from ticketing.adapters.outbox import DynamoOutbox
from ticketing.observability import logger, metered
from ticketing.services.recovery import queue_pending_mail

outbox = DynamoOutbox()
mail = SqsMailQueue()


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    moved, kept = redrive_dead_letters()
    queued = queue_pending_mail(outbox, mail, clock.current())
    logger.info("mail redrive", extra={"moved": moved, "kept": kept, "queued": queued})
    return {"moved": moved, "kept": kept, "queued": queued}

"""Jobs that walk a whole voucher batch wait on the batch queue (SQS), as its codes do."""

from __future__ import annotations

import json

from ticketing.adapters import aws
from ticketing.settings import settings


class SqsExtensionQueue:
    """A batch's validity extension for the batch worker: ``{"batch_id", "extension"}``."""

    def enqueue_extension(self, batch_id: str, job_id: str) -> None:
        body = {"batch_id": batch_id, "extension": job_id}
        aws.sqs().send_message(
            QueueUrl=settings().voucher_batch_queue_url, MessageBody=json.dumps(body)
        )

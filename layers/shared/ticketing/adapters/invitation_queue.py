"""An exhibitor's invitation list waits on the batch queue (SQS) for the batch worker."""

from __future__ import annotations

import json

from ticketing.adapters import aws
from ticketing.settings import settings


class SqsInvitationQueue:
    """``{"batch_id", "invitations": job_id}`` for the batch worker."""

    def enqueue_invitations(self, batch_id: str, job_id: str) -> None:
        body = {"batch_id": batch_id, "invitations": job_id}
        aws.sqs().send_message(
            QueueUrl=settings().voucher_batch_queue_url, MessageBody=json.dumps(body)
        )

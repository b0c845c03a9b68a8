"""The mail queue (SQS): use cases ask for mail here; the mailer function sends it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ticketing.adapters import aws
from ticketing.settings import settings

if TYPE_CHECKING:
    from ticketing.mail.messages import MailRequest


class SqsMailQueue:
    def __init__(self, queue_url: str | None = None) -> None:
        self._queue_url = queue_url

    def enqueue(self, request: MailRequest) -> None:
        aws.sqs().send_message(
            QueueUrl=self._queue_url or settings().mail_queue_url,
            MessageBody=request.model_dump_json(),
        )


class SqsBatchQueue:
    """Voucher batches wait here for the worker that makes their codes."""

    def enqueue_batch(self, batch_id: str, chunks: tuple[int, int] | None = None) -> None:
        """``{"batch_id": …}``, and ``"chunks": [start, stop]`` for a share of the batch."""
        body: dict[str, object] = {"batch_id": batch_id}
        if chunks is not None:
            body["chunks"] = list(chunks)
        aws.sqs().send_message(
            QueueUrl=settings().voucher_batch_queue_url, MessageBody=json.dumps(body)
        )


MAX_REDRIVES = 288  # every five minutes: a day of SES outage
_REDRIVES = "redrives"


def redrive_dead_letters(max_messages: int = 500) -> tuple[int, int]:
    """Move up to ``max_messages`` from the mail DLQ back to the mail queue.

    Returns (moved, kept). The send happens before the delete, so a crash in between repeats
    a mail request (the mailer drops the repeat) instead of losing it.
    """
    client = aws.sqs()
    dlq, queue = settings().mail_dead_letter_queue_url, settings().mail_queue_url
    moved = kept = 0
    while moved + kept < max_messages:
        response = client.receive_message(
            QueueUrl=dlq,
            MaxNumberOfMessages=10,
            MessageAttributeNames=[_REDRIVES],
            WaitTimeSeconds=0,
        )
        messages = response.get("Messages", [])
        if not messages:
            break
        for message in messages:
            attribute: dict[str, Any] = dict(
                message.get("MessageAttributes", {}).get(_REDRIVES, {})
            )
            redrives = int(attribute.get("StringValue", "0"))
            if redrives >= MAX_REDRIVES:
                kept += 1
                continue  # stays in the DLQ; visible again after its timeout
            client.send_message(
                QueueUrl=queue,
                MessageBody=message["Body"],
                MessageAttributes={
                    _REDRIVES: {"DataType": "Number", "StringValue": str(redrives + 1)}
                },
            )
            client.delete_message(QueueUrl=dlq, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return moved, kept

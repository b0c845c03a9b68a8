"""Erasure worker (issue 17): walks a person's index entries and erases each; a redelivered
message resumes (every step idempotent, every entry counted once). One failed erasure does
not fail the others of its SQS batch (partial batch response)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing.adapters.privacy_desks import erasure_desk
from ticketing.observability import logger, metered
from ticketing.services.erasure import run_erasure

processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    body = json.loads(record.body)
    if "export" in body:  # issue 17: a customer's own export, built and its link mailed
        _export(body["export"])
        return
    erasure_id = str(body["erasure_id"])
    done = run_erasure(erasure_desk(), erasure_id)
    # the counts only: the record names no person
    logger.info(
        "erasure done",
        extra={"erasure_id": erasure_id, "counts": done.counts if done else None},
    )


def _export(job: dict[str, str]) -> None:
    from ticketing.adapters.mail_queue import SqsMailQueue
    from ticketing.adapters.privacy_desks import export_desk
    from ticketing.adapters.privacy_links import S3ExportFiles
    from ticketing.i18n.languages import known_language
    from ticketing.services.privacy_requests import build_export

    language = known_language(job.get("language")) or "en"
    build_export(
        export_desk(),
        S3ExportFiles(),
        SqsMailQueue(),
        job["organizer_id"],
        job["address"],
        language,
        job["request_id"],
    )
    logger.info("personal data export mailed")  # no address in the log


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )

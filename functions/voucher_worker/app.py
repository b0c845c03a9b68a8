"""Voucher batch worker: makes a batch's codes and its Excel file, resuming after a stop; and
walks a batch's codes for the jobs that change them all (``"extension"``: its validity); and
gives an exhibitor's invitation list its codes and mails (``"invitations"``, issue 16).

One failed batch does not fail the others of its SQS batch (partial batch response). On the
last delivery the batch is marked failed with the reason, so the exhibitor sees it. Every stop
is logged at WARNING or above: the deadline reached (the batch is queued again and this
message done), a failure with its reason, a batch given up.
"""

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

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.consent_store import DynamoConsentStore, DynamoSuppressionStore
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.extension_queue import SqsExtensionQueue
from ticketing.adapters.invitation_queue import SqsInvitationQueue
from ticketing.adapters.invitation_store import DynamoInvitationStore
from ticketing.adapters.mail_queue import SqsBatchQueue, SqsMailQueue
from ticketing.adapters.person_index import DynamoPersonIndex
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.adapters.voucher_batch_store import DynamoBatchStore
from ticketing.observability import logger, metered
from ticketing.services.mail_policy import MailPolicy
from ticketing.services.visitor_vouchers import extension, worker
from ticketing.settings import settings

processor = BatchProcessor(event_type=EventType.SQS)
store = DynamoBatchStore()
events = DynamoEventStore()
docs = S3DocumentStore()
queue = SqsBatchQueue()
vouchers = DynamoVisitorVoucherStore()
extensions = SqsExtensionQueue()
invitations = DynamoInvitationStore()
invitation_queue = SqsInvitationQueue()
# the exhibitor is told by mail when its batch is ready
announce = worker.announce_ready(worker.Announcing(DynamoAccessStore(), events, SqsMailQueue()))
LAST_DELIVERY = 3  # the queue's maxReceiveCount
# stop this long before Lambda's deadline: time to queue the rest and answer (the worker
# keeps room for its next chunk or the Excel file on top)
DEADLINE_MARGIN_SECONDS = 5


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    body = json.loads(record.body)
    batch_id = str(body["batch_id"])
    # a share of a big batch: its chunks from start up to stop
    share = (int(body["chunks"][0]), int(body["chunks"][1])) if "chunks" in body else None

    def seconds_left() -> float:
        return lambda_context.get_remaining_time_in_millis() / 1000 - DEADLINE_MARGIN_SECONDS

    receives = int(record.attributes.approximate_receive_count)
    if "extension" in body:
        _extend(batch_id, str(body["extension"]), seconds_left, receives)
        return
    if "invitations" in body:  # issue 16: an exhibitor's list, assigned and mailed
        _invite(batch_id, str(body["invitations"]), seconds_left, receives)
        return
    try:
        writers = settings().code_writers
        run = worker.run(
            *(store, events, docs, clock.current(), batch_id, seconds_left, announce, writers),
            fan_out=queue,
            share=share,
        )
        if run.outcome == "paused":
            queue.enqueue_batch(batch_id, share)
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        logger.exception(
            "voucher batch failed", extra={"batch_id": batch_id, "receive_count": receives}
        )
        if receives >= LAST_DELIVERY:
            worker.give_up(store, clock.current(), batch_id, reason)
        raise
    batch = run.batch
    logger.info(
        "voucher batch handled",
        extra={"batch_id": batch_id, "outcome": run.outcome, "status": batch and batch.status},
    )


def _extend(batch_id: str, job_id: str, seconds_left: Any, receives: int) -> None:
    """A step of the batch's validity extension: as far as the deadline allows, then again."""
    deps = extension.Walking(vouchers, store, clock.current())
    try:
        walked = extension.extend_codes(
            deps, batch_id, job_id, seconds_left, settings().code_writers
        )
        if walked == "paused":
            extensions.enqueue_extension(batch_id, job_id)
    except Exception as error:
        logger.exception(
            "voucher batch extension failed",
            extra={"batch_id": batch_id, "receive_count": receives},
        )
        if receives >= LAST_DELIVERY:
            extension.give_up(deps, batch_id, job_id, f"{type(error).__name__}: {error}")
        raise
    logger.info("voucher batch extension handled", extra={"batch_id": batch_id, "outcome": walked})


def _invite(batch_id: str, job_id: str, seconds_left: Any, receives: int) -> None:
    """A step of an invitation list: as far as the deadline allows, then again."""
    from ticketing.services.visitor_vouchers import invite_worker

    deps = invite_worker.Inviting(
        *(invitations, store, events, DynamoAccessStore(), SqsMailQueue(), clock.current()),
        policy=MailPolicy(DynamoConsentStore(), DynamoSuppressionStore()),
        people=DynamoPersonIndex(),  # issue 17: each recipient's entry, with the invitation
    )
    try:
        walked = invite_worker.run_job(
            deps, batch_id, job_id, seconds_left, settings().code_writers
        )
        if walked == "paused":
            invitation_queue.enqueue_invitations(batch_id, job_id)
    except Exception as error:
        logger.exception(
            "invitation list failed", extra={"batch_id": batch_id, "receive_count": receives}
        )
        if receives >= LAST_DELIVERY:
            invite_worker.give_up(deps, batch_id, job_id, f"{type(error).__name__}: {error}")
        raise
    logger.info("invitation list handled", extra={"batch_id": batch_id, "outcome": walked})


@metered
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )

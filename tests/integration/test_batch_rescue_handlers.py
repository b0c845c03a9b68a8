"""The voucher worker stops before its deadline and queues the rest; the rescue schedule
queues a batch again whose progress stopped (issue 10, item 4). On the moto account, with the
handlers and their sample events."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import Aws, LambdaContext, load_event, load_function
from tests.integration.helpers import seed_organizer
from tests.integration.test_voucher_handlers import (
    order_batch,
    run_worker,
    seed_event,
    seed_exhibitor,
    worker_event,
)


class RunningOutContext(LambdaContext):
    """A Lambda whose remaining time drops by ``per_call_ms`` each time it is asked."""

    def __init__(self, remaining_ms: int, per_call_ms: int) -> None:
        self.remaining_ms = remaining_ms
        self.per_call_ms = per_call_ms

    def get_remaining_time_in_millis(self) -> int:
        self.remaining_ms = max(0, self.remaining_ms - self.per_call_ms)
        return self.remaining_ms


@pytest.fixture
def seeded(aws: Aws) -> Aws:
    seed_organizer()
    seed_event()
    seed_exhibitor()
    return aws


def stored(batch_id: str) -> Any:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    batch = DynamoBatchStore().get_batch(batch_id)
    assert batch is not None
    return batch


def test_a_worker_running_out_of_time_queues_the_rest_and_the_next_run_finishes(
    seeded: Aws, lambda_context: Any, caplog: pytest.LogCaptureFixture
) -> None:
    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 250)
    [message] = seeded.receive_all("VoucherBatchQueue")
    worker = load_function("voucher_worker")
    # 7 s left at the first chunk, 5 s at the second: the margin of 5 s is reached
    running_out = RunningOutContext(remaining_ms=9_000, per_call_ms=2_000)

    with caplog.at_level(logging.WARNING):
        result = worker.handler(worker_event(message), running_out)

    assert result == {"batchItemFailures": []}  # this message is done; the rest is queued
    assert (stored(batch_id).status, stored(batch_id).generated) == ("generating", 98)
    paused = [r for r in caplog.records if "paused before the deadline" in r.getMessage()]
    assert [r.levelno for r in paused] == [logging.WARNING]
    assert run_worker(seeded, lambda_context) == [batch_id]
    assert (stored(batch_id).status, stored(batch_id).generated) == ("ready", 250)


def test_a_failing_worker_says_why_at_error(
    seeded: Aws, lambda_context: Any, caplog: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    order_batch(load_function("voucher_batches"), lambda_context, 3)
    [message] = seeded.receive_all("VoucherBatchQueue")
    worker = load_function("voucher_worker")

    def refused(*args: Any, **kwargs: Any) -> None:
        raise OSError("S3 is unreachable")

    monkeypatch.setattr(worker.docs, "put", refused)
    with caplog.at_level(logging.WARNING), pytest.raises(Exception, match="failed processing"):
        worker.handler(worker_event(message), lambda_context)

    failed = [r for r in caplog.records if r.getMessage() == "voucher batch failed"]
    assert [r.levelno for r in failed] == [logging.ERROR]
    assert "S3 is unreachable" in (failed[0].exc_text or "")


def test_a_batch_whose_message_was_lost_is_queued_again_by_the_schedule(
    seeded: Aws, lambda_context: Any
) -> None:
    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 120)
    sqs = seeded.clients["sqs"]
    for lost in seeded.receive_all("VoucherBatchQueue"):
        sqs.delete_message(
            QueueUrl=seeded.queue_urls["VoucherBatchQueue"], ReceiptHandle=lost["ReceiptHandle"]
        )
    rescue = load_function("batch_rescue")
    scheduled = load_event("batch_rescue/scheduled.json")

    quiet = {"stalled": 0, "queued": 0, "given_up": 0}
    no_extensions = {"extensions_stalled": 0, "extensions_queued": 0, "extensions_given_up": 0}
    assert rescue.handler(scheduled, lambda_context) == quiet | no_extensions
    seeded.clock.advance(timedelta(minutes=6))
    queued = {"stalled": 1, "queued": 1, "given_up": 0}
    assert rescue.handler(scheduled, lambda_context) == queued | no_extensions

    assert run_worker(seeded, lambda_context) == [batch_id]
    assert (stored(batch_id).status, stored(batch_id).generated) == ("ready", 120)
    seeded.clock.advance(timedelta(hours=1))
    assert rescue.handler(scheduled, lambda_context)["stalled"] == 0
    assert stored(batch_id).restarts == 0  # its progress counts the restarts from 0 again

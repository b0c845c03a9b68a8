"""Issue 12 on the moto account: a batch's progress as the API reports it (percent, seconds
left, the step), and a whole batch's validity extension answered at once (202) and walked by
the voucher worker through the batch queue; the batch store's conditional writes for both."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import ORGANIZER_ID, body_of, in_path, seed_organizer
from tests.integration.test_voucher_handlers import (
    PLACEHOLDER_BATCH,
    order_batch,
    run_worker,
    seed_event,
    seed_exhibitor,
    stored_voucher,
)

END = "2030-07-11T22:00:00Z"  # 2030-07-11 counted whole in Berlin


@pytest.fixture
def seeded(aws: Aws) -> Aws:
    seed_organizer()
    seed_event()
    seed_exhibitor()
    return aws


def as_organizer(method: str, resource: str, batch_id: str, body: Any = None) -> dict[str, Any]:
    """A request of the seeded organizer (the organizer's sample event, another route)."""
    event = copy.deepcopy(load_event("voucher_batches/statements_as_organizer.json"))
    path = resource.replace("{batch_id}", batch_id)
    event.update(
        resource=resource,
        path=path,
        httpMethod=method,
        pathParameters={"batch_id": batch_id},
        queryStringParameters=None,
        multiValueQueryStringParameters=None,
        body=None if body is None else json.dumps(body),
    )
    event["headers"]["Accept"] = "application/json"
    event["multiValueHeaders"]["Accept"] = ["application/json"]
    event["requestContext"].update(resourcePath=resource, httpMethod=method, path=f"/v1{path}")
    return event


def status(batches: Any, lambda_context: Any, batch_id: str) -> dict[str, Any]:
    event = in_path(
        load_event("voucher_batches/batch_status.json"), PLACEHOLDER_BATCH, batch_id, "batch_id"
    )
    response = batches.handler(event, lambda_context)
    assert response["statusCode"] == 200, response["body"]
    return dict(body_of(response))


def test_a_batch_reports_its_step_percent_and_time_left(seeded: Aws, lambda_context: Any) -> None:
    batches = load_function("voucher_batches")
    batch_id = order_batch(batches, lambda_context, 250)

    pending = status(batches, lambda_context, batch_id)
    assert (pending["step"], pending["percent"], pending["seconds_left"]) == ("generating", 0, None)
    assert run_worker(seeded, lambda_context) == [batch_id]
    ready = status(batches, lambda_context, batch_id)
    assert (ready["status"], ready["step"], ready["percent"], ready["seconds_left"]) == (
        "ready",
        "ready",
        100,
        None,
    )
    assert ready["generated"] == 250
    assert not {"started_at", "step_at", "progress_at", "restarts"} & set(ready)
    listed = body_of(
        batches.handler(load_event("voucher_batches/download_overview.json"), lambda_context)
    )
    [row] = [b for b in listed["batches"] if b["batch_id"] == batch_id]
    assert (row["step"], row["percent"], row["seconds_left"]) == ("ready", 100, None)


def test_a_batch_extension_answers_202_and_the_worker_walks_it(
    seeded: Aws, lambda_context: Any
) -> None:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    batches = load_function("voucher_batches")
    batch_id = order_batch(batches, lambda_context, 250)
    run_worker(seeded, lambda_context)
    seeded.receive_all("MailQueue")
    resource = "/voucher-batches/{batch_id}"

    started = batches.handler(
        as_organizer("PATCH", resource, batch_id, {"valid_until": "2030-07-11"}), lambda_context
    )
    again = batches.handler(
        as_organizer("PATCH", resource, batch_id, {"valid_until": "2030-07-10"}), lambda_context
    )

    assert started["statusCode"] == 202, started["body"]
    job = body_of(started)["extension"]
    assert (job["state"], job["done"], job["total"], job["percent"]) == ("running", 0, 250, 0)
    assert again["statusCode"] == 409, again["body"]
    progress = batches.handler(
        as_organizer("GET", resource + "/extension", batch_id), lambda_context
    )
    assert body_of(progress)["extension"]["job_id"] == job["job_id"]
    # the exhibitor sees it on the batch too
    assert status(batches, lambda_context, batch_id)["extension"]["state"] == "running"

    assert run_worker(seeded, lambda_context) == [batch_id]
    while run_worker(seeded, lambda_context):  # a worker near its deadline queued the rest
        pass

    done = body_of(
        batches.handler(as_organizer("GET", resource + "/extension", batch_id), lambda_context)
    )
    assert done["extension"]["state"] == "done"
    assert (done["extension"]["done"], done["extension"]["percent"]) == (250, 100)
    assert (done["extension"]["changed"], done["extension"]["skipped_redeemed"]) == (250, 0)
    assert datetime.fromisoformat(done["valid_until"]) == datetime.fromisoformat(END)
    code = next(DynamoBatchStore().batch_codes(batch_id))
    assert stored_voucher(code).valid_until == datetime(2030, 7, 11, 22, 0, tzinfo=UTC)


def test_another_organizer_reads_no_extension(seeded: Aws, lambda_context: Any) -> None:
    batches = load_function("voucher_batches")
    batch_id = order_batch(batches, lambda_context, 3)
    run_worker(seeded, lambda_context)
    foreign = as_organizer("GET", "/voucher-batches/{batch_id}/extension", batch_id)
    foreign["requestContext"]["authorizer"].update(
        subject_id="org_other0000000000", organizer_id="org_other0000000000"
    )
    assert batches.handler(foreign, lambda_context)["statusCode"] == 404
    assert ORGANIZER_ID != "org_other0000000000"


# the store's conditional writes


def stored(batch_id: str) -> Any:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    batch = DynamoBatchStore().get_batch(batch_id)
    assert batch is not None
    return batch


def test_the_store_writes_the_file_step_only_on_an_open_batch_and_starts_once(
    seeded: Aws, lambda_context: Any
) -> None:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    store = DynamoBatchStore()
    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 200)
    batch = stored(batch_id)
    first, later = datetime(2026, 5, 4, 10, 0, tzinfo=UTC), datetime(2026, 5, 4, 10, 1, tzinfo=UTC)
    store.write_codes(batch, 0, [f"A{i:015d}" for i in range(98)], at=first)
    store.write_codes(batch, 1, [f"B{i:015d}" for i in range(98)], at=later)
    assert (stored(batch_id).started_at, stored(batch_id).step) == (first, None)

    store.touch_batch(batch_id, later)
    assert (stored(batch_id).step, stored(batch_id).step_at) == ("writing_file", later)
    store.fail_batch(batch_id, later, "given up")
    store.touch_batch(batch_id, later + timedelta(minutes=1))  # closed: nothing changes
    assert stored(batch_id).step_at == later


def test_the_store_refuses_a_second_running_extension_and_a_stale_move(
    seeded: Aws, lambda_context: Any
) -> None:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore
    from ticketing.domain.visitor_vouchers import BatchExtension
    from ticketing.services.ports import ProgressMoved

    store = DynamoBatchStore()
    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 3)
    run_worker(seeded, lambda_context)
    now = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    job = BatchExtension(
        job_id="ext_1",
        state="running",
        valid_until=datetime(2030, 7, 11, 22, 0, tzinfo=UTC),
        by="key",
        total=3,
        started_at=now,
        progress_at=now,
    )
    other = job.model_copy(update={"job_id": "ext_2"})

    assert store.start_extension(batch_id, job, now - timedelta(minutes=5)) is True
    assert store.start_extension(batch_id, other, now - timedelta(minutes=5)) is False
    assert store.chunk_codes(batch_id, 0) == list(store.batch_codes(batch_id))
    assert store.chunk_codes(batch_id, 7) == []
    moved = job.model_copy(update={"next_chunk": 1, "done": 3, "changed": 3, "state": "done"})
    store.move_extension(batch_id, job, moved)
    with pytest.raises(ProgressMoved):
        store.move_extension(batch_id, job, moved)  # the same step twice
    assert stored(batch_id).extension == moved
    assert stored(batch_id).valid_until == moved.valid_until
    # done: the next one may start; a stalled running one may be replaced
    assert store.start_extension(batch_id, other, now - timedelta(minutes=5)) is True
    third = job.model_copy(update={"job_id": "ext_3", "progress_at": now + timedelta(minutes=9)})
    assert store.start_extension(batch_id, third, now + timedelta(minutes=1)) is True


def test_an_extension_whose_message_was_lost_is_queued_again_by_the_rescue_schedule(
    seeded: Aws, lambda_context: Any
) -> None:
    batches = load_function("voucher_batches")
    batch_id = order_batch(batches, lambda_context, 120)
    run_worker(seeded, lambda_context)
    resource = "/voucher-batches/{batch_id}"
    started = batches.handler(
        as_organizer("PATCH", resource, batch_id, {"valid_until": "2030-07-11"}), lambda_context
    )
    assert started["statusCode"] == 202, started["body"]
    sqs = seeded.clients["sqs"]
    for lost in seeded.receive_all("VoucherBatchQueue"):
        sqs.delete_message(
            QueueUrl=seeded.queue_urls["VoucherBatchQueue"], ReceiptHandle=lost["ReceiptHandle"]
        )
    rescue = load_function("batch_rescue")
    scheduled = load_event("batch_rescue/scheduled.json")

    assert rescue.handler(scheduled, lambda_context)["extensions_stalled"] == 0
    seeded.clock.advance(timedelta(minutes=6))
    figures = rescue.handler(scheduled, lambda_context)
    assert (figures["extensions_stalled"], figures["extensions_queued"]) == (1, 1)

    while run_worker(seeded, lambda_context):
        pass
    done = body_of(
        batches.handler(as_organizer("GET", resource + "/extension", batch_id), lambda_context)
    )
    assert (done["extension"]["state"], done["extension"]["changed"]) == ("done", 120)

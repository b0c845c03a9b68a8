"""Issue 12 through the local stack: what a console progress bar reads while a batch is made
(percent rising, the step ``writing_file``), and a whole batch's validity extended in the
background, its progress polled until done."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_batch_rescue import aws
from tests.e2e.test_foundation import assert_problem
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event
from ticketing.adapters import keys
from ticketing.domain.voucher_codes import canonical

pytestmark = pytest.mark.slow


def extension_done(stack: LocalStack, batch_id: str, timeout: float = 180) -> dict[str, Any]:
    """Poll the batch's extension (as its organizer) until done; its last state."""
    deadline, last = time.monotonic() + timeout, -1.0
    while time.monotonic() < deadline:
        reply = stack.client.call(
            "GET", f"/voucher-batches/{batch_id}/extension", stack.organizer_key
        )
        assert reply.status == 200, reply.body
        job: dict[str, Any] = reply.json()["extension"]
        assert job["state"] in ("running", "done"), job
        assert job["percent"] >= last, job  # never backwards
        last = job["percent"]
        if job["state"] == "done":
            assert (job["percent"], job["seconds_left"], job["done"]) == (100, None, job["total"])
            return job
        assert job["percent"] < 100
        time.sleep(0.1)
    raise AssertionError("the extension did not finish")


def test_a_batch_of_1000_reports_its_progress_and_its_extension_runs_in_the_worker(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client
    event = future_event(local_stack)
    key = exhibitor_of(local_stack, event["event_id"], "Fortschritt")["api_key"]
    ordered = client.call(
        "POST", f"/events/{event['event_id']}/voucher-batches", key, {"quantity": 1000}
    )
    assert ordered.status == 202, ordered.body
    batch_id = ordered.json()["batch_id"]

    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        batch = client.call("GET", f"/voucher-batches/{batch_id}", key).json()
        seen.append(batch)
        if batch["status"] == "ready":
            break
        time.sleep(0.02)
    else:
        raise AssertionError("the batch did not become ready")

    percents = [b["percent"] for b in seen]
    assert percents == sorted(percents), percents  # rising, never back
    assert all(0 <= p < 100 for p in percents[:-1])
    assert percents[-1] == 100
    steps = [b["step"] for b in seen]
    assert "writing_file" in steps, steps
    order = {"generating": 0, "writing_file": 1, "ready": 2}
    assert [order[s] for s in steps] == sorted(order[s] for s in steps), steps
    assert all(b["step"] != "writing_file" or b["percent"] == 95 for b in seen)
    assert all(b["generated"] == 1000 for b in seen if b["step"] == "writing_file")
    estimates = [b["seconds_left"] for b in seen if b["step"] == "generating" and b["generated"]]
    assert all(isinstance(s, int) and s >= 1 for s in estimates), estimates
    assert seen[-1]["seconds_left"] is None
    listed = client.call("GET", "/voucher-batches", key).json()["batches"]
    [row] = [b for b in listed if b["batch_id"] == batch_id]
    assert (row["step"], row["percent"], row["seconds_left"]) == ("ready", 100, None)

    code = codes_of(seen[-1])[500]
    organizer = local_stack.organizer_key
    path = f"/voucher-batches/{batch_id}"
    started = client.call("PATCH", path, organizer, {"valid_until": "2030-07-15"})
    assert started.status == 202, started.body
    job = started.json()["extension"]
    assert (job["state"], job["total"]) == ("running", 1000)
    # a second extension while the first runs is refused (1,000 codes take the worker seconds)
    assert_problem(client.call("PATCH", path, organizer, {"valid_until": "2030-07-14"}), 409)

    done = extension_done(local_stack, batch_id)

    assert (done["changed"], done["skipped_redeemed"]) == (1000, 0)
    end = dt.datetime(2030, 7, 15, 22, 0, tzinfo=dt.UTC)  # 2030-07-15 counted whole in Berlin
    assert dt.datetime.fromisoformat(stored_valid_until(local_stack, code)) == end
    batch = client.call("GET", path, key).json()
    assert dt.datetime.fromisoformat(batch["valid_until"]) == end
    assert batch["extension"]["state"] == "done"


def stored_valid_until(stack: LocalStack, code: str) -> str:
    """A voucher's end as the table holds it (no route shows a voucher without changing it)."""
    dynamo = aws(stack, "dynamodb")
    [table] = dynamo.list_tables()["TableNames"]
    key = {name: {"S": value} for name, value in keys.voucher(canonical(code)).items()}
    item = dynamo.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    return str(item["valid_until"]["S"])

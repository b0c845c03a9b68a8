"""A voucher batch whose worker message is lost finishes once the rescue schedule runs (issue
10, item 4), through the local stack; and the documents bucket carries the template's policy
(item 8) while downloads over the local http endpoint keep working."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch

pytestmark = pytest.mark.slow


def aws(stack: LocalStack, service: str) -> Any:
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=stack.aws_endpoint,
        region_name="eu-central-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def batch_queue(sqs: Any) -> str:
    return next(u for u in sqs.list_queues()["QueueUrls"] if u.endswith("-VoucherBatchQueue"))


def test_a_batch_whose_worker_message_was_lost_finishes_after_the_rescue(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client
    event = future_event(local_stack)
    key = exhibitor_of(local_stack, event["event_id"], "Rettung")["api_key"]
    sqs = aws(local_stack, "sqs")
    queue = batch_queue(sqs)
    # held back long enough to be purged before the worker's poller can see it: lost
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"DelaySeconds": "900"})
    try:
        ordered = client.call(
            "POST", f"/events/{event['event_id']}/voucher-batches", key, {"quantity": 150}
        )
        assert ordered.status == 202, ordered.body
        sqs.purge_queue(QueueUrl=queue)
    finally:
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={"DelaySeconds": "0"})
    batch_id = ordered.json()["batch_id"]
    time.sleep(1)
    assert client.call("GET", f"/voucher-batches/{batch_id}", key).json()["status"] == "pending"

    now = datetime.fromisoformat(client.call("GET", "/_local/clock").json()["now"])
    later = (now + timedelta(minutes=6)).isoformat()
    try:
        assert client.call("POST", "/_local/clock", body={"now": later}).status == 200
        ran = client.call("POST", "/_local/schedules/BatchRescueFunction").json()
        assert ran["error"] is None, ran
        batch = wait_until_ready(local_stack, key, batch_id)
    finally:
        client.call("POST", "/_local/clock", body={"now": None})

    assert len(set(codes_of(batch))) == 150  # downloaded over http despite DenyInsecureTransport


def wait_until_ready(stack: LocalStack, key: str, batch_id: str) -> Any:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch = stack.client.call("GET", f"/voucher-batches/{batch_id}", key).json()
        if batch["status"] == "ready":
            return batch
        assert batch["status"] in ("pending", "generating"), batch
        time.sleep(0.2)
    raise AssertionError("the rescued batch did not become ready")


def test_the_documents_bucket_denies_insecure_transport_and_http_downloads_work(
    local_stack: LocalStack,
) -> None:
    s3 = aws(local_stack, "s3")
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"] if "documents" in b["Name"])
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["DenyInsecureTransport"]

    event = future_event(local_stack)
    key = exhibitor_of(local_stack, event["event_id"], "Policy")["api_key"]
    batch = ready_batch(local_stack.client, key, event["event_id"], 2)
    assert batch["download_url"].startswith("http://")
    assert len(codes_of(batch)) == 2

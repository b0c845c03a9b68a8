"""Mail through faults, from outside: with the mail queue deleted, onboarding an exhibitor
still answers 201 with its key and the welcome arrives once the queue is back and the recovery
schedule ran; a mail that cannot be rendered is parked on its order while others arrive."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import booking_body, new_event

pytestmark = pytest.mark.slow

# what create_queue takes back of a queue's attributes (the rest AWS keeps itself)
SETTABLE = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "RedrivePolicy")


def sqs(stack: LocalStack) -> Any:
    import boto3

    return boto3.client(
        "sqs",
        region_name="eu-central-1",
        endpoint_url=stack.aws_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def mail_queue_url(client: Any) -> str:
    urls = client.list_queues().get("QueueUrls", [])
    [url] = [u for u in urls if "MailQueue" in u and "DeadLetter" not in u]
    return str(url)


@contextmanager
def mail_queue_deleted(stack: LocalStack) -> Iterator[None]:
    """The mail queue is gone (as in an outage) until the block ends; then it is created
    again under the same name, so its URL is the one the functions know."""
    client = sqs(stack)
    url = mail_queue_url(client)
    name = url.rsplit("/", 1)[1]
    kept = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    client.delete_queue(QueueUrl=url)
    try:
        yield
    finally:
        attributes = {k: v for k, v in kept.items() if k in SETTABLE}
        assert client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"] == url


@contextmanager
def minutes_later(stack: LocalStack, minutes: int) -> Iterator[None]:
    client = stack.client
    now = datetime.fromisoformat(client.call("GET", "/_local/clock").json()["now"])
    later = (now + timedelta(minutes=minutes)).isoformat()
    assert client.call("POST", "/_local/clock", body={"now": later}).status == 200
    try:
        yield
    finally:
        client.call("POST", "/_local/clock", body={"now": None})


def wait_for(check: Any, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("nothing arrived in time")


def mails_to(stack: LocalStack, address: str) -> list[dict[str, Any]]:
    return [m for m in stack.client.call("GET", "/_local/outbox").json() if address in m["to"]]


def test_an_exhibitor_onboarded_while_the_mail_queue_is_gone_gets_its_key_and_its_welcome(
    local_stack: LocalStack,
) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key)
    address = f"welcome-{time.time_ns()}@forsttechnik.example"

    with mail_queue_deleted(local_stack):
        reply = client.call(
            "POST",
            "/exhibitors",
            key,
            {"event_id": event["event_id"], "name": "Forsttechnik Huber KG", "email": address},
        )
        assert reply.status == 201, reply.body
        assert reply.json()["api_key"].startswith("tk_")
    exhibitor_key = reply.json()["api_key"]
    assert client.call("GET", "/me", exhibitor_key).json()["role"] == "exhibitor"
    time.sleep(1)
    assert mails_to(local_stack, address) == []  # the welcome waits in the outbox

    with minutes_later(local_stack, 3):
        ran = client.call("POST", "/_local/schedules/MailRedriveFunction")
        assert ran.status == 200, ran.body
        assert ran.json()["error"] is None
        assert ran.json()["result"]["queued"] >= 1

    [welcome] = wait_for(lambda: mails_to(local_stack, address))
    assert "INTERFORST" in welcome["subject"]


def test_a_confirmation_arrives_while_a_mail_that_cannot_be_rendered_is_parked_on_its_order(
    local_stack: LocalStack,
) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key)
    spoilt = client.call("POST", f"/events/{event['event_id']}/bookings", key, booking_body("Alt"))
    assert spoilt.status == 201, spoilt.body
    spoilt_number = spoilt.json()["order_number"]
    # a request for that order whose template wants values an order has not (a template
    # failure: rendering it can never succeed), put on the queue as a use case would
    queue = sqs(local_stack)
    request = {
        "template": "organizer_welcome",
        "to": ["m.mustermann@example.org"],
        "language": "de",
        "context": {},
        "request_id": f"spoilt-{spoilt_number}",
        "order_number": spoilt_number,
    }
    queue.send_message(QueueUrl=mail_queue_url(queue), MessageBody=json.dumps(request))

    reply = client.call("POST", f"/events/{event['event_id']}/bookings", key, booking_body("Neu"))
    assert reply.status == 201, reply.body
    number = reply.json()["order_number"]

    def confirmation() -> list[dict[str, Any]]:
        mails = client.call("GET", "/_local/outbox").json()
        return [m for m in mails if number in m["subject"]]

    wait_for(confirmation)

    def parked() -> list[dict[str, Any]]:
        detail = client.call("GET", f"/orders/{spoilt_number}", key)
        assert detail.status == 200, detail.body
        failures: list[dict[str, Any]] = detail.json()["mail_failures"]
        return failures

    [failure] = wait_for(parked)
    assert failure["request_id"] == f"spoilt-{spoilt_number}"
    assert failure["template"] == "organizer_welcome"
    assert "organizer_name" in failure["reason"]  # what the template missed
    assert client.call("GET", f"/orders/{number}", key).json()["mail_failures"] == []
    # consumed, not retried: the queue holds nothing for the mailer any more
    attributes = queue.get_queue_attributes(
        QueueUrl=mail_queue_url(queue),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    assert attributes == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
    }

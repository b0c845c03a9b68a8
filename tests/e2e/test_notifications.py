"""Notifications to ticket holders through the local stack (seed 001, issue 15 items 1-3):
written, refused for a shop link, submitted, reviewed, and sent once per order address."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import assert_problem, booking_body, new_event

pytestmark = pytest.mark.slow

HOLDERS = [("Anna", "Adler"), ("Bernd", "Berger"), ("Clara", "Conrad")]


def outbox(stack: LocalStack) -> list[dict[str, Any]]:
    mails: list[dict[str, Any]] = stack.client.call("GET", "/_local/outbox").json()
    return mails


def about(stack: LocalStack, subject: str) -> list[dict[str, Any]]:
    return [m for m in outbox(stack) if m["subject"] == subject]


def wait_until(check: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("timed out")


def an_event_with_three_orders(stack: LocalStack) -> tuple[str, list[dict[str, Any]]]:
    client, key = stack.client, stack.organizer_key
    event = new_event(client, key)
    orders = []
    for i, (first, last) in enumerate(HOLDERS):
        body = booking_body(last)
        body["customer"].update(first_name=first, email=f"{last.lower()}.{i}@example.org")
        reply = client.call("POST", f"/events/{event['event_id']}/bookings", key, body)
        assert reply.status == 201, reply.body
        orders.append(reply.json())
    return event["event_id"], orders


def test_an_information_message_reaches_each_holder_once_after_approval(
    local_stack: LocalStack,
) -> None:
    client, key, reviewer = local_stack.client, local_stack.organizer_key, local_stack.reviewer_key
    event_id, orders = an_event_with_three_orders(local_stack)
    subject = f"Ihre Gesundheit liegt uns am Herzen {event_id}"
    body = "Bitte lassen Sie sich **vor** der Veranstaltung testen.\n\n<script>alert(1)</script>"
    made = client.call(
        "POST", f"/events/{event_id}/notifications", key, {"subject": subject, "body": body}
    )
    assert made.status == 201, made.body
    nid = made.json()["notification_id"]
    assert made.json()["state"] == "draft"
    assert made.json()["kind"] == "information"

    shown = client.call("GET", f"/notifications/{nid}/preview", key)
    preview = shown.json()
    assert shown.status == 200, shown.body
    assert preview["sample"] is False
    assert "Ihr Partner hat folgende Informationen für Sie:" in preview["text"]
    assert "<script>" not in preview["html"]
    assert "&lt;script&gt;" in preview["html"]

    assert client.call("POST", f"/notifications/{nid}/submit", key).json()["state"] == "submitted"
    queue = client.call("GET", "/notifications?status=submitted", reviewer).json()
    assert nid in {n["notification_id"] for n in queue["notifications"]}
    time.sleep(1.5)  # whatever the mailer would send before approval has had its time
    assert about(local_stack, subject) == []

    approved = client.call("POST", f"/notifications/{nid}/approve", reviewer)
    assert approved.status == 200
    assert approved.json()["state"] == "approved"
    assert_problem(client.call("POST", f"/notifications/{nid}/approve", reviewer), 409)

    mails = wait_until(
        lambda: len(about(local_stack, subject)) >= 3 and about(local_stack, subject)
    )
    done = wait_until(
        lambda: (
            (n := client.call("GET", f"/notifications/{nid}", key).json())["state"] == "sent" and n
        )
    )
    assert (done["recipients"], done["sent"], done["suppressed"], done["failed"]) == (3, 3, 0, 0)
    assert len(mails) == 3
    for order, (first, last) in zip(orders, HOLDERS, strict=True):
        [mail] = [m for m in mails if order["order_number"] in m["text"]]
        assert f"Guten Tag {first} {last}," in mail["text"]
        assert f"Ihre Bestellnummer lautet: {order['order_number']}" in mail["text"]
        assert "<strong>vor</strong>" in mail["html"]
        assert "<script" not in mail["html"]

    # the fan-out run again (a redelivered message) sends nothing more
    _enqueue_again(local_stack, nid)
    time.sleep(3)
    assert len(about(local_stack, subject)) == 3
    after = client.call("GET", f"/notifications/{nid}", key).json()
    assert (after["state"], after["sent"]) == ("sent", 3)


def test_a_link_to_a_discount_shop_is_refused_at_submit_naming_it(local_stack: LocalStack) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event_id, _ = an_event_with_three_orders(local_stack)
    body = "Nur heute: [20 % Rabatt](https://rabatt-shop.example/deal) im Shop!"
    nid = client.call(
        "POST", f"/events/{event_id}/notifications", key, {"subject": "Angebot", "body": body}
    ).json()["notification_id"]
    problem = assert_problem(client.call("POST", f"/notifications/{nid}/submit", key), 422)
    assert "https://rabatt-shop.example/deal" in problem["detail"]
    assert client.call("GET", f"/notifications/{nid}", key).json()["state"] == "draft"


def test_bad_input_and_wrong_keys_are_refused(local_stack: LocalStack) -> None:
    client, key, reviewer = local_stack.client, local_stack.organizer_key, local_stack.reviewer_key
    event = new_event(client, key)
    path = f"/events/{event['event_id']}/notifications"
    for bad in (
        {"subject": "zwei\nZeilen", "body": "x"},
        {"subject": "s" * 201, "body": "x"},
        {"subject": "s", "body": "x" * 20_001},
    ):
        assert_problem(client.call("POST", path, key, bad), 422)
    nid = client.call("POST", path, key, {"subject": "s", "body": "b"}).json()["notification_id"]
    exhibitor = client.call(
        "POST",
        "/exhibitors",
        key,
        {"name": "E", "email": "e@example.org", "event_id": event["event_id"]},
    ).json()["api_key"]
    assert_problem(client.call("GET", f"/notifications/{nid}", exhibitor), 403)
    assert_problem(client.call("POST", path, exhibitor, {"subject": "s", "body": "b"}), 403)
    # asked back: the organizer sees the question, changes the text and submits again
    assert client.call("POST", f"/notifications/{nid}/submit", key).status == 200
    asked = client.call("POST", f"/notifications/{nid}/question", reviewer, {"text": "Wozu?"})
    assert asked.json()["state"] == "question"
    seen = client.call("GET", f"/notifications/{nid}", key).json()
    assert seen["question"] == "Wozu?"
    assert client.call("PATCH", f"/notifications/{nid}", key, {"body": "neu"}).status == 200
    assert client.call("POST", f"/notifications/{nid}/submit", key).status == 200
    rejected = client.call("POST", f"/notifications/{nid}/reject", reviewer, {"reason": "Nein."})
    assert rejected.json()["reason"] == "Nein."
    assert_problem(client.call("PATCH", f"/notifications/{nid}", key, {"body": "x"}), 409)


def _enqueue_again(stack: LocalStack, notification_id: str) -> None:
    import boto3

    sqs = boto3.client(
        "sqs",
        region_name="eu-central-1",
        endpoint_url=stack.aws_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    urls = sqs.list_queues().get("QueueUrls", [])
    [url] = [u for u in urls if "NotificationQueue" in u and "DeadLetter" not in u]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"notification_id": notification_id}))


def test_the_organizer_submits_and_the_reviewer_approves_in_the_console(
    local_stack: LocalStack,
) -> None:
    from tests.e2e.console import sign_in

    event_id, orders = an_event_with_three_orders(local_stack)
    admin = sign_in(local_stack, local_stack.organizer_email, "127.0.0.91")
    reviewer = sign_in(local_stack, local_stack.reviewer_email, "127.0.0.92")
    page = f"/console/events/{event_id}/messages"
    subject = f"Einlass ab 9 Uhr {event_id}"
    made = admin.post(page, {"subject": subject, "body": "Bitte *pünktlich*."}, csrf_from=page)
    assert made.status == 303, made.body
    detail = made.headers["Location"]
    shown = admin.text(detail)
    assert any(f"Guten Tag {first} {last}" in shown for first, last in HOLDERS)
    assert any(order["order_number"] in shown for order in orders)
    assert admin.post(detail + "/submit", {}, csrf_from=detail).status == 303
    assert subject in reviewer.text("/console/review/messages")
    approved = reviewer.post(detail + "/approve", {}, csrf_from=detail)
    assert approved.status == 303
    mails = wait_until(
        lambda: len(about(local_stack, subject)) >= 3 and about(local_stack, subject)
    )
    assert len(mails) == 3
    sent = wait_until(lambda: "Versandt" in (text := admin.text(detail)) and text)
    assert "3" in sent


def test_another_tenant_finds_none_of_the_notifications(local_stack: LocalStack) -> None:
    # the notification cases of test_foundation's tenancy walk, on their own
    from tests.e2e.notification_cases import notification_tenancy_cases
    from tests.e2e.test_foundation import new_organizer

    client, key = local_stack.client, local_stack.organizer_key
    _, other = new_organizer(local_stack, "ntf-intruder")
    event = new_event(client, key)
    for check in notification_tenancy_cases(client, key, other, event["event_id"]).values():
        check()

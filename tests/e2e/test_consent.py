"""Consent and suppression through the local stack (issue 15): the order page's switches,
double opt-in by the link's page and its POST, RFC 8058 one-click unsubscribing, and a
complaint posted to ``/_local/ses-events`` that suppresses the next mail, shown on the order."""

from __future__ import annotations

import re
import time
import urllib.parse
import uuid
from email import message_from_string
from typing import Any

import boto3
import pytest

from tests.e2e.stack import Client, LocalStack
from tests.e2e.test_portal import book_for, mails_to, wait_for
from ticketing.mail.messages import MailRequest

pytestmark = pytest.mark.slow

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def path_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def consent_of(stack: LocalStack, address: str) -> dict[str, Any]:
    reply = stack.client.call(
        "GET", f"/customers/consents?email={urllib.parse.quote(address)}", stack.organizer_key
    )
    assert reply.status == 200, reply.body
    found: dict[str, Any] = reply.json()
    return found


def post_form(client: Client, path: str, body: bytes) -> Any:
    return client.call("POST", path, raw=body, headers=FORM)


def link_in(text: str, part: str) -> str:
    found = re.search(rf"https?://\S*{part}\S*", text)
    assert found, text
    return found.group(0)


def test_switches_on_the_order_page_and_double_opt_in_by_the_links_page(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client.from_address("127.0.0.71")
    address = f"consent-{uuid.uuid4().hex[:8]}@example.org"
    order = book_for(local_stack, address, quantity=1)
    wait_for(local_stack, address, 1)  # the confirmation
    page = path_of(order["self_service_url"])
    assert 'name="marketing"' in client.call("GET", page).body.decode()

    reply = post_form(client, f"{page}/preferences", b"reminders=off&marketing=off")
    assert reply.status == 303
    state = consent_of(local_stack, address)
    assert (state["reminders"], state["marketing"]) == (False, False)
    assert [(e["what"], e["channel"]) for e in state["history"]] == [("reminders", "order_page")]
    html = client.call("GET", page).body.decode()
    assert not re.search(r'id="reminders"[^>]*checked', html)

    # marketing on: only a confirmation mail, consent stays off
    assert post_form(client, f"{page}/preferences", b"marketing=on").status == 303
    assert consent_of(local_stack, address)["marketing"] is False
    mail = wait_for(local_stack, address, 2)[-1]
    confirm = path_of(link_in(mail["text"], "/consent/confirm/"))

    shown = client.call("GET", confirm)  # what a mail scanner does: nothing changes
    assert shown.status == 200
    assert 'id="consent-button"' in shown.body.decode()
    assert consent_of(local_stack, address)["marketing"] is False

    done = post_form(client, confirm, b"confirm=yes")
    assert done.status == 200
    state = consent_of(local_stack, address)
    assert state["marketing"] is True
    assert state["history"][-1]["channel"] == "double_opt_in"
    assert post_form(client, confirm, b"confirm=yes").status == 404  # once
    assert re.search(r'id="marketing"[^>]*checked', client.call("GET", page).body.decode())


def queue_marketing(stack: LocalStack, address: str, request_id: str) -> None:
    """A marketing mail as the notification fan-out queues it (its class, its tenant)."""
    sqs = boto3.client(
        "sqs",
        endpoint_url=stack.aws_endpoint,
        region_name="eu-central-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    (url,) = [u for u in sqs.list_queues()["QueueUrls"] if u.endswith("MailQueue")]
    request = MailRequest(
        template="marketing_confirmation",
        mail_class="marketing",
        organizer_id=stack.organizer_id,
        to=[address],
        language="en",
        request_id=request_id,
        context={"customer_name": "Erika", "confirm_url": "https://example.org/offer"},
    )
    sqs.send_message(QueueUrl=url, MessageBody=request.model_dump_json())


def test_a_marketing_mail_carries_list_unsubscribe_and_one_click_post_unsubscribes(
    local_stack: LocalStack,
) -> None:
    address = f"oneclick-{uuid.uuid4().hex[:8]}@example.org"
    changed = local_stack.client.call(
        "PUT",
        "/customers/consents",
        local_stack.organizer_key,
        {"email": address, "marketing": True},
    )
    assert changed.status == 200
    assert changed.json()["history"][0]["channel"] == "organizer"
    queue_marketing(local_stack, address, f"mkt-{uuid.uuid4().hex}")
    wait_for(local_stack, address, 1)
    raw = next(
        m["raw"]
        for m in local_stack.client.call("GET", "/_local/outbox?raw=1").json()
        if m["to"] == [address]
    )
    headers = message_from_string(raw)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = path_of(str(headers["List-Unsubscribe"]).strip("<>"))
    assert unsubscribe.startswith("/consent/unsubscribe/")

    # a mail program's one-click POST, as RFC 8058 has it
    reply = post_form(local_stack.client, unsubscribe, b"List-Unsubscribe=One-Click")
    assert reply.status == 200
    state = consent_of(local_stack, address)
    assert state["marketing"] is False
    assert state["history"][-1]["channel"] == "one_click"

    # the next marketing mail reaches nobody
    queue_marketing(local_stack, address, f"mkt-{uuid.uuid4().hex}")
    time.sleep(3)
    assert len(mails_to(local_stack, address)) == 1


def test_a_complaint_suppresses_the_next_mail_and_the_order_shows_why(
    local_stack: LocalStack,
) -> None:
    address = f"complains-{uuid.uuid4().hex[:8]}@example.org"
    order = book_for(local_stack, address, quantity=1)
    number = order["order_number"]
    wait_for(local_stack, address, 1)
    report = {
        "eventType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": address}],
            "complaintFeedbackType": "abuse",
        },
        "mail": {"destination": [address]},
    }
    posted = local_stack.client.call("POST", "/_local/ses-events", body=report)
    assert posted.status == 200
    assert posted.json() == {"suppressed": 1}

    key = local_stack.organizer_key
    assert local_stack.client.call("POST", f"/orders/{number}/resend", key).status in (200, 202)
    deadline = time.monotonic() + 30
    withheld: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not withheld:
        withheld = local_stack.client.call("GET", f"/orders/{number}", key).json()["withheld_mails"]
        time.sleep(0.3)
    assert [(w["outcome"], w["reason"], w["mail_class"]) for w in withheld] == [
        ("suppressed", "complaint", "resend")
    ]
    assert len(mails_to(local_stack, address)) == 1  # the confirmation only

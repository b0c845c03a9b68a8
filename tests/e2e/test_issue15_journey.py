"""Issue 15's "Done means" as one journey through the local stack: an information message
reaches every holder once and only after review, a shop link is refused at submit, a marketing
message reaches only the holder who confirmed by double opt-in, and nobody after unsubscribing.
"""

from __future__ import annotations

import re
import time
import urllib.parse
import uuid
from email import message_from_string
from typing import Any

import pytest

from tests.e2e.stack import Client, LocalStack
from tests.e2e.test_foundation import assert_problem, booking_body, new_event
from tests.e2e.test_notifications import _enqueue_again

pytestmark = pytest.mark.slow

HOLDERS = [("Anna", "Adler"), ("Bernd", "Berger"), ("Clara", "Conrad")]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def path_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def link_in(text: str, part: str) -> str:
    found = re.search(rf"https?://\S*{part}\S*", text)
    assert found, text
    return found.group(0)


def outbox(stack: LocalStack, raw: bool = False) -> list[dict[str, Any]]:
    mails: list[dict[str, Any]] = stack.client.call(
        "GET", "/_local/outbox?raw=1" if raw else "/_local/outbox"
    ).json()
    return mails


def about(stack: LocalStack, subject: str, raw: bool = False) -> list[dict[str, Any]]:
    return [m for m in outbox(stack, raw) if m["subject"] == subject]


def wait_until(check: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("timed out")


def post_form(client: Client, path: str, body: bytes) -> Any:
    return client.call("POST", path, raw=body, headers=FORM)


def marketing_of(stack: LocalStack, address: str) -> dict[str, Any]:
    reply = stack.client.call(
        "GET", f"/customers/consents?email={urllib.parse.quote(address)}", stack.organizer_key
    )
    assert reply.status == 200, reply.body
    found: dict[str, Any] = reply.json()
    return found


def opt_in(stack: LocalStack, client: Client, order: dict[str, Any]) -> None:
    """The order page's switch, the confirmation mail's link (a page), and its button."""
    address = order["customer"]["email"]
    page = path_of(order["self_service_url"])
    assert post_form(client, f"{page}/preferences", b"marketing=on").status == 303
    assert marketing_of(stack, address)["marketing"] is False
    mail = wait_until(
        lambda: [
            m for m in outbox(stack) if m["to"] == [address] and "/consent/confirm/" in m["text"]
        ]
    )[-1]
    confirm = path_of(link_in(mail["text"], "/consent/confirm/"))
    shown = client.call("GET", confirm)
    assert shown.status == 200
    assert 'id="consent-button"' in shown.body.decode()
    assert marketing_of(stack, address)["marketing"] is False  # a GET alone changes nothing
    assert post_form(client, confirm, b"confirm=yes").status == 200
    assert marketing_of(stack, address)["marketing"] is True


def send_reviewed(stack: LocalStack, event_id: str, message: dict[str, str]) -> dict[str, Any]:
    """Write, submit and approve a message; its state once the fan-out is done."""
    client, key = stack.client, stack.organizer_key
    made = client.call("POST", f"/events/{event_id}/notifications", key, message)
    assert made.status == 201, made.body
    nid = made.json()["notification_id"]
    assert client.call("POST", f"/notifications/{nid}/submit", key).status == 200
    approved = client.call("POST", f"/notifications/{nid}/approve", stack.reviewer_key)
    assert approved.status == 200, approved.body
    done: dict[str, Any] = wait_until(
        lambda: (
            (n := client.call("GET", f"/notifications/{nid}", key).json())["state"] == "sent" and n
        )
    )
    return done


def test_issue_15_done_means(local_stack: LocalStack) -> None:
    client, key, reviewer = local_stack.client, local_stack.organizer_key, local_stack.reviewer_key
    holder_page = client.from_address("127.0.0.151")
    run = uuid.uuid4().hex[:8]
    event_id = new_event(client, key)["event_id"]
    orders = []
    for first, last in HOLDERS:
        body = booking_body(last)
        body["customer"].update(first_name=first, email=f"{last.lower()}-{run}@example.org")
        reply = client.call("POST", f"/events/{event_id}/bookings", key, body)
        assert reply.status == 201, reply.body
        orders.append(reply.json())
    anna, bernd, clara = orders

    # Bernd opted in once and unsubscribed on his order page; Clara confirms by double opt-in
    opt_in(local_stack, holder_page, bernd)
    bernd_page = path_of(bernd["self_service_url"])
    assert post_form(holder_page, f"{bernd_page}/preferences", b"marketing=off").status == 303
    assert marketing_of(local_stack, bernd["customer"]["email"])["marketing"] is False
    opt_in(local_stack, holder_page, clara)

    # an information message: nothing before approval, then exactly one mail per holder
    subject = f"Einlass ab 9 Uhr {run}"
    text = "Bitte kommen Sie **pünktlich**; der Einlass beginnt um 9 Uhr."
    made = client.call(
        "POST", f"/events/{event_id}/notifications", key, {"subject": subject, "body": text}
    )
    assert made.status == 201, made.body
    nid = made.json()["notification_id"]
    assert client.call("POST", f"/notifications/{nid}/submit", key).status == 200
    time.sleep(2)  # whatever would be sent before approval has had its time
    assert about(local_stack, subject) == []
    assert client.call("POST", f"/notifications/{nid}/approve", reviewer).status == 200
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
        [mail] = [m for m in mails if m["to"] == [order["customer"]["email"]]]
        assert f"Guten Tag {first} {last}," in mail["text"]
        assert order["order_number"] in mail["text"]
    # the fan-out run again (a redelivered message) sends nothing more
    _enqueue_again(local_stack, nid)
    time.sleep(3)
    assert len(about(local_stack, subject)) == 3

    # a link to a discount shop is refused at submit, the link named
    shop = "https://rabatt-shop.example/deal"
    offer = client.call(
        "POST",
        f"/events/{event_id}/notifications",
        key,
        {"subject": f"Angebot {run}", "body": f"Nur heute: [20 % Rabatt]({shop})!"},
    ).json()["notification_id"]
    problem = assert_problem(client.call("POST", f"/notifications/{offer}/submit", key), 422)
    assert shop in problem["detail"]

    # a marketing message reaches only Clara, with List-Unsubscribe
    promo = f"Neu im Programm {run}"
    sent = send_reviewed(
        local_stack,
        event_id,
        {"subject": promo, "body": f"Jetzt [20 % Rabatt]({shop}).", "kind": "marketing"},
    )
    assert (sent["recipients"], sent["sent"], sent["suppressed"]) == (3, 1, 2)
    [mail] = wait_until(lambda: about(local_stack, promo, raw=True))
    assert mail["to"] == [clara["customer"]["email"]]
    headers = message_from_string(mail["raw"])
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = path_of(str(headers["List-Unsubscribe"]).strip("<>"))
    assert unsubscribe.startswith("/consent/unsubscribe/")
    time.sleep(2)
    assert len(about(local_stack, promo)) == 1

    # Clara follows the unsubscribe link: its page, then its button
    shown = holder_page.call("GET", unsubscribe)
    assert shown.status == 200
    assert 'id="consent-button"' in shown.body.decode()
    assert marketing_of(local_stack, clara["customer"]["email"])["marketing"] is True
    assert post_form(holder_page, unsubscribe, b"confirm=yes").status == 200
    assert marketing_of(local_stack, clara["customer"]["email"])["marketing"] is False

    # the next marketing message reaches nobody
    later = f"Noch mehr Neues {run}"
    nothing = send_reviewed(
        local_stack, event_id, {"subject": later, "body": "Bald mehr.", "kind": "marketing"}
    )
    assert (nothing["recipients"], nothing["sent"], nothing["suppressed"]) == (3, 0, 3)
    time.sleep(3)
    assert about(local_stack, later) == []
    assert anna["order_number"] not in {m["text"] for m in about(local_stack, promo)}

    # the console's order detail: Bernd's consent and its history; Anna's changed on request
    from tests.e2e.console import sign_in

    admin = sign_in(local_stack, local_stack.organizer_email, "127.0.0.152")
    shown = admin.text(f"/console/orders/{bernd['order_number']}")
    assert "Bestätigungslink (Double-Opt-In)" in shown
    assert "Bestellseite" in shown
    anna_page = f"/console/orders/{anna['order_number']}"
    changed = admin.post(f"{anna_page}/consent", {"reminders": "off"}, csrf_from=anna_page)
    assert changed.status == 303, changed.body
    state = marketing_of(local_stack, anna["customer"]["email"])
    assert (state["reminders"], state["history"][-1]["channel"]) == (False, "organizer")
    assert "Einwilligung auf Kundenwunsch geändert: reminders=off" in admin.text(anna_page)

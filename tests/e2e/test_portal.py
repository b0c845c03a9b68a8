"""The customer's self-service through the local stack (seed 001, "Problembehandlung")."""

from __future__ import annotations

import time
import urllib.parse
import uuid
from typing import Any

import boto3
import pytest

from tests.e2e.stack import Client, LocalStack
from tests.e2e.stack import mails_to as outbox_mails_to
from tests.e2e.test_foundation import assert_problem, booking_body, new_event
from tests.pdf_reading import decode_qr_codes

pytestmark = pytest.mark.slow


def book_for(stack: LocalStack, email: str, quantity: int = 2, **changes: Any) -> dict[str, Any]:
    event = new_event(stack.client, stack.organizer_key)
    body = booking_body("Portal", quantity, **changes)
    body["customer"]["email"] = email
    reply = stack.client.call(
        "POST", f"/events/{event['event_id']}/bookings", stack.organizer_key, body
    )
    assert reply.status == 201, reply.body
    order: dict[str, Any] = reply.json()
    return order


def mails_to(stack: LocalStack, address: str) -> list[dict[str, Any]]:
    return [m for m in stack.client.call("GET", "/_local/outbox").json() if m["to"] == [address]]


def wait_for(
    stack: LocalStack, address: str, count: int, timeout: float = 15
) -> list[dict[str, Any]]:
    """The mails to ``address``, once there are ``count`` (``stack.mails_to``)."""
    return outbox_mails_to(stack, address, count=count, timeout=timeout)


def ask(client: Client, order_number: str, email: str) -> Any:
    return client.call(
        "POST", "/portal/requests", body={"order_number": order_number, "email": email}
    )


def follow(client: Client, path: str) -> str:
    reply = client.call("GET", path)
    assert reply.status == 302, reply.body
    location = reply.headers["Location"]
    expires = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["X-Amz-Expires"]
    assert 0 < int(expires[0]) <= 300
    return location


def fetch(url: str) -> bytes:
    target = urllib.parse.urlsplit(url)
    client = Client(f"{target.scheme}://{target.netloc}")
    reply = client.call("GET", f"{target.path}?{target.query}")
    assert reply.status == 200
    return reply.body


def test_the_link_arrives_at_the_orders_address_and_its_page_serves_the_documents(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client.from_address("127.0.0.60")
    address = f"portal-{uuid.uuid4().hex[:8]}@example.org"
    order = book_for(local_stack, address)
    wait_for(local_stack, address, 1)  # the confirmation

    # the customer types the number in lower case and the address in capitals
    answer = ask(client, order["order_number"].lower(), address.upper())
    assert answer.status == 202
    assert answer.json() == {"status": "accepted"}
    mail = wait_for(local_stack, address, 2)[-1]
    assert order["self_service_url"] in mail["text"]

    path = urllib.parse.urlsplit(order["self_service_url"]).path
    page = client.call("GET", path)
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.body.decode()
    for position in order["positions"]:
        assert position["id"] in html or "Madeleine Portal" in html
    # each ticket, all tickets and the invoice: short-lived downloads with the right content
    ticket_paths = sorted(
        {
            urllib.parse.urlsplit(link["url"]).path
            for link in client.call(
                "GET", f"/orders/{order['order_number']}/links", local_stack.organizer_key
            ).json()["links"]
        }
    )
    assert ticket_paths
    for ticket_path in ticket_paths:
        pdf = fetch(follow(client, ticket_path))
        assert decode_qr_codes(pdf)[0].startswith(order["order_number"])
    both = fetch(follow(client, f"{path}/tickets.pdf"))
    codes = decode_qr_codes(both, page=0) + decode_qr_codes(both, page=1)
    assert len(set(codes)) == 2
    invoice = fetch(follow(client, f"{path}/invoice"))
    assert invoice.startswith(b"%PDF")


def test_a_wrong_address_gets_the_same_answer_and_no_mail(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.61")
    address = f"portal-{uuid.uuid4().hex[:8]}@example.org"
    order = book_for(local_stack, address)
    wait_for(local_stack, address, 1)
    right = ask(client, order["order_number"], address)
    wrong = ask(client, order["order_number"], "someone-else@example.org")
    unknown = ask(client, "99BE-010101-000000", address)
    nonsense = ask(client, "<script>alert(1)</script>' OR 1=1 --", address)
    assert {r.status for r in (right, wrong, unknown, nonsense)} == {202}
    assert len({r.body for r in (right, wrong, unknown, nonsense)}) == 1
    time.sleep(2)
    assert len(mails_to(local_stack, "someone-else@example.org")) == 0
    assert len(mails_to(local_stack, address)) == 2  # the confirmation and the one link


def test_a_fourth_request_within_24_hours_sends_nothing(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.62")
    address = f"portal-{uuid.uuid4().hex[:8]}@example.org"
    order = book_for(local_stack, address)
    for _ in range(4):
        assert ask(client, order["order_number"], address).status == 202
    wait_for(local_stack, address, 4)  # the confirmation and three links
    time.sleep(2)
    assert len(mails_to(local_stack, address)) == 4


def test_the_ticket_link_works_after_its_pdf_was_deleted(local_stack: LocalStack) -> None:
    client = local_stack.client
    address = f"portal-{uuid.uuid4().hex[:8]}@example.org"
    order = book_for(local_stack, address, quantity=1)
    wait_for(local_stack, address, 1)
    link = client.call(
        "GET", f"/orders/{order['order_number']}/links", local_stack.organizer_key
    ).json()["links"][0]
    s3 = boto3.client(
        "s3",
        endpoint_url=local_stack.aws_endpoint,
        region_name="eu-central-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"] if "documents" in b["Name"])
    key = f"tickets/{order['order_number']}/{link['position_id']}.pdf"
    s3.head_object(Bucket=bucket, Key=key)  # it was made for the confirmation
    s3.delete_object(Bucket=bucket, Key=key)
    pdf = fetch(follow(client, urllib.parse.urlsplit(link["url"]).path))
    assert decode_qr_codes(pdf)[0].startswith(order["order_number"])
    s3.head_object(Bucket=bucket, Key=key)  # and it is kept again


def test_bad_links_and_input_never_break(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.63")
    address = f"portal-{uuid.uuid4().hex[:8]}@example.org"
    order = book_for(local_stack, address, quantity=1)
    path = urllib.parse.urlsplit(order["self_service_url"]).path
    secret = path.rsplit("/", 1)[1]
    forged = secret[:-1] + ("x" if secret[-1] != "x" else "y")  # the last character changed
    wrong_secret = client.call("GET", f"/o/{order['order_number']}/{forged}")
    unknown_order = client.call("GET", f"/o/99BE-010101-000000/{secret}")
    short_secret = client.call("GET", f"/o/{order['order_number']}/abc")
    hostile = client.call(
        "GET",
        "/o/" + urllib.parse.quote("<script>alert(1)</script>' OR '1'='1", safe="") + "/x",
    )
    huge = client.call("GET", f"/o/{'A' * 10_000}/{secret}")
    pages = [wrong_secret, unknown_order, short_secret, hostile, huge]
    assert [p.status for p in pages] == [404] * 5
    assert len({p.body for p in pages}) == 1  # one page for every way of being wrong
    assert b"<script>alert" not in hostile.body
    assert_problem(ask(client, "x" * 10_000, address), 422)
    assert_problem(client.call("POST", "/portal/requests", body={"order_number": "1"}), 422)
    assert client.call("DELETE", "/portal").status in (403, 404)
    assert client.call("PUT", path).status in (403, 404)


def test_the_organizer_resends_to_a_corrected_address(local_stack: LocalStack) -> None:
    mistyped = f"portal-{uuid.uuid4().hex[:8]}@exmaple.org"
    corrected = mistyped.replace("exmaple", "example")
    order = book_for(local_stack, mistyped, quantity=1)
    reply = local_stack.client.call(
        "POST",
        f"/orders/{order['order_number']}/resend",
        local_stack.organizer_key,
        {"email": corrected},
    )
    assert reply.status == 202
    assert reply.json()["to"] == corrected
    wait_for(local_stack, corrected, 1)
    detail = local_stack.client.call(
        "GET", f"/orders/{order['order_number']}", local_stack.organizer_key
    ).json()
    assert detail["customer"]["email"] == corrected
    [change] = detail["email_changes"]
    assert (change["previous"], change["current"]) == (mistyped, corrected)
    # the portal now answers the corrected address only
    ask(local_stack.client.from_address("127.0.0.64"), order["order_number"], corrected)
    wait_for(local_stack, corrected, 2)

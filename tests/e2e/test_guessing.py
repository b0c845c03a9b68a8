"""Guessing at the public doors through the local stack: self-service and ticket links are
throttled per address, an unknown order answers like a wrong secret, and many real visitors
behind one address are not taken for a guesser."""

from __future__ import annotations

import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import assert_problem
from tests.e2e.test_portal import book_for
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch

pytestmark = pytest.mark.slow


def wrong_secret(secret: str) -> str:
    return secret[:-1] + ("a" if secret[-1] != "a" else "b")


def test_thirty_wrong_order_links_from_one_address_end_in_429(local_stack: LocalStack) -> None:
    order = book_for(local_stack, f"guess-{uuid.uuid4().hex[:8]}@example.org", quantity=1)
    path = urllib.parse.urlsplit(order["self_service_url"]).path
    number, secret = path.split("/")[-2:]
    client = local_stack.client.from_address("127.0.0.170")

    answers = [
        client.call("GET", f"/o/{number}/{wrong_secret(secret)}", headers={"Accept-Language": "de"})
        for _ in range(30)
    ]

    statuses = [a.status for a in answers]
    assert statuses == [404] * 10 + [429] * 20
    refused = answers[-1]
    assert refused.headers["Content-Type"].startswith("text/html")
    assert refused.headers["Content-Language"] == "de"
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert "Zu viele" in refused.body.decode()
    # the right link from that address waits too; from another address it opens
    assert client.call("GET", path).status == 429
    assert client.call("GET", f"{path}/tickets.pdf").status == 429
    assert local_stack.client.from_address("127.0.0.171").call("GET", path).status == 200


def test_wrong_ticket_links_end_in_a_429_problem(local_stack: LocalStack) -> None:
    order = book_for(local_stack, f"guess-{uuid.uuid4().hex[:8]}@example.org", quantity=1)
    links = local_stack.client.call(
        "GET", f"/orders/{order['order_number']}/links", local_stack.organizer_key
    ).json()["links"]
    token = urllib.parse.urlsplit(links[0]["url"]).path.rsplit("/", 1)[-1]
    client = local_stack.client.from_address("127.0.0.172")

    statuses = [client.call("GET", f"/t/{wrong_secret(token)}").status for _ in range(10)]
    refused = client.call("GET", f"/t/{token}")

    assert statuses == [404] * 10
    assert_problem(refused, 429)
    assert 0 < int(refused.headers["Retry-After"]) <= 600


def test_an_unknown_order_answers_exactly_like_a_wrong_secret(local_stack: LocalStack) -> None:
    order = book_for(local_stack, f"guess-{uuid.uuid4().hex[:8]}@example.org", quantity=1)
    number, secret = urllib.parse.urlsplit(order["self_service_url"]).path.split("/")[-2:]
    unknown = f"{number[:-6]}{(int(number[-6:]) + 1) % 1_000_000:06d}"
    wrong = local_stack.client.from_address("127.0.0.173").call(
        "GET", f"/o/{number}/{wrong_secret(secret)}"
    )
    missing = local_stack.client.from_address("127.0.0.174").call("GET", f"/o/{unknown}/{secret}")

    assert (wrong.status, missing.status) == (404, 404)
    assert wrong.body == missing.body
    assert wrong.headers["Content-Type"] == missing.headers["Content-Type"]


def test_100_visitors_behind_one_address_register_and_none_is_refused(
    local_stack: LocalStack,
) -> None:
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Firmennetz")
    batch = ready_batch(local_stack.client, exhibitor["api_key"], event["event_id"], 100)
    codes = codes_of(batch)
    office = local_stack.client.from_address("127.0.0.175")  # a company's network

    def visitor(i: int) -> tuple[int, str]:
        body = {
            "first_name": "Visitor",
            "last_name": f"Nr{i % 100}",
            "email": f"visitor{i % 100}-{uuid.uuid4().hex[:6]}@firma.example",
        }
        reply = office.call("POST", f"/vouchers/{codes[i % 100]}/registration", body=body)
        return reply.status, reply.body.decode()

    # every visitor once, and a third of them again (a double click, a second tab)
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(visitor, [*range(100), *range(0, 100, 3)]))

    statuses = [status for status, _ in answers]
    assert 429 not in statuses
    assert statuses.count(201) == 100
    assert set(statuses) == {201, 409}
    assert all("already been used" in body for status, body in answers if status == 409)

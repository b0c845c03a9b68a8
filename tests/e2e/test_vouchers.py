"""Seed 000 through the local stack: an exhibitor's online vouchers, their registration by
visitors, and billing by use."""

from __future__ import annotations

import io
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import openpyxl
import pytest

from tests.e2e.stack import Client, LocalStack
from tests.e2e.test_foundation import assert_problem, new_event

pytestmark = pytest.mark.slow


def future_event(stack: LocalStack) -> dict[str, Any]:
    """An event still to come: vouchers are valid until its end by default."""
    return new_event(
        stack.client,
        stack.organizer_key,
        starts_at="2030-07-12T09:00:00+02:00",
        ends_at="2030-07-16T18:00:00+02:00",
    )


def exhibitor_of(stack: LocalStack, event_id: str, name: str) -> dict[str, Any]:
    reply = stack.client.call(
        "POST",
        "/exhibitors",
        stack.organizer_key,
        {"name": name, "email": f"{name.lower()}@messe.example", "event_id": event_id},
    )
    assert reply.status == 201, reply.body
    body: dict[str, Any] = reply.json()
    return body


def ready_batch(client: Client, key: str, event_id: str, quantity: int, **extra: Any) -> Any:
    ordered = client.call(
        "POST", f"/events/{event_id}/voucher-batches", key, {"quantity": quantity, **extra}
    )
    assert ordered.status == 202, ordered.body
    assert ordered.json()["status"] == "pending"
    batch_id = ordered.json()["batch_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch = client.call("GET", f"/voucher-batches/{batch_id}", key).json()
        assert batch["status"] in ("pending", "generating", "ready"), batch
        if batch["status"] == "ready":
            return batch
        time.sleep(0.2)
    raise AssertionError("the batch did not become ready")


def codes_of(batch: dict[str, Any]) -> list[str]:
    assert "X-Amz-Expires=300" in batch["download_url"]
    with urllib.request.urlopen(batch["download_url"]) as download:
        sheet = openpyxl.load_workbook(io.BytesIO(download.read())).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Gutschein-Nummer", "Persönlicher Einlöse-Link"]
    for code, link, *_ in rows[1:]:
        assert link.endswith(f"/redeem?code={code}")
    return [str(r[0]) for r in rows[1:]]


def register(client: Client, code: str, email: str, **extra: Any) -> Any:
    body = {"first_name": "Erika", "last_name": "Musterfrau", "email": email, **extra}
    return client.call("POST", f"/vouchers/{code}/registration", body=body)


def test_exhibitor_orders_1000_codes_and_downloads_them_as_excel(local_stack: LocalStack) -> None:
    client = local_stack.client
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Forst")
    batch = ready_batch(client, exhibitor["api_key"], event["event_id"], 1000, label="Juli")
    codes = codes_of(batch)
    assert len(codes) == 1000
    assert len(set(codes)) == 1000
    overview = client.call("GET", "/voucher-batches", exhibitor["api_key"]).json()["batches"]
    assert [b["batch_id"] for b in overview] == [batch["batch_id"]]


def test_one_code_registered_50_times_at_once_gives_one_ticket(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.50")
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Saege")
    code = codes_of(ready_batch(client, exhibitor["api_key"], event["event_id"], 3))[0]

    def attempt(i: int) -> int:
        return int(register(client, code, f"visitor{i}@example.org").status)

    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(attempt, range(50)))
    assert statuses.count(201) == 1
    assert set(statuses) <= {201, 409, 429}
    assert statuses.count(409) >= 9  # the losers are told the code was used


def test_visitor_registration_billing_and_who_redeemed(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.51")
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Harvester")
    key = exhibitor["api_key"]
    first, second, third = codes_of(ready_batch(client, key, event["event_id"], 10))[:3]

    # the code as printed, typed in lower case without dashes, registers
    done = register(client, first.lower().replace("-", ""), "Erika+fair@Example.org")
    assert done.status == 201, done.body
    order_number = done.json()["order_number"]
    assert "/o/" in done.json()["self_service_url"]
    # the same person with another code: one voucher ticket per person and event
    again = register(client, second, "erika@example.org")
    assert "one person" in assert_problem(again, 409)["detail"]
    assert_problem(register(client, first, "someone@example.org"), 409)
    other = client.call(
        "POST",
        f"/vouchers/{second}/registration",
        body={
            "first_name": "Max",
            "last_name": "Holz",
            "email": "max@example.org",
            "company": "Sägewerk",
        },
    )
    assert other.status == 201

    redeemed = client.call("GET", f"/events/{event['event_id']}/redemptions", key).json()
    assert sorted(r["code"] for r in redeemed["redemptions"]) == sorted(
        [first.replace("-", ""), second.replace("-", "")]
    )
    # the holder comes to the fair
    checked = client.call("POST", f"/orders/{order_number}/checkins", local_stack.organizer_key)
    assert checked.status == 200
    statement = client.call("GET", f"/events/{event['event_id']}/statement", key).json()
    assert statement == {
        **statement,
        "issued": 10,
        "redeemed": 2,
        "used": 1,
        "billable": 1,
        "unit_price": "12.00",
        "currency": "EUR",
        "total": "12.00",
    }
    sheet = client.call("GET", f"/events/{event['event_id']}/redemptions?format=xlsx", key)
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.body)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    checked_in = [r for r in rows[1:] if r[6] is not None]
    assert len(checked_in) == 1

    # cancelling the stand keeps the bill and stops new orders
    exhibitor_id = exhibitor["exhibitor_id"]
    cancel = client.call("POST", f"/exhibitors/{exhibitor_id}/cancel", local_stack.organizer_key)
    assert cancel.status == 200
    assert_problem(
        client.call("POST", f"/events/{event['event_id']}/voucher-batches", key, {"quantity": 1}),
        409,
    )
    after = client.call("GET", f"/events/{event['event_id']}/statement", key).json()
    assert (after["billable"], after["total"], after["cancelled"]) == (1, "12.00", True)
    # the organizer gets every exhibitor's statement as one Excel file
    all_of_them = client.call(
        "GET", f"/events/{event['event_id']}/statements?format=xlsx", local_stack.organizer_key
    )
    book = openpyxl.load_workbook(io.BytesIO(all_of_them.body)).active
    assert book is not None
    assert [r[0] for r in book.iter_rows(min_row=2, values_only=True)] == ["Harvester"]
    assert third  # unused codes are simply not billed


def test_bad_codes_answer_alike_and_repeated_failures_are_refused(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client.from_address("127.0.0.52")
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Probe")
    code = codes_of(ready_batch(client, exhibitor["api_key"], event["event_id"], 1))[0]
    wrong_check = code[:-1] + ("A" if code[-1] != "A" else "B")
    unknown = register(client, wrong_check, "a@example.org")
    malformed = register(client, "hello", "a@example.org")
    foreign = register(client, code, "a@example.org", event_id="evt_0000000000000000")
    bodies = {r.body for r in (unknown, malformed, foreign)}
    assert {r.status for r in (unknown, malformed, foreign)} == {404}
    assert len(bodies) == 1
    assert_problem(register(client, code, "not-an-address"), 422)
    assert_problem(register(client, code, "a@example.org", first_name=""), 422)
    big = client.call(
        "POST", f"/vouchers/{code}/registration", raw=b'{"first_name": "' + b"x" * 70_000 + b'"}'
    )
    assert_problem(big, 413)
    # codes with a right check character that do not exist: each a failed guess
    guesses = [_valid_looking(i) for i in range(12)]
    statuses = [register(client, guess, "a@example.org").status for guess in guesses]
    # wrong check character and malformed codes cost nothing; the other-event code and
    # the guesses count: ten failures, then refusal
    assert statuses[:9] == [404] * 9
    assert statuses[-1] == 429
    refused = register(client, code, "late@example.org")
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    # another client is not affected
    elsewhere = register(local_stack.client.from_address("127.0.0.53"), code, "ok@example.org")
    assert elsewhere.status == 201


def _valid_looking(i: int) -> str:
    from ticketing.domain.voucher_codes import check_character, display

    payload = f"{i:05d}ABCDEFGH"
    return display(payload + check_character(payload))


def test_an_expired_voucher_answers_410(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.54")
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Spaet")
    batch = ready_batch(
        client, exhibitor["api_key"], event["event_id"], 1, valid_until="2029-07-01T00:00:00+02:00"
    )
    code = codes_of(batch)[0]
    client.call("POST", "/_local/clock", body={"now": "2029-07-02T10:00:00Z"})
    try:
        assert_problem(register(client, code, "late@example.org"), 410)
    finally:
        client.call("POST", "/_local/clock", body={"now": None})


def test_batch_quantity_must_be_sensible(local_stack: LocalStack) -> None:
    client = local_stack.client
    event = future_event(local_stack)
    key = exhibitor_of(local_stack, event["event_id"], "Menge")["api_key"]
    path = f"/events/{event['event_id']}/voucher-batches"
    for quantity in (0, -5, 100_001, "ten", 1.5):
        problem = assert_problem(client.call("POST", path, key, {"quantity": quantity}), 422)
        assert {e["field"] for e in problem["errors"]} == {"quantity"}
    past = {"quantity": 5, "valid_until": "2020-01-01T00:00:00+01:00"}
    problem = assert_problem(client.call("POST", path, key, past), 422)
    assert {e["field"] for e in problem["errors"]} == {"valid_until"}

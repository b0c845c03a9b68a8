"""Voucher validity through the local stack: the expiry schedule, extension, bad dates."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.stack import LocalStack, mails_to
from tests.e2e.test_batch_progress import extension_done
from tests.e2e.test_foundation import assert_problem, booking_body
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch, register

pytestmark = pytest.mark.slow


@pytest.fixture
def clock(local_stack: LocalStack) -> Iterator[Any]:
    def move(moment: dt.datetime) -> None:
        reply = local_stack.client.call("POST", "/_local/clock", body={"now": moment.isoformat()})
        assert reply.status == 200

    yield move
    local_stack.client.call("POST", "/_local/clock", body={"now": None})


def run_expiry(stack: LocalStack) -> dict[str, Any]:
    ran = stack.client.call("POST", "/_local/schedules/VoucherExpiryFunction").json()
    assert ran["error"] is None, ran
    result: dict[str, Any] = ran["result"]
    return result


def test_expired_vouchers_answer_410_until_one_is_extended(
    local_stack: LocalStack, clock: Any
) -> None:
    client = local_stack.client.from_address("127.0.0.70")
    organizer = local_stack.organizer_key
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Ablauf")
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).date()
    batch = ready_batch(
        client, exhibitor["api_key"], event["event_id"], 5, valid_until=tomorrow.isoformat()
    )
    assert batch["valid_until"].startswith((tomorrow + dt.timedelta(days=1)).isoformat())
    codes = codes_of(batch)

    clock(dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    first = run_expiry(local_stack)
    # these five, and any other test's vouchers that ended by then
    assert first["expired"] >= 5
    assert first["index_items_read"] == first["due"] == first["expired"]  # it read nothing else
    assert_problem(register(client, codes[0], "late@example.org"), 410)

    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).date().isoformat()
    extended = client.call("PATCH", f"/vouchers/{codes[0]}", organizer, {"valid_until": later})
    assert extended.status == 200, extended.body
    assert extended.json()["state"] == "issued"
    [change] = extended.json()["validity_changes"]
    assert change["current"].startswith(later[:4])
    assert register(client, codes[0], "late@example.org").status == 201

    again, once_more = run_expiry(local_stack), run_expiry(local_stack)
    assert (again["expired"], once_more["expired"]) == (0, 0)
    # a redeemed voucher cannot be changed any more
    assert_problem(
        client.call("PATCH", f"/vouchers/{codes[0]}", organizer, {"valid_until": later}), 409
    )
    assert_problem(register(client, codes[1], "other@example.org"), 410)
    # the exhibitor has no business changing validity
    assert_problem(
        client.call("PATCH", f"/vouchers/{codes[1]}", exhibitor["api_key"], {"valid_until": later}),
        403,
    )


def test_a_voucher_is_not_valid_before_its_start(local_stack: LocalStack, clock: Any) -> None:
    client = local_stack.client.from_address("127.0.0.71")
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Frueh")
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5)).date()
    batch = ready_batch(
        client, exhibitor["api_key"], event["event_id"], 1, valid_from=start.isoformat()
    )
    code = codes_of(batch)[0]
    early = assert_problem(register(client, code, "early@example.org"), 409)
    assert "not yet valid" in early["detail"]
    clock(dt.datetime.combine(start, dt.time(12), dt.UTC))
    assert register(client, code, "early@example.org").status == 201


def test_bad_dates_name_the_field(local_stack: LocalStack) -> None:
    client = local_stack.client
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Datum")
    path = f"/events/{event['event_id']}/voucher-batches"
    cases: list[dict[str, Any]] = [
        {"quantity": 1, "valid_until": "next tuesday"},
        {"quantity": 1, "valid_until": "2030-07-01T10:00:00"},  # no time zone
        {"quantity": 1, "valid_from": "2030-07-10", "valid_until": "2030-07-01"},
    ]
    for body in cases:
        problem = assert_problem(client.call("POST", path, exhibitor["api_key"], body), 422)
        assert "valid_until" in {e["field"] for e in problem["errors"]}, problem
    batch = ready_batch(client, exhibitor["api_key"], event["event_id"], 2)
    code = codes_of(batch)[0]
    organizer = local_stack.organizer_key
    for body, field in (
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"valid_until": "2031-01-01"}, "valid_until"),  # after the event: say so explicitly
        ({"valid_until": "soon"}, "valid_until"),
    ):
        problem = assert_problem(client.call("PATCH", f"/vouchers/{code}", organizer, body), 422)
        assert field in {e["field"] for e in problem["errors"]}, problem
    beyond = client.call(
        "PATCH",
        f"/vouchers/{code}",
        organizer,
        {"valid_until": "2031-01-01", "beyond_event_end": True},
    )
    assert beyond.status == 200
    whole = client.call(
        "PATCH",
        f"/voucher-batches/{batch['batch_id']}",
        organizer,
        {"valid_until": "2030-07-15"},
    )
    # issue 12: the worker walks the batch's codes; the request answers 202 with the job
    assert whole.status == 202, whole.body
    assert whole.json()["extension"]["state"] == "running"
    done = extension_done(local_stack, batch["batch_id"])
    assert (done["changed"], done["skipped_redeemed"]) == (2, 0)


def test_holders_are_reminded_the_day_before_unless_they_said_no(
    local_stack: LocalStack, clock: Any
) -> None:
    client, organizer = local_stack.client, local_stack.organizer_key
    event = future_event(local_stack)  # starts 2030-07-12 09:00 in Berlin
    stamp = dt.datetime.now().strftime("%H%M%S%f")
    addresses = {name: f"{name}-{stamp}@example.org" for name in ("keen", "quiet")}
    orders = {}
    for name, address in addresses.items():
        body = booking_body(name.title())
        body["customer"]["email"] = address
        reply = client.call("POST", f"/events/{event['event_id']}/bookings", organizer, body)
        assert reply.status == 201
        orders[name] = reply.json()
    # the quiet holder switches reminders off on the order page (a plain form post)
    page = urllib.parse.urlsplit(orders["quiet"]["self_service_url"]).path
    switched = client.call(
        "POST",
        f"{page}/preferences",
        raw=b"reminders=off",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert switched.status == 303
    detail = client.call("GET", f"/orders/{orders['quiet']['order_number']}", organizer).json()
    assert detail["reminders"] is False
    assert detail["consent_changes"][0]["reminders"] is False

    clock(dt.datetime(2030, 7, 11, 6, 0, tzinfo=dt.UTC))  # 08:00 in Berlin, the day before
    ran = local_stack.client.call("POST", "/_local/schedules/RemindersFunction").json()
    assert ran["error"] is None, ran
    assert ran["result"]["holders"] >= 1
    again = local_stack.client.call("POST", "/_local/schedules/RemindersFunction").json()
    assert again["result"]["holders"] == 0  # each reminder once

    def subjects(address: str) -> list[str]:
        mails = local_stack.client.call("GET", "/_local/outbox").json()
        return [m["subject"] for m in mails if m["to"] == [address]]

    mails_to(local_stack, addresses["keen"], "Morgen")
    assert [s for s in subjects(addresses["keen"]) if "Morgen" in s] == [f"Morgen: {event['name']}"]
    assert not [s for s in subjects(addresses["quiet"]) if "Morgen" in s]


def test_exhibitors_hear_a_week_before_their_vouchers_end(
    local_stack: LocalStack, clock: Any
) -> None:
    client = local_stack.client
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], f"Woche{dt.datetime.now():%H%M%S%f}")
    ready_batch(
        client, exhibitor["api_key"], event["event_id"], 4, valid_until="2030-06-30", label="Juni"
    )
    # the vouchers end at midnight after 30 June in Berlin; a week and a few hours before:
    clock(dt.datetime(2030, 6, 23, 12, 0, tzinfo=dt.UTC))
    ran = local_stack.client.call("POST", "/_local/schedules/RemindersFunction").json()
    assert ran["error"] is None, ran
    assert ran["result"]["exhibitors"] >= 1
    email = exhibitor["email"]
    found = mails_to(local_stack, email, "4 Gutscheine laufen")  # not the batch's ready mail
    assert "Juni" in found[0]["text"]

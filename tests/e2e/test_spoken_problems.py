"""Through the local stack: problems in the caller's language (the German /redeem page sends
``Accept-Language: de``), and the guards of an event's times."""

from __future__ import annotations

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import INTERFORST, assert_problem, booking_body, new_event
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch

pytestmark = pytest.mark.slow


def test_a_german_redeem_page_is_told_in_german_that_a_code_is_used(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client.from_address("127.0.0.41")
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Sprache")
    [code] = codes_of(ready_batch(client, exhibitor["api_key"], event["event_id"], 1))
    page = client.call("GET", f"/redeem?code={code}", headers={"Accept-Language": "de-DE,de"})
    assert page.status == 200
    assert 'lang="de"' in page.body.decode()
    body = {"first_name": "Erika", "last_name": "Musterfrau", "email": "erika@example.org"}
    path = f"/vouchers/{code}/registration"
    # what the page's script sends: its own language
    german = {"Accept-Language": "de"}
    assert client.call("POST", path, body=body, headers=german).status == 201

    again = {**body, "email": "max@example.org", "first_name": "Max"}
    used = assert_problem(client.call("POST", path, body=again, headers=german), 409)
    chinese = client.call("POST", path, body=again, headers={"Accept-Language": "zh-Hans"})
    english = client.call("POST", path, body=again)

    assert used["detail"] == "Dieser Gutscheincode wurde bereits eingelöst."
    assert used["title"] == "Konflikt"
    assert chinese.json()["detail"] == "此兑换码已被使用。"
    assert chinese.headers["Content-Language"] == "zh"
    assert english.json()["detail"] == "This voucher code has already been used."


def test_no_event_that_ends_in_the_past(local_stack: LocalStack) -> None:
    past = {**INTERFORST, "starts_at": "2020-07-12T09:00:00+02:00"}
    past["ends_at"] = "2020-07-16T18:00:00+02:00"

    reply = local_stack.client.call(
        "POST", "/events", local_stack.organizer_key, past, headers={"Accept-Language": "de"}
    )

    problem = assert_problem(reply, 422)
    assert [e["field"] for e in problem["errors"]] == ["ends_at"]
    assert "Vergangenheit" in problem["detail"]


def test_check_in_waits_for_its_opening_time(local_stack: LocalStack) -> None:
    client = local_stack.client
    event = new_event(
        client, local_stack.organizer_key, checkin_opens_at="2027-07-12T07:00:00+02:00"
    )
    assert event["checkin_opens_at"].startswith("2027-07-12T07:00")
    booked = client.call(
        "POST",
        f"/events/{event['event_id']}/bookings",
        local_stack.organizer_key,
        booking_body("Einlass"),
    )
    assert booked.status == 201, booked.body
    order_number = booked.json()["order_number"]

    early = client.call(
        "POST",
        f"/orders/{order_number}/checkins",
        local_stack.organizer_key,
        headers={"Accept-Language": "de"},
    )

    problem = assert_problem(early, 409)
    assert problem["detail"] == (
        "Der Einlass für diese Veranstaltung öffnet am 12.07.2027, 07:00 Uhr."
    )

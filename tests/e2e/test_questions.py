"""Seed 002 through the local stack: an event's questions, answered by a booking of two
tickets and by a visitor on /redeem, shown in the order detail, the booking list Excel and,
for the shared question only, in the exhibitor's redemption list."""

from __future__ import annotations

import io
import re
import urllib.parse
from typing import Any

import openpyxl
import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import assert_problem, booking_body
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch

pytestmark = pytest.mark.slow

QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "branche",
        "label": {"de": "Branche", "en": "Industry", "zh": "行业"},
        "type": "choice",
        "required": True,
        "scope": "order",
        "share_with_exhibitor": True,
        "options": [
            {"id": "forst", "label": {"de": "Forstwirtschaft", "en": "Forestry"}},
            {"id": "holz", "label": {"de": "Holzbau", "en": "Timber"}},
        ],
    },
    {
        "id": "mobil",
        "label": {"de": "Mobilnummer", "en": "Mobile"},
        "type": "phone",
        "scope": "order",
    },
    {
        "id": "essen",
        "label": {"de": "Mittagessen", "en": "Lunch"},
        "type": "text",
        "required": True,
        "scope": "attendee",
        "price_options": ["day"],
        "on_ticket": True,
    },
]


def sheet_rows(data: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_questions_answered_by_a_booking_and_a_registration(local_stack: LocalStack) -> None:
    client, key = local_stack.client.from_address("127.0.0.70"), local_stack.organizer_key
    event = future_event(local_stack)
    event_id = event["event_id"]

    bad = client.call(
        "PUT", f"/events/{event_id}/questions", key, [{**QUESTIONS[0], "options": []}]
    )
    assert_problem(bad, 422)
    put = client.call("PUT", f"/events/{event_id}/questions", key, QUESTIONS)
    assert put.status == 200, put.body
    read = client.call("GET", f"/events/{event_id}/questions", key).json()
    assert [q["id"] for q in read["questions"]] == ["branche", "mobil", "essen"]

    attendees = [
        {"first_name": "Ewa", "last_name": "Łukasiewicz", "answers": {"essen": "vegetarisch"}},
        {"first_name": "Γιώργος", "last_name": "Παπαδόπουλος", "answers": {}},
    ]
    body = booking_body("Fragen", 2, attendees=attendees, answers={"branche": "holz"})
    missing = client.call(
        "POST", f"/events/{event_id}/bookings", key, body, headers={"Accept-Language": "de"}
    )
    problem = assert_problem(missing, 422)
    assert [e["field"] for e in problem["errors"]] == ["attendees[1].answers.essen"]
    assert "Mittagessen" in problem["detail"]

    attendees[1]["answers"] = {"essen": "ohne Nüsse"}
    body["answers"]["mobil"] = "+49 170 1234567"
    booked = client.call("POST", f"/events/{event_id}/bookings", key, body)
    assert booked.status == 201, booked.body
    number = booked.json()["order_number"]

    detail = client.call("GET", f"/orders/{number}", key).json()
    assert detail["answers"] == {"branche": "holz", "mobil": "+49 170 1234567"}
    assert [p["answers"] for p in detail["positions"]] == [
        {"essen": "vegetarisch"},
        {"essen": "ohne Nüsse"},
    ]

    listed = client.call("GET", f"/events/{event_id}/orders?format=xlsx", key)
    assert listed.status == 200
    rows = sheet_rows(listed.body)
    header, [row] = rows[0], rows[1:]
    assert header[-3:] == ["Branche", "Mobilnummer", "Mittagessen"]
    assert row[0] == number
    # a cell starting with "+" is written as text (no formula from a customer's answer)
    assert row[-3:] == ["Holzbau", "'+49 170 1234567", "vegetarisch | ohne Nüsse"]

    # a visitor registers a voucher on /redeem (the form posted without a script)
    exhibitor = exhibitor_of(local_stack, event_id, "Fragensteller")
    code = codes_of(ready_batch(client, exhibitor["api_key"], event_id, 2))[0]
    page = client.call("GET", f"/redeem?code={code}&lang=de").body.decode()
    assert 'name="answers.branche"' in page
    assert "Forstwirtschaft" in page
    assert 'name="answers.essen"' not in page  # an attendee question: not the order's
    form = {"code": code, "first_name": "Jan", "last_name": "Kowalski", "email": "jan@example.org"}
    posted = client.call(
        "POST",
        "/redeem?lang=de",
        raw=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert posted.status == 422
    text = posted.body.decode()
    assert re.search(r'id="q-branche"[^>]*aria-invalid="true"', text)
    assert "Bitte beantworten Sie „Branche“." in text
    assert 'value="Kowalski"' in text  # what was typed stays
    form.update({"answers.branche": "forst", "answers.mobil": "+48 22 1234567"})
    posted = client.call(
        "POST",
        "/redeem?lang=de",
        raw=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert posted.status == 200, posted.body.decode()[-2000:]
    assert "order-number" in posted.body.decode()

    redeemed = client.call("GET", f"/events/{event_id}/redemptions", exhibitor["api_key"]).json()
    [registration] = redeemed["redemptions"]
    assert registration["answers"] == {"branche": "forst"}  # the phone is not shared
    xlsx = client.call("GET", f"/events/{event_id}/redemptions?format=xlsx", exhibitor["api_key"])
    rows = sheet_rows(xlsx.body)
    assert rows[0][-1] == "Branche"
    assert "Mobilnummer" not in rows[0]
    assert rows[1][-1] == "Forstwirtschaft"

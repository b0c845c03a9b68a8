"""Issue 11 through the local stack: a booking names one attendee per ticket, each ticket PDF
in the confirmation prints its attendee's name (any script) and "n of 3", the mail carries
the event as an .ics, and the organizer renames one ticket, whose download shows the new
name."""

from __future__ import annotations

import urllib.request

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_bookings import moto_raw_mail, wait_for_mail
from tests.e2e.test_foundation import assert_problem, booking_body, new_event
from tests.pdf_reading import decode_qr_codes, pdf_text
from tests.unit.test_calendar_file import parse_ics

pytestmark = pytest.mark.slow

ATTENDEES = [
    {"first_name": "Łukasz", "last_name": "Wąsik"},
    {"first_name": "伟", "last_name": "张"},
    {"first_name": "Αθηνά", "last_name": "Παππά"},
]


def download(url: str) -> bytes:
    """A ticket's link, followed as a browser does (to the presigned URL)."""
    with urllib.request.urlopen(url) as answer:
        data: bytes = answer.read()
    return data


def test_named_attendees_get_their_tickets_and_one_can_be_renamed(
    local_stack: LocalStack,
) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key)
    body = booking_body("Wąsik", 3, attendees=ATTENDEES)

    reply = client.call("POST", f"/events/{event['event_id']}/bookings", key, body)

    assert reply.status == 201, reply.body
    order = reply.json()
    names = [f"{a['first_name']} {a['last_name']}" for a in ATTENDEES]
    assert [p["holder"] for p in order["positions"]] == names
    wait_for_mail(local_stack, order["order_number"])
    message = moto_raw_mail(local_stack, order["order_number"])
    # the bytes as sent (an .ics is UTF-8 by RFC 5545 3.1.4, whatever a MIME reader assumes)
    parts = {str(p.get_filename()): p.get_payload(decode=True) for p in message.iter_attachments()}
    for number, (position, name) in enumerate(zip(order["positions"], names, strict=True), 1):
        text = pdf_text(parts[f"ticket-{position['id']}.pdf"])
        assert name in text
        assert f"{number} von 3" in text
    _, entry = parse_ics(parts[f"event-{order['order_number']}.ics"])
    assert entry["SUMMARY"][1] == event["name"]
    assert entry["UID"][1].startswith(f"order-{order['order_number']}@")

    second = order["positions"][1]
    renamed = client.call(
        "PATCH",
        f"/orders/{order['order_number']}/positions/{second['id']}",
        key,
        {"first_name": "Anna", "last_name": "Schmidt"},
    )

    assert renamed.status == 200, renamed.body
    assert [p["holder"] for p in renamed.json()["positions"]] == [
        names[0],
        "Anna Schmidt",
        names[2],
    ]
    links = client.call("GET", f"/orders/{order['order_number']}/links", key).json()["links"]
    pdf = download(links[1]["url"])
    assert "Anna Schmidt" in pdf_text(pdf)
    assert "伟 张" not in pdf_text(pdf)
    assert decode_qr_codes(pdf)[0].startswith(order["order_number"])


def test_attendees_that_do_not_match_the_quantity_are_a_422_on_the_field(
    local_stack: LocalStack,
) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key)

    reply = client.call(
        "POST",
        f"/events/{event['event_id']}/bookings",
        key,
        booking_body("Wąsik", 2, attendees=ATTENDEES),
    )

    problem = assert_problem(reply, 422)
    assert [e["field"] for e in problem["errors"]] == ["attendees"]

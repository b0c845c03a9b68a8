"""Issue 11 through the local stack: an organizer without an address is refused an invoice with
a message naming what is missing; it sets its address, VAT id and bank details with
``PATCH /organizers/{id}``; the invoice then carries them, with the service date, the payment
reference and a Girocode, and the order page shows where to transfer the money."""

from __future__ import annotations

import urllib.parse
import uuid

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import assert_problem, booking_body, new_event, new_organizer
from tests.pdf_reading import decode_qr_codes, pdf_text

IBAN = "DE89370400440532013000"


def test_an_invoice_waits_for_the_organizers_address_and_then_carries_its_bank_details(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client
    organizer_id, key = new_organizer(local_stack, f"invoicer-{uuid.uuid4().hex[:6]}")
    event = new_event(client, key)
    booked = client.call(
        "POST", f"/events/{event['event_id']}/bookings", key, booking_body("Zahler", 2)
    )
    assert booked.status == 201, booked.body
    order = booked.json()
    number = order["order_number"]

    refused = assert_problem(client.call("GET", f"/orders/{number}/invoice", key), 409)
    assert refused["detail"] == (
        "the invoice needs the organizer's address (street, zip, city) and a VAT id or tax "
        f"number; set them with PATCH /organizers/{organizer_id}"
    )
    page_path = urllib.parse.urlsplit(order["self_service_url"]).path
    assert client.call("GET", f"{page_path}/invoice").status == 409

    changed = client.call(
        "PATCH",
        f"/organizers/{organizer_id}",
        key,
        {
            "street": "Messegelände 1",
            "zip": "81823",
            "city": "München",
            "vat_id": "DE123456789",
            "bank": {
                "account_holder": "Invoicer Messe GmbH",
                "iban": "DE89 3704 0044 0532 0130 00",
                "bic": "COBADEFFXXX",
            },
        },
    )
    assert changed.status == 200, changed.body
    me = client.call("GET", "/me", key).json()
    assert me["organizer"]["bank"]["iban"] == IBAN
    assert me["organizer"]["city"] == "München"

    reply = client.call("GET", f"/orders/{number}/invoice", key)
    assert reply.status == 200, reply.body
    text = " ".join(pdf_text(reply.body).split())
    for expected in (
        "Messegelände 1",
        "USt-IdNr. DE123456789",
        "Leistungsdatum",
        "IBAN DE89 3704 0044 0532 0130 00",
        f"Verwendungszweck {number}",
    ):
        assert expected in text
    (girocode,) = decode_qr_codes(reply.body)
    lines = girocode.split("\n")
    assert (lines[0], lines[1], lines[3]) == ("BCD", "002", "SCT")
    assert IBAN in lines
    assert "EUR50" in lines
    assert lines[-1] == number

    page = client.call("GET", page_path).body.decode()
    assert "DE89 3704 0044 0532 0130 00" in page
    assert number in page
    assert "Verwendungszweck" in page

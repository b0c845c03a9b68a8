"""Issue 11 through the local stack: the confirmation comes from the organizer (display name,
Reply-To, signature), and the booking list opens in German with a clickable link per order
and its amount."""

from __future__ import annotations

import io
import time
import urllib.parse

import openpyxl
import pytest

from tests.e2e.stack import LocalStack, mails_to
from tests.e2e.test_bookings import moto_raw_mail, wait_for_mail
from tests.e2e.test_foundation import booking_body, new_event

pytestmark = pytest.mark.slow


def test_the_confirmation_comes_from_the_organizer_and_the_list_links_each_order(
    local_stack: LocalStack,
) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    me = client.call("GET", "/me", key).json()["organizer"]
    event = new_event(client, key)
    order = client.call(
        "POST", f"/events/{event['event_id']}/bookings", key, booking_body("Organisiert", 2)
    ).json()

    wait_for_mail(local_stack, order["order_number"])
    message = moto_raw_mail(local_stack, order["order_number"])
    sender = message["From"].addresses[0]
    name = me["name"]
    assert sender.display_name == name
    reply_to = message["Reply-To"].addresses[0].addr_spec
    assert reply_to == (me.get("contact_email") or me["email"])
    text = message.get_body(("plain",))
    assert text is not None
    assert name in text.get_content().split("-- ")[-1]  # the signature

    reply = client.call("GET", f"/events/{event['event_id']}/orders?format=xlsx", key)
    sheet = openpyxl.load_workbook(io.BytesIO(reply.body)).worksheets[0]
    titles = [c.value for c in sheet[1]]
    assert "Betrag (EUR)" in titles
    row = dict(zip(titles, sheet[2], strict=True))
    assert row["Bestellnummer"].value == order["order_number"]
    assert row["Betrag (EUR)"].value == float(order["total"])
    link = row["Bestellseite"].hyperlink
    assert link is not None
    assert link.target == order["self_service_url"]


def test_the_exhibitor_is_told_when_its_batch_is_ready_and_the_redeem_page_names_it(
    local_stack: LocalStack,
) -> None:
    from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch

    client = local_stack.client
    event = future_event(local_stack)
    name = f"Harvester{time.time_ns()}"
    exhibitor = exhibitor_of(local_stack, event["event_id"], name)
    batch = ready_batch(client, exhibitor["api_key"], event["event_id"], 2, label="Kunden Juli")

    [mail] = mails_to(local_stack, f"{name.lower()}@messe.example", "Kunden Juli", timeout=20)
    assert "bereit" in mail["subject"]
    assert f"/voucher-batches/{batch['batch_id']}" in mail["text"]

    code = codes_of(batch)[0]
    page = client.call("GET", f"/redeem?code={urllib.parse.quote(code)}")
    assert f"<strong>{name}</strong> lädt Sie zu" in page.body.decode()

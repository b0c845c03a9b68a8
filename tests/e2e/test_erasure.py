"""Seed 002 "Recht auf Vergessenwerden" through the local stack: a person books one event and
registers a visitor voucher of another event of the same organizer; after the organizer's
erasure no DynamoDB item and no current S3 object of the stack names them, the invoice keeps
its number and total, the exhibitor still sees (and is billed for) the redemption, the export
is empty and a second erasure finds nothing left."""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from typing import Any

import boto3
import pytest

from tests.e2e.gift_world import CAMPAIGN, created
from tests.e2e.stack import Client, LocalStack
from tests.e2e.test_foundation import booking_body, new_event, new_organizer
from tests.e2e.test_vouchers import codes_of, ready_batch
from tests.pdf_reading import pdf_text

pytestmark = pytest.mark.slow


def aws(stack: LocalStack, service: str) -> Any:
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=stack.aws_endpoint,
        region_name="eu-central-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def everything_stored(stack: LocalStack) -> str:
    """Every item of every table, and the text of every current object of every bucket."""
    dynamodb, s3 = aws(stack, "dynamodb"), aws(stack, "s3")
    texts = []
    for table in dynamodb.list_tables()["TableNames"]:
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            texts.append(json.dumps(page["Items"]))
    for bucket in (b["Name"] for b in s3.list_buckets()["Buckets"]):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                data = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
                text = pdf_text(data) if data.startswith(b"%PDF") else data.decode("latin-1")
                texts.append(obj["Key"] + "\n" + text)
    return "\n".join(texts)


def order_item(stack: LocalStack, number: str) -> dict[str, Any]:
    """The order's header as DynamoDB holds it (its invoice number is not in the API)."""
    dynamodb = aws(stack, "dynamodb")
    table = next(t for t in dynamodb.list_tables()["TableNames"] if t.endswith("-Table"))
    key = {"PK": {"S": f"ORDER#{number}"}, "SK": {"S": "ORDER"}}
    item: dict[str, Any] = dynamodb.get_item(TableName=table, Key=key)["Item"]
    return item


def erased(stack: LocalStack, key: str, email: str) -> dict[str, Any]:
    client = stack.client
    accepted = client.call("POST", "/customers/erasure", key, {"email": email})
    assert accepted.status == 202, accepted.body
    erasure_id = accepted.json()["erasure_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state: dict[str, Any] = client.call("GET", f"/customers/erasure/{erasure_id}", key).json()
        if state["state"] == "done":
            return state
        time.sleep(0.2)
    raise AssertionError("the erasure did not finish")


def gift_and_complaint(client: Client, key: str, email: str, last_name: str) -> str:
    """A gift voucher issued to ``email`` (by phone and mail) and a hotline complaint about it
    that names the person; the recipient's phone."""
    issuer = created(client, key, "/issuers", {"name": "Treuepunkte"})
    campaign = created(client, issuer["api_key"], "/campaigns", CAMPAIGN)
    phone = f"+49 170 {uuid.uuid4().int % 10**7:07d}"
    recipient = {
        "phone": phone,
        "email": email,
        "name": f"Madeleine {last_name}",
        "city": "Nanjing",
    }
    voucher = created(
        client,
        issuer["api_key"],
        f"/campaigns/{campaign['campaign_id']}/vouchers",
        {"tier": "B", "recipient": recipient, "external_ref": f"points-{uuid.uuid4()}"},
    )
    text = f"Madeleine {last_name} ({email}) says the cinema refused the voucher"
    complaint = created(client, key, "/complaints", {"code": voucher["code"], "text": text})
    export = client.call("GET", f"/customers/export?email={email}", key).json()
    assert [g["code"] for g in export["gift_vouchers"]] == [voucher["code"]]
    assert [c["complaint_id"] for c in export["complaints"]] == [complaint["complaint_id"]]
    return phone


def test_an_erased_person_is_nowhere_and_the_books_are_unchanged(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.71")
    tag = uuid.uuid4().hex[:8]
    last_name, email = f"Vergessen{tag}", f"vergessen.{tag}@example.org"
    organizer_id, key = new_organizer(local_stack, f"eraser-{tag}")
    address = {"street": "Messegelände 1", "zip": "81823", "city": "München"}
    patched = client.call(
        "PATCH", f"/organizers/{organizer_id}", key, {**address, "vat_id": "DE123456789"}
    )
    assert patched.status == 200, patched.body
    concert = new_event(client, key)
    body = booking_body(last_name, 2)
    body["customer"]["email"] = email
    booked = client.call("POST", f"/events/{concert['event_id']}/bookings", key, body)
    assert booked.status == 201, booked.body
    number = booked.json()["order_number"]
    invoice = client.call("GET", f"/orders/{number}/invoice", key)
    assert invoice.status == 200, invoice.body
    page = urllib.parse.urlsplit(booked.json()["self_service_url"]).path
    assert client.call("GET", f"{page}/tickets.pdf").status in (200, 302)
    before = order_item(local_stack, number)
    assert "invoice_number" in before

    fair = new_event(
        client, key, starts_at="2030-07-12T09:00:00+02:00", ends_at="2030-07-16T18:00:00+02:00"
    )
    exhibitor = client.call(
        "POST",
        "/exhibitors",
        key,
        {"name": "Harvester", "email": f"h{tag}@messe.example", "event_id": fair["event_id"]},
    ).json()
    code = codes_of(ready_batch(client, exhibitor["api_key"], fair["event_id"], 2))[0]
    visitor = {"first_name": "Madeleine", "last_name": last_name, "email": email}
    registered = client.call("POST", f"/vouchers/{code}/registration", body=visitor)
    assert registered.status == 201, registered.body
    voucher_order = registered.json()["order_number"]
    assert client.call("POST", f"/orders/{voucher_order}/checkins", key).status == 200
    statement = client.call(
        "GET", f"/events/{fair['event_id']}/statement", exhibitor["api_key"]
    ).json()
    phone = gift_and_complaint(client, key, email, last_name)
    assert email in everything_stored(local_stack)
    digits = phone.replace(" ", "").lstrip("+")  # the voucher's phone index entry (GSI1)
    assert phone in everything_stored(local_stack)
    assert digits in everything_stored(local_stack)

    done = erased(local_stack, key, email)

    assert done["counts"]["orders"] == 2
    assert done["counts"]["voucher_registrations"] == 1
    assert (done["counts"]["gift_vouchers"], done["counts"]["complaints"]) == (1, 1)
    stored = everything_stored(local_stack)
    assert email not in stored
    assert last_name not in stored
    assert phone not in stored
    assert digits not in stored
    after = order_item(local_stack, number)
    assert (after["invoice_number"], after["total"]) == (before["invoice_number"], before["total"])
    again_invoice = client.call("GET", f"/orders/{number}/invoice", key)
    assert before["invoice_number"]["S"] in pdf_text(again_invoice.body)
    redemptions = client.call(
        "GET", f"/events/{fair['event_id']}/redemptions", exhibitor["api_key"]
    ).json()
    [redemption] = redemptions["redemptions"]
    assert redemption["code"] == code.replace("-", "")
    assert last_name not in json.dumps(redemption)
    assert (
        client.call("GET", f"/events/{fair['event_id']}/statement", exhibitor["api_key"]).json()
        == statement
    )
    export = client.call("GET", f"/customers/export?email={email}", key).json()
    assert not any(export.values())
    second = erased(local_stack, key, email)
    assert second["already_erased"] is True
    assert second["nothing_left"] is True

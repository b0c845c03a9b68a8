"""Seed 002 "Recht auf Vergessenwerden" through the handlers on moto: a booking with its
tickets and invoice, then the organizer's erasure of the customer, the worker that does it,
the export that finds nothing, and a second erasure that reports nothing left."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import XLSX, binary_body, body_of, header, in_path, with_query
from tests.integration.test_order_handlers import book, download_event, for_order, seeded

__all__ = ["seeded"]  # the fixture, shared

EMAIL = "madeleine.mustermann@example.com"
NAME = "Mustermann"


def erase(lambda_context: Any, aws: Aws, email: str = EMAIL) -> dict[str, Any]:
    """POST /customers/erasure, then the worker on the queued message; the erasure's state."""
    privacy = load_function("privacy")
    event = load_event("privacy/request_erasure.json")
    event["body"] = json.dumps({"email": email})
    accepted = privacy.handler(event, lambda_context)
    assert accepted["statusCode"] == 202, accepted["body"]
    erasure_id = body_of(accepted)["erasure_id"]
    messages = aws.receive_all("ErasureQueue")
    assert [json.loads(m["Body"]) for m in messages] == [{"erasure_id": erasure_id}]
    records = {"Records": [_record(m) for m in messages]}
    answer = load_function("erasure_worker").handler(records, lambda_context)
    assert answer == {"batchItemFailures": []}
    status = load_event("privacy/erasure_status.json")
    done = privacy.handler(in_path(status, "ers_demo", erasure_id, "erasure_id"), lambda_context)
    assert done["statusCode"] == 200, done["body"]
    result: dict[str, Any] = body_of(done)
    return result


def _record(message: dict[str, Any]) -> dict[str, Any]:
    sample = load_event("erasure_worker/sqs_batch.json")["Records"][0]
    return {**sample, "messageId": message["MessageId"], "body": message["Body"]}


def everything_stored(aws: Aws) -> str:
    """Every item of the table and the current version of every object, as text."""
    dynamodb, s3 = aws.clients["dynamodb"], aws.clients["s3"]
    items = []
    for page in dynamodb.get_paginator("scan").paginate(TableName=aws.environment["TABLE_NAME"]):
        items.extend(page["Items"])
    bucket = aws.environment["DOCUMENTS_BUCKET"]
    texts = [json.dumps(items)]
    for listed in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in listed.get("Contents", []):
            data = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
            texts.append(obj["Key"] + _pdf_text_or_bytes(data))
    return "\n".join(texts)


def _pdf_text_or_bytes(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        from tests.pdf_reading import pdf_text

        return pdf_text(data)
    return data.decode("latin-1")


def test_an_erased_customer_is_gone_and_the_invoice_keeps_its_number_and_total(
    seeded: Aws, lambda_context: Any
) -> None:
    order = book(lambda_context, payment="cash")
    documents = load_function("documents")
    invoice = documents.handler(
        for_order("documents/invoice.json", order["order_number"]), lambda_context
    )
    assert invoice["statusCode"] == 200, invoice["body"]
    from tests.integration.test_order_handlers import stored_order

    before = stored_order(order["order_number"])
    token = before.positions[0].download_token
    ticket = documents.handler(download_event(token), lambda_context)
    assert ticket["statusCode"] in (200, 302), ticket["body"]
    assert EMAIL in everything_stored(seeded)

    done = erase(lambda_context, seeded)

    assert done["state"] == "done"
    assert done["counts"]["orders"] == 1
    assert done["counts"]["positions"] == 2
    assert done["counts"]["invoices_rebuilt"] == 1
    stored = everything_stored(seeded)
    assert EMAIL not in stored
    assert NAME not in stored
    after = stored_order(order["order_number"])
    assert (after.invoice_number, after.total) == (before.invoice_number, before.total)
    rebuilt = documents.handler(
        for_order("documents/invoice.json", order["order_number"]), lambda_context
    )
    from tests.pdf_reading import pdf_text

    text = pdf_text(binary_body(rebuilt))
    assert before.invoice_number in text
    assert NAME not in text

    privacy = load_function("privacy")
    export = privacy.handler(load_event("privacy/export.json"), lambda_context)
    kinds = ("orders", "positions", "voucher_registrations", "gift_vouchers", "complaints")
    empty = {kind: [] for kind in (*kinds, "invitations", "mails", "consents")}
    assert body_of(export) == empty
    again = erase(lambda_context, seeded)
    assert again["already_erased"] is True
    assert again["nothing_left"] is True


def test_an_address_with_nothing_is_answered_in_the_same_shape(
    seeded: Aws, lambda_context: Any
) -> None:
    book(lambda_context)
    privacy = load_function("privacy")
    nobody = with_query(load_event("privacy/export.json"), email="nobody@example.org")
    someone = with_query(load_event("privacy/export.json"), email=EMAIL)
    assert (
        body_of(privacy.handler(nobody, lambda_context)).keys()
        == body_of(privacy.handler(someone, lambda_context)).keys()
    )
    assert len(body_of(privacy.handler(someone, lambda_context))["orders"]) == 1
    workbook = privacy.handler(load_event("privacy/export_xlsx.json"), lambda_context)
    assert header(workbook, "Content-Type") == XLSX
    done = erase(lambda_context, seeded, "nobody@example.org")
    assert done["nothing_left"] is True
    assert done["already_erased"] is False


def test_a_bad_address_is_a_422_naming_the_field(seeded: Aws, lambda_context: Any) -> None:
    privacy = load_function("privacy")
    export = privacy.handler(
        with_query(load_event("privacy/export.json"), email="not an address"), lambda_context
    )
    assert export["statusCode"] == 422, export["body"]
    event = load_event("privacy/request_erasure.json")
    event["body"] = json.dumps({"email": "not an address"})
    refused = privacy.handler(event, lambda_context)
    assert refused["statusCode"] == 422
    assert header(refused, "Content-Type") == "application/problem+json"
    assert [e["field"] for e in body_of(refused)["errors"]] == ["email"]
    assert seeded.receive_all("ErasureQueue") == []


def test_retention_is_set_on_the_organizers_own_event_only(
    seeded: Aws, lambda_context: Any
) -> None:
    from tests.integration.helpers import EVENT_ID
    from ticketing.adapters.event_store import DynamoEventStore

    privacy = load_function("privacy")
    changed = privacy.handler(
        in_path(
            load_event("privacy/change_retention.json"), "evt_demo00000000000", EVENT_ID, "event_id"
        ),
        lambda_context,
    )
    assert changed["statusCode"] == 200, changed["body"]
    assert body_of(changed) == {"event_id": EVENT_ID, "retention_days": 30, "legal_hold": False}
    event = DynamoEventStore().get(EVENT_ID)
    assert event is not None
    assert event.retention_days == 30
    missing = privacy.handler(
        in_path(
            load_event("privacy/change_retention.json"),
            "evt_demo00000000000",
            "evt_none",
            "event_id",
        ),
        lambda_context,
    )
    assert missing["statusCode"] == 404

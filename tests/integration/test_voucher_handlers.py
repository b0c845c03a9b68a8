"""Exhibitors' visitor vouchers (seed 000): batches, the worker that makes their codes, the
public registration that redeems a code, and what an exhibitor is billed. Each handler is
invoked with the sample events of ``events/`` on the moto account.

The seeded event takes place in July 2030 and bills 12.00 per used visitor voucher; the
exhibitor ``exh_demo00000000000`` of ``events/voucher_batches/*.json`` has a stand at it. A test
changes only what its case is about (another body, another caller, a later clock) and reads
results back through the product's own stores.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import (
    EVENT_ID,
    ORGANIZER_ID,
    PLACEHOLDER_ORDER,
    PROBLEM_JSON,
    XLSX,
    binary_body,
    body_of,
    header,
    in_path,
    seed_interforst,
    seed_organizer,
    with_query,
    workbook_rows,
)
from ticketing.domain.voucher_codes import display

OTHER_EVENT_ID = "evt_other0000000000"
EXHIBITOR_ID = "exh_demo00000000000"
OTHER_EXHIBITOR_ID = "exh_other0000000000"
# what the sample events carry in their paths; tests put real ones in
PLACEHOLDER_BATCH = "bat_demo00000000000"
PLACEHOLDER_CODE = "7KQ2-M9XD-4HTB-W2"
VISITOR_IP = "203.0.113.10"


# ------------------------------------------------------------------------------ helpers


def seed_event(event_id: str = EVENT_ID, capacity: int = 1000) -> None:
    seed_interforst(
        2030,
        capacity,
        [("day", "Tageskarte", "25.00", 7), ("visitor-voucher", "Besuchergutschein", "12.00", 19)],
        event_id,
        voucher_price_option="visitor-voucher",
    )


def seed_exhibitor(
    exhibitor_id: str = EXHIBITOR_ID, name: str = "Forsttechnik Huber KG", event_id: str = EVENT_ID
) -> None:
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.domain.parties import Exhibitor

    DynamoAccessStore().add_party(
        Exhibitor(
            exhibitor_id=exhibitor_id,
            organizer_id=ORGANIZER_ID,
            event_id=event_id,
            name=name,
            email="messe@forsttechnik-huber.example",
            created_at=datetime(2026, 5, 3, 8, 0, tzinfo=UTC),
        ),
        None,
    )


@pytest.fixture
def seeded(aws: Aws) -> Aws:
    seed_organizer()
    seed_event()
    seed_exhibitor()
    return aws


@pytest.fixture
def batches() -> Any:
    return load_function("voucher_batches")


@pytest.fixture
def redeem() -> Any:
    return load_function("redeem")


def as_exhibitor(event: dict[str, Any], exhibitor_id: str) -> dict[str, Any]:
    """The same request, made with another exhibitor's key."""
    changed = copy.deepcopy(event)
    authorizer = changed["requestContext"]["authorizer"]
    authorizer.update(subject_id=exhibitor_id, principalId=exhibitor_id)
    return changed


def order_request(body: Any) -> dict[str, Any]:
    event = load_event("voucher_batches/order_batch.json")
    event["body"] = json.dumps(body)
    return event


def order_batch(batches: Any, lambda_context: Any, quantity: int, **extra: Any) -> str:
    response = batches.handler(order_request({"quantity": quantity, **extra}), lambda_context)
    assert response["statusCode"] == 202, response["body"]
    return str(body_of(response)["batch_id"])


def worker_event(message: dict[str, Any]) -> dict[str, Any]:
    """``events/voucher_worker/sqs_batch.json`` carrying a message taken from the queue."""
    event = load_event("voucher_worker/sqs_batch.json")
    record = event["Records"][0]
    record.update(
        body=message["Body"], messageId=message["MessageId"], md5OfBody=message["MD5OfBody"]
    )
    return event


def run_worker(aws: Aws, lambda_context: Any) -> list[str]:
    """Hand every queued batch to the worker, as the SQS event source would; their ids."""
    worker = load_function("voucher_worker")
    handled = []
    for message in aws.receive_all("VoucherBatchQueue"):
        result = worker.handler(worker_event(message), lambda_context)
        assert result == {"batchItemFailures": []}
        handled.append(json.loads(message["Body"])["batch_id"])
    return handled


def ready_codes(aws: Aws, batches: Any, lambda_context: Any, quantity: int) -> list[str]:
    """A ready batch of ``quantity`` codes, in canonical form."""
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    batch_id = order_batch(batches, lambda_context, quantity)
    assert run_worker(aws, lambda_context) == [batch_id]
    # issue 11: the exhibitor is told by mail that its batch is ready (taken off the queue
    # here, so that the tests see only the mail of what they do with the codes)
    told = [json.loads(m["Body"]) for m in aws.receive_all("MailQueue")]
    assert [(m["template"], m["request_id"]) for m in told] == [
        ("batch_ready", f"batch-ready-{batch_id}")
    ]
    return list(DynamoBatchStore().batch_codes(batch_id))


def registration(
    code: str, source_ip: str = VISITOR_IP, body: str | None = None, **fields: Any
) -> dict[str, Any]:
    """``events/redeem/registration.json`` for ``code``, with fields of the body changed."""
    event = in_path(load_event("redeem/registration.json"), PLACEHOLDER_CODE, code, "code")
    if body is None:
        data = json.loads(event["body"])
        data.update(fields)
        body = json.dumps({k: v for k, v in data.items() if v is not None})
    event["body"] = body
    event["requestContext"]["identity"]["sourceIp"] = source_ip
    forwarded = f"{source_ip}, 130.176.98.41"
    event["headers"]["X-Forwarded-For"] = forwarded
    event["multiValueHeaders"]["X-Forwarded-For"] = [forwarded]
    return event


def register(redeem: Any, lambda_context: Any, code: str, **fields: Any) -> dict[str, Any]:
    response: dict[str, Any] = redeem.handler(registration(code, **fields), lambda_context)
    return response


def stored_voucher(code: str) -> Any:
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore

    voucher = DynamoVisitorVoucherStore().get_voucher(code)
    assert voucher is not None
    return voucher


def stored_batch(batch_id: str) -> Any:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    batch = DynamoBatchStore().get_batch(batch_id)
    assert batch is not None
    return batch


def load_statement(batches: Any, lambda_context: Any) -> dict[str, Any]:
    response = batches.handler(load_event("voucher_batches/statement.json"), lambda_context)
    assert response["statusCode"] == 200, response["body"]
    statement: dict[str, Any] = body_of(response)
    return statement


def count_vouchers(aws: Aws) -> int:
    paginator = aws.clients["dynamodb"].get_paginator("scan")
    pages = paginator.paginate(
        TableName=aws.table,
        FilterExpression="begins_with(PK, :voucher)",
        ExpressionAttributeValues={":voucher": {"S": "VOUCHER#"}},
        Select="COUNT",
    )
    return sum(page["Count"] for page in pages)


def cancel_event(exhibitor_id: str) -> dict[str, Any]:
    """``POST /exhibitors/{exhibitor_id}/cancel`` by the organizer of ``events/access``."""
    event = copy.deepcopy(load_event("access/create_exhibitor.json"))
    path = f"/exhibitors/{exhibitor_id}/cancel"
    event.update(
        resource="/exhibitors/{exhibitor_id}/cancel",
        path=path,
        pathParameters={"exhibitor_id": exhibitor_id},
        body=None,
    )
    for headers in (event["headers"], event["multiValueHeaders"]):
        headers.pop("Content-Type")
    context = event["requestContext"]
    context.update(resourcePath="/exhibitors/{exhibitor_id}/cancel", path=f"/v1{path}")
    return event


def check_in_event(order_number: str) -> dict[str, Any]:
    return in_path(
        load_event("checkins/check_in_order.json"), PLACEHOLDER_ORDER, order_number, "order_number"
    )


def fresh_codes(count: int) -> Iterator[str]:
    """Codes with a right check character that nobody was given."""
    from ticketing.domain.voucher_codes import new_code

    return (new_code() for _ in range(count))


# ------------------------------------------------------------------------------ ordering


def test_ordering_a_batch_answers_202_at_once_and_queues_the_work(
    seeded: Aws, batches: Any, lambda_context: Any
) -> None:
    response = batches.handler(load_event("voucher_batches/order_batch.json"), lambda_context)

    assert response["statusCode"] == 202, response["body"]
    answer = body_of(response)
    assert answer["status"] == "pending"
    assert answer["quantity"] == 250
    assert answer["batch_id"].startswith("bat_")
    [message] = seeded.receive_all("VoucherBatchQueue")
    assert json.loads(message["Body"]) == {"batch_id": answer["batch_id"]}
    batch = stored_batch(answer["batch_id"])
    assert (batch.status, batch.generated, batch.label) == ("pending", 0, "Kundeneinladung Juli")
    assert batch.exhibitor_id == EXHIBITOR_ID
    # valid until the end of the event unless the exhibitor says otherwise
    assert batch.valid_until == datetime(2030, 7, 12, 15, 0, tzinfo=UTC)
    assert count_vouchers(seeded) == 0

    overview = batches.handler(load_event("voucher_batches/download_overview.json"), lambda_context)
    assert overview["statusCode"] == 200, overview["body"]
    [listed] = body_of(overview)["batches"]
    assert (listed["batch_id"], listed["status"]) == (answer["batch_id"], "pending")
    assert "organizer_id" not in listed


def test_the_worker_makes_every_code_once_and_the_excel_file(
    seeded: Aws, batches: Any, lambda_context: Any
) -> None:
    from ticketing.domain.voucher_codes import canonical

    response = batches.handler(load_event("voucher_batches/order_batch.json"), lambda_context)
    batch_id = body_of(response)["batch_id"]
    [message] = seeded.receive_all("VoucherBatchQueue")

    result = load_function("voucher_worker").handler(worker_event(message), lambda_context)

    assert result == {"batchItemFailures": []}
    batch = stored_batch(batch_id)
    assert batch.status == "ready"
    assert batch.generated == batch.quantity == 250
    assert batch.ready_at == seeded.clock.now()
    stored = seeded.clients["s3"].get_object(
        Bucket=seeded.environment["DOCUMENTS_BUCKET"],
        Key=f"vouchers/{EXHIBITOR_ID}/{batch_id}.xlsx",
    )
    assert stored["ContentType"] == XLSX
    header_row, *rows = workbook_rows(stored["Body"].read())
    assert header_row == (
        "Gutschein-Nummer",
        "Persönlicher Einlöse-Link",
        "Bezeichnung",
        "Gültig bis",
    )
    assert len(rows) == 250
    codes = [row[0] for row in rows]
    assert len(set(codes)) == 250
    base = seeded.environment["PUBLIC_BASE_URL"].rstrip("/")
    for code, link, label, valid_until in rows:
        assert len(code) == 17  # 7KQ2-M9XD-4HTB-W2
        assert canonical(code) == code.replace("-", "")
        assert link == f"{base}/redeem?code={code}"
        assert label == "Kundeneinladung Juli"
        # the end of the event in its own time zone
        assert valid_until == datetime(2030, 7, 12, 17, 0)
    assert count_vouchers(seeded) == 250
    voucher = stored_voucher(codes[0].replace("-", ""))
    assert (voucher.batch_id, voucher.exhibitor_id, voucher.state) == (
        batch_id,
        EXHIBITOR_ID,
        "issued",
    )

    # a repeated delivery of the same message changes nothing
    again = load_function("voucher_worker").handler(worker_event(message), lambda_context)
    assert again == {"batchItemFailures": []}
    assert count_vouchers(seeded) == 250
    assert load_statement(batches, lambda_context)["issued"] == 250


def test_the_worker_resumes_a_batch_that_stopped_half_way(
    seeded: Aws, batches: Any, lambda_context: Any
) -> None:
    from ticketing.adapters.voucher_batch_store import CODES_PER_WRITE, DynamoBatchStore

    store = DynamoBatchStore()
    batch_id = order_batch(batches, lambda_context, 250)
    [message] = seeded.receive_all("VoucherBatchQueue")
    batch = stored_batch(batch_id)
    # an earlier attempt wrote two chunks, then its Lambda timed out
    written = [list(fresh_codes(CODES_PER_WRITE)) for _ in range(2)]
    store.write_codes(batch, 0, written[0])
    store.write_codes(stored_batch(batch_id), 1, written[1])
    halfway = stored_batch(batch_id)
    assert (halfway.status, halfway.generated) == ("generating", 2 * CODES_PER_WRITE)

    result = load_function("voucher_worker").handler(worker_event(message), lambda_context)

    assert result == {"batchItemFailures": []}
    done = stored_batch(batch_id)
    assert (done.status, done.generated) == ("ready", 250)
    codes = list(store.batch_codes(batch_id))
    assert len(codes) == len(set(codes)) == 250
    assert codes[: 2 * CODES_PER_WRITE] == written[0] + written[1]
    assert count_vouchers(seeded) == 250


def test_a_code_drawn_twice_is_drawn_again_not_lost(
    seeded: Aws, batches: Any, lambda_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore
    from ticketing.domain.voucher_codes import new_code
    from ticketing.services.visitor_vouchers import worker

    first_batch = order_batch(batches, lambda_context, 3)
    run_worker(seeded, lambda_context)
    existing = next(DynamoBatchStore().batch_codes(first_batch))
    before = stored_voucher(existing)
    drawn = iter([existing])
    monkeypatch.setattr(worker, "new_code", lambda: next(drawn, None) or new_code())

    second_batch = order_batch(batches, lambda_context, 120)
    assert run_worker(seeded, lambda_context) == [second_batch]

    batch = stored_batch(second_batch)
    assert (batch.status, batch.generated) == ("ready", 120)
    codes = list(DynamoBatchStore().batch_codes(second_batch))
    assert len(codes) == len(set(codes)) == 120
    assert existing not in codes
    assert all(stored_voucher(code).batch_id == second_batch for code in codes)
    assert stored_voucher(existing) == before
    assert before.batch_id == first_batch
    assert count_vouchers(seeded) == 123


def test_batch_status_shows_a_short_lived_download_url_when_ready(
    seeded: Aws, batches: Any, lambda_context: Any
) -> None:
    batch_id = order_batch(batches, lambda_context, 5, label="Stammkunden")
    status_event = in_path(
        load_event("voucher_batches/batch_status.json"), PLACEHOLDER_BATCH, batch_id, "batch_id"
    )

    pending = batches.handler(status_event, lambda_context)
    run_worker(seeded, lambda_context)
    ready = batches.handler(status_event, lambda_context)
    foreign = batches.handler(as_exhibitor(status_event, OTHER_EXHIBITOR_ID), lambda_context)
    sample = batches.handler(load_event("voucher_batches/batch_status.json"), lambda_context)

    assert pending["statusCode"] == 200, pending["body"]
    assert body_of(pending)["status"] == "pending"
    assert "download_url" not in body_of(pending)
    assert ready["statusCode"] == 200, ready["body"]
    shown = body_of(ready)
    assert (shown["batch_id"], shown["status"], shown["quantity"]) == (batch_id, "ready", 5)
    assert shown["generated"] == 5
    assert shown["label"] == "Stammkunden"
    assert "organizer_id" not in shown
    url = shown["download_url"]
    assert "X-Amz-Expires=300" in url
    assert f"vouchers/{EXHIBITOR_ID}/{batch_id}.xlsx" in url
    assert f"vouchers-{batch_id}.xlsx" in url
    assert foreign["statusCode"] == 404
    assert header(foreign, "Content-Type") == PROBLEM_JSON
    assert sample["statusCode"] == 404

    # the file went missing: the next status builds it again from the stored codes
    bucket = seeded.environment["DOCUMENTS_BUCKET"]
    key = f"vouchers/{EXHIBITOR_ID}/{batch_id}.xlsx"
    seeded.clients["s3"].delete_object(Bucket=bucket, Key=key)
    again = batches.handler(status_event, lambda_context)
    assert "X-Amz-Expires=300" in body_of(again)["download_url"]
    rebuilt = seeded.clients["s3"].get_object(Bucket=bucket, Key=key)["Body"].read()
    assert len(workbook_rows(rebuilt)) == 1 + 5


def test_a_batch_retried_after_stopping_before_ready_is_counted_once(
    seeded: Aws, batches: Any, lambda_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    batch_id = order_batch(batches, lambda_context, 5)
    [message] = seeded.receive_all("VoucherBatchQueue")
    worker = load_function("voucher_worker")
    finish_batch = DynamoBatchStore.finish_batch
    stops = iter([TimeoutError("the Lambda ran out of time")])

    def stop_once(self: Any, *args: Any, **kwargs: Any) -> bool:
        # the worker stops after every code is written, just before the batch is ready
        stop = next(stops, None)
        if stop is not None:
            raise stop
        return finish_batch(self, *args, **kwargs)

    monkeypatch.setattr(DynamoBatchStore, "finish_batch", stop_once)
    with pytest.raises(Exception, match="All records failed"):
        worker.handler(worker_event(message), lambda_context)
    retry = worker_event(message)
    retry["Records"][0]["attributes"]["ApproximateReceiveCount"] = "2"
    # SQS delivers again after the queue's visibility timeout (30 minutes), long after the
    # stopped worker's claim of the file went stale (5 minutes)
    seeded.clock.advance(timedelta(minutes=30))

    assert worker.handler(retry, lambda_context) == {"batchItemFailures": []}

    assert stored_batch(batch_id).status == "ready"
    assert count_vouchers(seeded) == 5
    assert load_statement(batches, lambda_context)["issued"] == 5


@pytest.mark.parametrize("quantity", [0, -1, 100_001, "5", 2.5, None])
def test_quantity_must_be_between_1_and_100000(
    seeded: Aws, batches: Any, lambda_context: Any, quantity: Any
) -> None:
    body = {"label": "Kundeneinladung Juli"} | ({} if quantity is None else {"quantity": quantity})

    response = batches.handler(order_request(body), lambda_context)

    assert response["statusCode"] == 422, response["body"]
    assert header(response, "Content-Type") == PROBLEM_JSON
    assert [e["field"] for e in body_of(response)["errors"]] == ["quantity"]
    assert "quantity" in body_of(response)["detail"]
    assert seeded.receive_all("VoucherBatchQueue") == []


def test_the_invalid_sample_order_is_refused_and_the_largest_batch_accepted(
    seeded: Aws, batches: Any, lambda_context: Any
) -> None:
    invalid = batches.handler(
        load_event("voucher_batches/order_batch_invalid.json"), lambda_context
    )
    largest = batches.handler(order_request({"quantity": 100_000}), lambda_context)

    assert invalid["statusCode"] == 422
    assert [e["field"] for e in body_of(invalid)["errors"]] == ["quantity"]
    assert largest["statusCode"] == 202, largest["body"]
    assert body_of(largest)["quantity"] == 100_000


# ------------------------------------------------------------------------------ registration


def test_a_visitor_registers_and_gets_a_free_personal_ticket(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.domain.voucher_codes import display

    code = ready_codes(seeded, batches, lambda_context, 3)[0]
    seeded.clock.moment += timedelta(days=3)
    # as printed, in lower case: the sample registration as a visitor types it
    response = register(redeem, lambda_context, display(code).lower())

    assert response["statusCode"] == 201, response["body"]
    answer = body_of(response)
    number = answer["order_number"]
    assert answer["event"] == "INTERFORST 2030"
    base = seeded.environment["PUBLIC_BASE_URL"].rstrip("/")
    assert answer["self_service_url"].startswith(f"{base}/o/")
    order = DynamoOrderStore().get(number)
    assert order is not None
    assert order.event_id == EVENT_ID
    assert (order.payment, order.payment_status, order.total) == ("free", "paid", Decimal("0.00"))
    assert (order.quantity, order.price_option) == (1, "visitor-voucher")
    assert (order.voucher_code, order.exhibitor_id) == (code, EXHIBITOR_ID)
    assert order.customer.email == "erika@example.org"
    assert order.customer.company == "Sägewerk Süd"
    [position] = order.positions
    assert position.holder_name == "Erika Musterfrau"
    assert position.price_option_name == "Besuchergutschein"
    assert position.price == Decimal("0.00")
    voucher = stored_voucher(code)
    assert voucher.state == "redeemed"
    assert voucher.registration is not None
    assert voucher.registration.order_number == number
    assert voucher.registration.redeemed_at == seeded.clock.now()
    assert voucher.registration.checked_in_at is None
    event = DynamoEventStore().get(EVENT_ID)
    assert event is not None
    assert event.sold == 1
    [message] = seeded.receive_all("MailQueue")
    mail = json.loads(message["Body"])
    assert mail["template"] == "order_confirmation"
    assert mail["to"] == ["erika@example.org"]
    assert mail["order_number"] == number
    assert mail["language"] == "de"
    statement = load_statement(batches, lambda_context)
    assert (statement["issued"], statement["redeemed"], statement["used"]) == (3, 1, 0)
    assert (statement["billable"], statement["total"]) == (0, "0.00")


def test_one_person_gets_one_voucher_ticket_per_event(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    first, second, _ = ready_codes(seeded, batches, lambda_context, 3)
    assert register(redeem, lambda_context, first)["statusCode"] == 201
    seeded.receive_all("MailQueue")

    again = register(redeem, lambda_context, second, email="Erika+x@EXAMPLE.org")

    assert again["statusCode"] == 409, again["body"]
    assert header(again, "Content-Type") == PROBLEM_JSON
    # the sample request accepts German first (de-DE)
    assert "Jede Person kann einen Gutschein einlösen" in body_of(again)["detail"]
    assert header(again, "Content-Language") == "de"
    assert stored_voucher(second).state == "issued"
    assert stored_voucher(second).registration is None
    assert seeded.receive_all("MailQueue") == []
    # the voucher stays good for someone else
    other = register(redeem, lambda_context, second, first_name="Max", email="max@example.org")
    assert other["statusCode"] == 201, other["body"]


def test_unknown_malformed_and_foreign_codes_answer_alike(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    seed_event(OTHER_EVENT_ID)
    code = ready_codes(seeded, batches, lambda_context, 1)[0]
    [unknown] = fresh_codes(1)
    wrong_check = code[:-1] + ("A" if code[-1] != "A" else "B")

    answers = {
        "unknown": register(redeem, lambda_context, unknown),
        "wrong check character": register(redeem, lambda_context, wrong_check),
        "malformed": register(redeem, lambda_context, "hello"),
        "placeholder": redeem.handler(load_event("redeem/registration.json"), lambda_context),
        "foreign": register(redeem, lambda_context, code, event_id=OTHER_EVENT_ID),
    }

    assert {name: a["statusCode"] for name, a in answers.items()} == dict.fromkeys(answers, 404)
    assert {a["body"] for a in answers.values()} == {answers["unknown"]["body"]}
    assert {header(a, "Content-Type") for a in answers.values()} == {PROBLEM_JSON}
    assert body_of(answers["unknown"])["detail"] == (
        "Dieser Gutscheincode ist nicht gültig. Bitte prüfen Sie ihn auf Tippfehler."
    )
    assert stored_voucher(code).state == "issued"
    assert seeded.receive_all("MailQueue") == []


def test_a_used_code_is_409_and_an_expired_code_is_410(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    used = ready_codes(seeded, batches, lambda_context, 1)[0]
    short_lived = order_batch(batches, lambda_context, 1, valid_until="2026-06-30T23:59:59+02:00")
    run_worker(seeded, lambda_context)
    [expiring] = DynamoBatchStore().batch_codes(short_lived)
    assert register(redeem, lambda_context, used)["statusCode"] == 201

    twice = register(redeem, lambda_context, used, email="someone.else@example.org")
    seeded.clock.moment = datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC)
    expired = register(redeem, lambda_context, expiring)

    assert twice["statusCode"] == 409, twice["body"]
    assert body_of(twice)["detail"] == "Dieser Gutscheincode wurde bereits eingelöst."
    assert body_of(twice)["title"] == "Konflikt"
    assert expired["statusCode"] == 410, expired["body"]
    assert header(expired, "Content-Type") == PROBLEM_JSON
    assert body_of(expired)["detail"] == "Dieser Gutschein ist am 30.06.2026 abgelaufen."
    assert stored_voucher(expiring).state == "issued"
    # a second earlier it was still good
    seeded.clock.moment -= timedelta(seconds=1)
    assert register(redeem, lambda_context, expiring, email="late@example.org")["statusCode"] == 201


def test_ten_failures_in_ten_minutes_are_refused_with_429(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    good, other_good = ready_codes(seeded, batches, lambda_context, 2)
    seeded.clock.moment = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)

    failures = [register(redeem, lambda_context, guess) for guess in fresh_codes(10)]
    seeded.clock.moment += timedelta(minutes=4)
    refused = register(redeem, lambda_context, good)
    [guess] = fresh_codes(1)
    refused_guess = register(redeem, lambda_context, guess)
    elsewhere = register(
        redeem, lambda_context, other_good, source_ip="198.51.100.7", email="max@example.org"
    )

    assert [f["statusCode"] for f in failures] == [404] * 10
    assert refused["statusCode"] == 429, refused["body"]
    assert header(refused, "Content-Type") == PROBLEM_JSON
    # at most the rest of the ten minutes
    assert 0 < int(header(refused, "Retry-After")) <= 600
    assert body_of(refused)["detail"].startswith("Zu viele erfolglose Versuche.")
    assert refused_guess["statusCode"] == 429
    assert stored_voucher(good).state == "issued"
    assert elsewhere["statusCode"] == 201, elsewhere["body"]

    seeded.clock.moment = datetime(2026, 5, 4, 10, 10, tzinfo=UTC)
    after = register(redeem, lambda_context, good)
    assert after["statusCode"] == 201, after["body"]


def test_typos_caught_by_the_check_character_cost_no_attempt(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    good = ready_codes(seeded, batches, lambda_context, 1)[0]
    typo = good[:-1] + ("A" if good[-1] != "A" else "B")

    typos = [register(redeem, lambda_context, typo) for _ in range(15)]
    after = register(redeem, lambda_context, good)

    assert {t["statusCode"] for t in typos} == {404}
    assert after["statusCode"] == 201, after["body"]


def test_a_registration_over_64_kb_is_413(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    code = ready_codes(seeded, batches, lambda_context, 1)[0]
    big = json.dumps(
        {
            "first_name": "Erika",
            "last_name": "Musterfrau",
            "email": "erika@example.org",
            "company": "x" * (64 * 1024),
        }
    )
    assert len(big.encode()) > 64 * 1024  # a registration's answers fit well within 64 KB

    response = redeem.handler(registration(code, body=big), lambda_context)

    assert response["statusCode"] == 413
    assert header(response, "Content-Type") == PROBLEM_JSON
    assert body_of(response)["status"] == 413
    assert stored_voucher(code).state == "issued"
    assert seeded.receive_all("MailQueue") == []


def test_a_registration_over_64_kb_in_utf8_is_413(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    code = ready_codes(seeded, batches, lambda_context, 1)[0]
    big = json.dumps(
        {
            "first_name": "Erika",
            "last_name": "Musterfrau",
            "email": "erika@example.org",
            "company": "Sägewerk Süd " + "ü" * 33_000,
        },
        ensure_ascii=False,
    )
    assert len(big.encode()) > 64 * 1024 > len(big)  # over in bytes, under in characters

    response = redeem.handler(registration(code, body=big), lambda_context)

    assert response["statusCode"] == 413, response["body"]


def test_an_invalid_registration_names_its_fields(
    seeded: Aws, redeem: Any, lambda_context: Any
) -> None:
    response = redeem.handler(load_event("redeem/registration_invalid.json"), lambda_context)

    assert response["statusCode"] == 422, response["body"]
    assert header(response, "Content-Type") == PROBLEM_JSON
    assert {e["field"] for e in body_of(response)["errors"]} == {"first_name", "email"}


# ------------------------------------------------------------------------------ what exhibitors see


def test_redemptions_show_who_registered_and_when_they_came(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    first, second, _ = ready_codes(seeded, batches, lambda_context, 3)
    erika = body_of(register(redeem, lambda_context, first))["order_number"]
    seeded.clock.moment += timedelta(hours=1)
    register(
        redeem,
        lambda_context,
        second,
        first_name="Max",
        last_name="Holz",
        company=None,
        email="max@example.org",
    )
    seeded.clock.moment = datetime(2030, 7, 8, 7, 30, tzinfo=UTC)

    checked = load_function("checkins").handler(check_in_event(erika), lambda_context)

    assert checked["statusCode"] == 200, checked["body"]
    assert body_of(checked)["checked_in_now"] == 1
    listed = batches.handler(load_event("voucher_batches/redemptions.json"), lambda_context)
    assert listed["statusCode"] == 200, listed["body"]
    rows = {r["code"]: r for r in body_of(listed)["redemptions"]}
    assert rows[first] == {
        "code": first,
        "first_name": "Erika",
        "last_name": "Musterfrau",
        "email": "erika@example.org",
        "company": "Sägewerk Süd",
        "order_number": erika,
        "redeemed_at": "2026-05-04T10:00:00Z",
        "checked_in_at": "2030-07-08T07:30:00Z",
        "possible_duplicate": False,
        "answers": {},  # only answers to questions shared with exhibitors (issue 17)
        "contact_consent": False,  # may the exhibitor write to them (issue 16)
    }
    assert (rows[second]["last_name"], rows[second]["company"]) == ("Holz", None)
    assert rows[second]["checked_in_at"] is None
    assert set(rows) == {first, second}

    exported = batches.handler(load_event("voucher_batches/redemptions_xlsx.json"), lambda_context)
    assert exported["statusCode"] == 200
    assert header(exported, "Content-Type") == XLSX
    assert f"redemptions-{EVENT_ID}.xlsx" in header(exported, "Content-Disposition")
    header_row, *sheet = workbook_rows(binary_body(exported))
    # issue 11: in the event's language (German), whatever the caller's Accept-Language
    assert header_row == (
        "Gutschein-Nummer",
        "Vorname",
        "Nachname",
        "E-Mail",
        "Firma",
        "Registriert am",
        "Eingelassen am",
        "Mögliche Doppelung",
    )
    # codes as printed on the voucher list, times in the event's zone (Berlin)
    by_code = {str(row[0]).replace("-", ""): row for row in sheet}
    assert by_code[first][0] == display(first)
    assert by_code[first][1:5] == ("Erika", "Musterfrau", "erika@example.org", "Sägewerk Süd")
    assert by_code[first][5] == datetime(2026, 5, 4, 12, 0)
    assert by_code[first][6] == datetime(2030, 7, 8, 9, 30)
    assert by_code[second][6] is None
    assert by_code[first][7] == by_code[second][7] == "nein"

    # another exhibitor sees none of them
    foreign = batches.handler(
        as_exhibitor(load_event("voucher_batches/redemptions.json"), OTHER_EXHIBITOR_ID),
        lambda_context,
    )
    assert body_of(foreign)["redemptions"] == []


def test_the_statement_bills_only_used_vouchers_also_after_cancelling(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    codes = ready_codes(seeded, batches, lambda_context, 5)
    came = body_of(register(redeem, lambda_context, codes[0]))["order_number"]
    register(redeem, lambda_context, codes[1], email="max@example.org")
    seeded.clock.moment = datetime(2030, 7, 8, 7, 30, tzinfo=UTC)
    assert (
        load_function("checkins").handler(check_in_event(came), lambda_context)["statusCode"] == 200
    )

    before = load_statement(batches, lambda_context)
    cancelled = load_function("access").handler(cancel_event(EXHIBITOR_ID), lambda_context)
    after = load_statement(batches, lambda_context)
    new_batch = batches.handler(load_event("voucher_batches/order_batch.json"), lambda_context)

    assert before == {
        "exhibitor_id": EXHIBITOR_ID,
        "exhibitor_name": "Forsttechnik Huber KG",
        "event_id": EVENT_ID,
        "cancelled": False,
        "issued": 5,
        "redeemed": 2,
        "used": 1,
        "billable": 1,
        "unit_price": "12.00",
        "currency": "EUR",
        "total": "12.00",
    }
    assert cancelled["statusCode"] == 200, cancelled["body"]
    assert body_of(cancelled)["cancelled_at"] == "2030-07-08T07:30:00Z"
    assert after == {**before, "cancelled": True}
    assert new_batch["statusCode"] == 409, new_batch["body"]
    assert header(new_batch, "Content-Type") == PROBLEM_JSON
    assert seeded.receive_all("VoucherBatchQueue") == []
    # the codes handed out before stay good for the exhibitor's customers
    late = register(redeem, lambda_context, codes[2], email="late@example.org")
    assert late["statusCode"] == 201, late["body"]

    # the organizer sees every exhibitor's statement of the event, as JSON and as Excel
    seed_exhibitor(OTHER_EXHIBITOR_ID, "Sägewerk Süd GmbH")
    statements = load_event("voucher_batches/statements_as_organizer.json")
    as_json = batches.handler(with_query(statements, format="json"), lambda_context)
    as_xlsx = batches.handler(statements, lambda_context)
    assert as_json["statusCode"] == 200, as_json["body"]
    found = {s["exhibitor_id"]: s for s in body_of(as_json)["statements"]}
    assert found[EXHIBITOR_ID] == {**after, "redeemed": 3}
    assert found[OTHER_EXHIBITOR_ID]["total"] == "0.00"
    assert header(as_xlsx, "Content-Type") == XLSX
    _, *sheet = workbook_rows(binary_body(as_xlsx))
    by_name = {row[0]: row for row in sheet}
    # issue 11: in the event's language (German), whoever asks
    assert by_name["Forsttechnik Huber KG"][1:] == ("ja", 5, 3, 1, 1, 12, 12)
    assert by_name["Sägewerk Süd GmbH"][1:] == ("nein", 0, 0, 0, 0, 12, 0)


# ------------------------------------------------------------------------------ the page


def test_the_redeem_page_is_german_by_default_with_its_security_headers(
    seeded: Aws, redeem: Any, lambda_context: Any
) -> None:
    page = load_event("redeem/redeem_page.json")
    assert "authorizer" not in page["requestContext"]

    response = redeem.handler(page, lambda_context)

    assert response["statusCode"] == 200, response["body"]
    assert header(response, "Content-Type") == "text/html; charset=utf-8"
    policy = header(response, "Content-Security-Policy")
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy  # the page's own style and script, by their hashes
    assert "script-src 'sha256-" in policy
    assert header(response, "X-Content-Type-Options") == "nosniff"
    assert header(response, "Referrer-Policy") == "no-referrer"
    assert header(response, "Cache-Control") == "no-store"
    assert header(response, "Content-Language") == "de"
    assert header(response, "Vary") == "Accept-Language"
    html = response["body"]
    assert '<html lang="de"' in html
    assert "Gutschein einlösen" in html
    assert f'value="{PLACEHOLDER_CODE}"' in html

    english = redeem.handler(with_query(page, code=PLACEHOLDER_CODE, lang="en"), lambda_context)
    assert header(english, "Content-Language") == "en"
    assert "Redeem a voucher" in english["body"]
    hostile = redeem.handler(with_query(page, code='"><script>x()</script>'), lambda_context)
    assert "<script>x()</script>" not in hostile["body"]


def test_the_redeem_page_with_a_known_code_names_the_exhibitor_and_the_event_and_no_more(
    seeded: Aws, batches: Any, redeem: Any, lambda_context: Any
) -> None:
    [code] = ready_codes(seeded, batches, lambda_context, 1)
    page = load_event("redeem/redeem_page.json")

    known = redeem.handler(with_query(page, code=display(code)), lambda_context)["body"]
    unknown = redeem.handler(with_query(page, code=PLACEHOLDER_CODE), lambda_context)["body"]

    assert "<strong>Forsttechnik Huber KG</strong> lädt Sie zu <strong>INTERFORST" in known
    assert "lädt Sie zu" not in unknown
    assert "Forsttechnik" not in unknown
    # the public page tells no more of a valid code: no state, validity or e-mail address
    assert "messe@forsttechnik-huber.example" not in known
    assert stored_voucher(code).state == "issued"

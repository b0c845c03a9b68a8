"""Bookings, check-in and documents: each handler invoked with the sample events of ``events/``
on the moto account.

The seeded event has room for ten people and two price options (day ticket 25.00 at 7 %, VIP
119.00 at 19 %). A test changes only what its case is about (another body, another tenant, a
later clock) and reads results back through the product's own stores.
"""

from __future__ import annotations

import copy
import email
import email.policy
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl
import pytest

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import (
    EVENT_ID,
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
from tests.pdf_reading import decode_qr_codes, pdf_text

OTHER_ORGANIZER_ID = "org_other0000000000"


# ------------------------------------------------------------------------------ helpers


def problem_fields(response: dict[str, Any]) -> set[str]:
    assert response["statusCode"] == 422, response["body"]
    assert header(response, "Content-Type") == PROBLEM_JSON
    return {error["field"] for error in body_of(response)["errors"]}


def seed_event(capacity: int = 10) -> None:
    seed_interforst(
        2026,
        capacity,
        [("day", "Tageskarte", "25.00", 7), ("vip", "VIP-Karte", "119.00", 19)],
    )


@pytest.fixture
def seeded(aws: Aws) -> Aws:
    seed_organizer()
    seed_event()
    return aws


def booking_request(**changes: Any) -> dict[str, Any]:
    """The sample booking, with top-level fields or customer fields (``customer={...}``)
    changed; ``idempotency_key=None`` drops the header."""
    event = load_event("bookings/create_booking.json")
    body = json.loads(event["body"])
    key = changes.pop("idempotency_key", "keep")
    customer = changes.pop("customer", {})
    body.update(changes)
    body["customer"].update(customer)
    body["customer"] = {k: v for k, v in body["customer"].items() if v is not None}
    event["body"] = json.dumps(body)
    if key != "keep":
        for headers in (event["headers"], event["multiValueHeaders"]):
            headers.pop("Idempotency-Key")
        if key is not None:
            event["headers"]["Idempotency-Key"] = key
            event["multiValueHeaders"]["Idempotency-Key"] = [key]
    return event


def book(lambda_context: Any, **changes: Any) -> dict[str, Any]:
    """A booking through the handler; each has its own Idempotency-Key unless one is given."""
    changes.setdefault("idempotency_key", None)
    response = load_function("bookings").handler(booking_request(**changes), lambda_context)
    assert response["statusCode"] == 201, response["body"]
    order: dict[str, Any] = body_of(response)
    return order


def for_order(relative: str, order_number: str, **query: str) -> dict[str, Any]:
    """A sample event about one order, with its real order number in place of the placeholder."""
    event = in_path(load_event(relative), PLACEHOLDER_ORDER, order_number, "order_number")
    return with_query(event, **query) if query else event


def as_organizer(event: dict[str, Any], organizer_id: str) -> dict[str, Any]:
    """The same request, made with another tenant's organizer key."""
    changed = copy.deepcopy(event)
    authorizer = changed["requestContext"]["authorizer"]
    authorizer.update(subject_id=organizer_id, organizer_id=organizer_id, principalId=organizer_id)
    return changed


def stored_order(order_number: str) -> Any:
    from ticketing.adapters.order_store import DynamoOrderStore

    order = DynamoOrderStore().get(order_number)
    assert order is not None
    return order


def scan_event(secret: str) -> dict[str, Any]:
    event = load_event("checkins/scan.json")
    event["body"] = json.dumps({"secret": secret})
    return event


def download_event(token: str) -> dict[str, Any]:
    event = load_event("documents/download_ticket.json")
    return in_path(event, event["pathParameters"]["ticket_token"], token, "ticket_token")


def ticket_key(order_number: str, position_id: str) -> str:
    return f"tickets/{order_number}/{position_id}.pdf"


def object_exists(aws: Aws, key: str) -> bool:
    listed = aws.clients["s3"].list_objects_v2(Bucket=aws.environment["DOCUMENTS_BUCKET"])
    return key in [o["Key"] for o in listed.get("Contents", [])]


def sent_mails() -> list[Any]:
    from moto.ses.models import ses_backends

    return list(ses_backends["123456789012"]["eu-central-1"].sent_messages)


# ------------------------------------------------------------------------------ bookings


def test_a_booking_creates_the_order_with_positions_and_queues_its_confirmation(
    seeded: Aws, lambda_context: Any
) -> None:
    bookings = load_function("bookings")

    response = bookings.handler(load_event("bookings/create_booking.json"), lambda_context)

    assert response["statusCode"] == 201, response["body"]
    order = body_of(response)
    assert order["order_number"].startswith("72BE-040526-")
    assert order["total"] == "50.00"
    assert order["payment_status"] == "open"
    assert order["quantity"] == 2
    assert order["customer"]["last_name"] == "Mustermann"
    assert order["fees"] == []
    assert "self_service_secret" not in order
    assert "organizer_id" not in order
    assert len(order["positions"]) == 2
    assert len({p["id"] for p in order["positions"]}) == 2
    for position in order["positions"]:
        assert len(position["id"]) == 7
        assert position["price"] == "25.00"
        assert position["tax_rate"] == "7"
        assert position["type"] == "Tageskarte"
        assert position["product"] == "INTERFORST 2026"
        assert position["holder"] == "Madeleine Mustermann"
        assert position["check_in"] == "not yet"
        # secrets stay in the table, never in an answer
        assert "secret" not in position
        assert "download_token" not in position
    [message] = seeded.receive_all("MailQueue")
    mail = json.loads(message["Body"])
    assert mail["template"] == "order_confirmation"
    assert mail["order_number"] == order["order_number"]
    assert mail["to"] == ["madeleine.mustermann@example.com"]
    assert mail["language"] == "de"

    detail = bookings.handler(
        for_order("bookings/order_detail.json", order["order_number"]), lambda_context
    )
    assert detail["statusCode"] == 200, detail["body"]
    assert body_of(detail) == order


def test_a_retry_with_the_same_idempotency_key_returns_the_same_order(
    seeded: Aws, lambda_context: Any
) -> None:
    from ticketing.adapters.event_store import DynamoEventStore

    bookings = load_function("bookings")

    first = bookings.handler(load_event("bookings/create_booking.json"), lambda_context)
    again = bookings.handler(load_event("bookings/create_booking.json"), lambda_context)

    assert first["statusCode"] == 201, first["body"]
    assert again["statusCode"] == 200, again["body"]
    assert body_of(again)["order_number"] == body_of(first)["order_number"]
    assert body_of(again)["positions"] == body_of(first)["positions"]
    event = DynamoEventStore().get(EVENT_ID)
    assert event is not None
    assert event.sold == 2
    assert len(seeded.receive_all("MailQueue")) == 1

    # the same key for another booking is refused, not answered with the first order
    changed = bookings.handler(booking_request(quantity=3), lambda_context)
    assert problem_fields(changed) == {"Idempotency-Key"}


def test_a_retry_of_the_booking_that_sold_out_the_event_returns_its_order(
    seeded: Aws, lambda_context: Any
) -> None:
    bookings = load_function("bookings")
    first = bookings.handler(booking_request(quantity=10), lambda_context)
    assert first["statusCode"] == 201, first["body"]

    again = bookings.handler(booking_request(quantity=10), lambda_context)

    assert again["statusCode"] == 200, again["body"]
    assert body_of(again)["order_number"] == body_of(first)["order_number"]


def test_the_same_idempotency_key_for_another_event_is_refused(
    seeded: Aws, lambda_context: Any
) -> None:
    from ticketing.adapters.event_store import DynamoEventStore

    stored = DynamoEventStore().get(EVENT_ID)
    assert stored is not None
    DynamoEventStore().add(stored.model_copy(update={"event_id": "evt_second000000000"}))
    bookings = load_function("bookings")
    created = bookings.handler(load_event("bookings/create_booking.json"), lambda_context)
    assert created["statusCode"] == 201, created["body"]
    elsewhere = load_event("bookings/create_booking.json")
    elsewhere["path"] = "/events/evt_second000000000/bookings"
    elsewhere["pathParameters"] = {"event_id": "evt_second000000000"}

    response = bookings.handler(elsewhere, lambda_context)

    assert problem_fields(response) == {"Idempotency-Key"}


def test_a_free_booking_costs_nothing_and_is_paid(seeded: Aws, lambda_context: Any) -> None:
    order = book(lambda_context, payment="free", price_option="vip")

    assert order["total"] == "0.00"
    assert order["payment_status"] == "paid"
    assert [p["price"] for p in order["positions"]] == ["0.00", "0.00"]
    assert {p["type"] for p in order["positions"]} == {"VIP-Karte"}


def test_post_delivery_charges_postage_to_the_organizer_not_the_customer(
    seeded: Aws, lambda_context: Any
) -> None:
    order = book(lambda_context, delivery="post")

    assert order["delivery"] == "post"
    assert order["fees"] == [
        {"kind": "postage", "amount": "1.80", "tax_rate": "19", "charged_to": "organizer"}
    ]
    assert order["total"] == "50.00"


def test_bookings_never_exceed_capacity(seeded: Aws, lambda_context: Any) -> None:
    from ticketing.adapters.event_store import DynamoEventStore

    bookings = load_function("bookings")
    book(lambda_context, quantity=8)

    too_many = bookings.handler(booking_request(quantity=3, idempotency_key="k-3"), lambda_context)
    # issue 10: sold out is a 409 Conflict, with the race's wording (was 422 naming quantity)
    assert too_many["statusCode"] == 409, too_many["body"]
    assert body_of(too_many)["detail"] == (
        "only 2 tickets are left for this event; 3 were asked for"
    )

    book(lambda_context, quantity=2)

    sold_out = bookings.handler(booking_request(quantity=1, idempotency_key="k-1"), lambda_context)
    assert sold_out["statusCode"] == 409, sold_out["body"]
    assert body_of(sold_out)["remaining"] == 0
    event = DynamoEventStore().get(EVENT_ID)
    assert event is not None
    assert (event.sold, event.remaining) == (10, 0)


def test_bad_bookings_name_the_field(seeded: Aws, lambda_context: Any) -> None:
    bookings = load_function("bookings")

    invalid = bookings.handler(load_event("bookings/create_booking_invalid.json"), lambda_context)

    assert {
        "quantity",
        "customer.zip",
        "submitter.email",
        "price_option",
        "payment",
        "delivery",
    } <= problem_fields(invalid)
    assert all(error["message"] for error in body_of(invalid)["errors"])

    unknown_option = bookings.handler(
        booking_request(price_option="weekend", idempotency_key=None), lambda_context
    )
    assert problem_fields(unknown_option) == {"price_option"}
    assert "day, vip" in body_of(unknown_option)["detail"]

    no_address = bookings.handler(
        booking_request(customer={"email": None}, idempotency_key=None), lambda_context
    )
    assert problem_fields(no_address) == {"customer.email"}

    # nothing was booked, nothing was queued
    assert seeded.receive_all("MailQueue") == []
    listed = bookings.handler(load_event("bookings/booking_list.json"), lambda_context)
    assert body_of(listed)["orders"] == []


def test_search_finds_by_last_name_without_umlauts_and_by_order_number(
    seeded: Aws, lambda_context: Any
) -> None:
    bookings = load_function("bookings")
    mueller = book(lambda_context, customer={"first_name": "Jörg", "last_name": "Müller"})
    book(lambda_context)  # Mustermann: same first letters, another name

    def search(q: str) -> dict[str, Any]:
        return bookings.handler(
            with_query(load_event("bookings/search_orders.json"), q=q), lambda_context
        )

    for query in ("muller", "MÜLLER", "Mül", mueller["order_number"]):
        response = search(query)
        assert response["statusCode"] == 200, response["body"]
        found = body_of(response)["orders"]
        assert [o["order_number"] for o in found] == [mueller["order_number"]], query
        assert found[0]["customer"] == "Jörg Müller"

    sample = bookings.handler(load_event("bookings/search_orders.json"), lambda_context)
    assert [o["customer"] for o in body_of(sample)["orders"]] == ["Madeleine Mustermann"]
    assert problem_fields(search("M")) == {"q"}

    foreign = bookings.handler(
        as_organizer(
            with_query(load_event("bookings/search_orders.json"), q=mueller["order_number"]),
            OTHER_ORGANIZER_ID,
        ),
        lambda_context,
    )
    assert body_of(foreign)["orders"] == []


def test_booking_list_is_newest_first_and_exports_to_excel(
    seeded: Aws, lambda_context: Any
) -> None:
    bookings = load_function("bookings")
    first = book(lambda_context, customer={"last_name": "Erster", "zip": "80331"})
    seeded.clock.moment += timedelta(hours=2)
    second = book(lambda_context, customer={"last_name": "Zweiter"}, quantity=3)

    listed = bookings.handler(load_event("bookings/booking_list.json"), lambda_context)

    assert listed["statusCode"] == 200, listed["body"]
    page = body_of(listed)
    assert [o["order_number"] for o in page["orders"]] == [
        second["order_number"],
        first["order_number"],
    ]
    assert page["next_cursor"] is None
    assert page["orders"][1] == {
        "order_number": first["order_number"],
        "event_id": EVENT_ID,
        "customer": "Madeleine Erster",
        "created_at": "2026-05-04T10:00:00+00:00",
        "zip": "80331",
        "quantity": 2,
        "payment_status": "open",
        "delivery": "email",
    }

    exported = bookings.handler(load_event("bookings/booking_list_xlsx.json"), lambda_context)

    assert exported["statusCode"] == 200
    assert header(exported, "Content-Type") == XLSX
    assert f"bookings-{EVENT_ID}.xlsx" in header(exported, "Content-Disposition")
    header_row, *rows = workbook_rows(binary_body(exported))
    assert header_row == (
        "Bestellnummer",
        "Kunde",
        "Bestelldatum",
        "PLZ",
        "Anzahl",
        "Preisoption",
        "Betrag (EUR)",
        "Zahlung",
        "Versand",
        "E-Mail",
        "Rechnungsnummer",
        "Bestellseite",
    )
    assert [row[:2] for row in rows] == [
        (second["order_number"], "Madeleine Zweiter"),
        (first["order_number"], "Madeleine Erster"),
    ]
    # booked at 10:00 UTC: the list shows the event's local time
    assert rows[1][2] == datetime(2026, 5, 4, 12, 0)
    # issue 11: states in words ("offen", "E-Mail"), no longer the API's "open" and "email"
    assert rows[1][3:5] == ("80331", 2)
    assert rows[1][7:9] == ("offen", "E-Mail")
    assert rows[1][6] == float(first["total"])
    assert rows[1][11] == "Bestellung öffnen"
    assert rows[0][4] == 3
    sheet = openpyxl.load_workbook(io.BytesIO(binary_body(exported))).worksheets[0]
    link = sheet.cell(row=3, column=12).hyperlink
    assert link is not None
    assert f"/o/{first['order_number']}/" in link.target


def test_mark_paid_once_and_resend_queues_the_confirmation_again(
    seeded: Aws, lambda_context: Any
) -> None:
    bookings = load_function("bookings")
    order = book(lambda_context)
    seeded.receive_all("MailQueue")

    paid = bookings.handler(
        for_order("bookings/mark_paid.json", order["order_number"]), lambda_context
    )
    twice = bookings.handler(
        for_order("bookings/mark_paid.json", order["order_number"]), lambda_context
    )
    resent = bookings.handler(
        for_order("bookings/resend.json", order["order_number"]), lambda_context
    )

    assert paid["statusCode"] == 200, paid["body"]
    assert body_of(paid)["payment_status"] == "paid"
    assert body_of(paid)["paid_at"] == "2026-05-04T10:00:00Z"
    assert twice["statusCode"] == 409
    assert resent["statusCode"] == 202, resent["body"]
    assert body_of(resent) == {
        "order_number": order["order_number"],
        "to": "madeleine.mustermann@example.com",
        "queued": True,
    }
    [message] = seeded.receive_all("MailQueue")
    mail = json.loads(message["Body"])
    assert (mail["template"], mail["order_number"]) == ("order_confirmation", order["order_number"])
    assert mail["request_id"].startswith(f"resend-{order['order_number']}-")


# ------------------------------------------------------------------------------ check-in


def test_scanning_a_ticket_twice_gives_200_then_409_with_the_first_time(
    seeded: Aws, lambda_context: Any
) -> None:
    checkins = load_function("checkins")
    order = book(lambda_context)
    position = stored_order(order["order_number"]).positions[0]
    seeded.clock.moment = datetime(2026, 7, 8, 7, 30, tzinfo=UTC)

    first = checkins.handler(scan_event(position.secret), lambda_context)
    seeded.clock.moment += timedelta(minutes=5)
    second = checkins.handler(scan_event(position.secret), lambda_context)

    assert first["statusCode"] == 200, first["body"]
    assert body_of(first) == {
        "order_number": order["order_number"],
        "position_id": position.position_id,
        "holder": "Madeleine Mustermann",
        "type": "Tageskarte",
        "checked_in_at": "2026-07-08T07:30:00+00:00",
        "payment_status": "open",
        "unpaid": True,
    }
    assert second["statusCode"] == 409
    assert header(second, "Content-Type") == PROBLEM_JSON
    assert body_of(second)["checked_in_at"] == "2026-07-08T07:30:00+00:00"
    # said for people, in the event's time zone (Berlin); the field above is for programs
    assert body_of(second)["detail"] == "this ticket was checked in at 8 Jul 2026, 09:30"
    checked = stored_order(order["order_number"])
    assert checked.positions[0].checked_in_at == datetime(2026, 7, 8, 7, 30, tzinfo=UTC)
    assert checked.positions[1].checked_in_at is None


def test_an_unknown_or_foreign_ticket_is_not_found(seeded: Aws, lambda_context: Any) -> None:
    checkins = load_function("checkins")
    order = book(lambda_context)
    position = stored_order(order["order_number"]).positions[0]
    forged = position.secret[:-1] + ("a" if position.secret[-1] != "a" else "b")

    answers = {
        "garbage": checkins.handler(scan_event("not a ticket"), lambda_context),
        "placeholder": checkins.handler(load_event("checkins/scan.json"), lambda_context),
        "forged": checkins.handler(scan_event(forged), lambda_context),
        "download link": checkins.handler(scan_event(position.download_token), lambda_context),
        "foreign": checkins.handler(
            as_organizer(scan_event(position.secret), OTHER_ORGANIZER_ID), lambda_context
        ),
    }

    assert {name: a["statusCode"] for name, a in answers.items()} == dict.fromkeys(answers, 404)
    assert all(header(a, "Content-Type") == PROBLEM_JSON for a in answers.values())
    assert all(p.checked_in_at is None for p in stored_order(order["order_number"]).positions)


def test_check_in_of_a_whole_order_checks_in_every_position(
    seeded: Aws, lambda_context: Any
) -> None:
    checkins = load_function("checkins")
    order = book(lambda_context, quantity=3)
    number = order["order_number"]
    early = stored_order(number).positions[1]
    assert checkins.handler(scan_event(early.secret), lambda_context)["statusCode"] == 200
    seeded.clock.moment += timedelta(minutes=10)

    response = checkins.handler(for_order("checkins/check_in_order.json", number), lambda_context)
    again = checkins.handler(for_order("checkins/check_in_order.json", number), lambda_context)
    foreign = checkins.handler(
        as_organizer(for_order("checkins/check_in_order.json", number), OTHER_ORGANIZER_ID),
        lambda_context,
    )

    assert response["statusCode"] == 200, response["body"]
    result = body_of(response)
    assert result["order_number"] == number
    assert result["checked_in_now"] == 2
    assert result["unpaid"] is True
    times = {p["id"]: p["checked_in_at"] for p in result["positions"]}
    assert times[early.position_id] == "2026-05-04T10:00:00+00:00"
    assert sorted(t for i, t in times.items() if i != early.position_id) == [
        "2026-05-04T10:10:00+00:00",
        "2026-05-04T10:10:00+00:00",
    ]
    assert body_of(again)["checked_in_now"] == 0
    assert foreign["statusCode"] == 404


# ------------------------------------------------------------------------------ documents


def test_a_ticket_link_redirects_to_a_presigned_url_that_lives_five_minutes(
    seeded: Aws, lambda_context: Any
) -> None:
    documents = load_function("documents")
    order = book(lambda_context)
    position = stored_order(order["order_number"]).positions[0]
    key = ticket_key(order["order_number"], position.position_id)
    assert not object_exists(seeded, key)
    public = download_event(position.download_token)
    assert "authorizer" not in public["requestContext"]
    assert "Authorization" not in public["headers"]

    response = documents.handler(public, lambda_context)

    assert response["statusCode"] == 302, response["body"]
    location = header(response, "Location")
    assert "X-Amz-Expires=300" in location
    assert key in location
    assert f"ticket-{position.position_id}.pdf" in location
    assert header(response, "Cache-Control") == "no-store"
    stored = seeded.clients["s3"].get_object(Bucket=seeded.environment["DOCUMENTS_BUCKET"], Key=key)
    assert stored["ContentType"] == "application/pdf"
    pdf = stored["Body"].read()
    assert decode_qr_codes(pdf) == [position.secret]
    assert "INTERFORST 2026" in pdf_text(pdf)

    # the QR content is not a download link, nor is a link with one character changed
    last = position.download_token[-1]
    changed = position.download_token[:-1] + ("0" if last != "0" else "1")
    for token in (position.secret, changed, "garbage"):
        refused = documents.handler(download_event(token), lambda_context)
        assert refused["statusCode"] == 404, token


def test_a_deleted_ticket_pdf_is_built_again(seeded: Aws, lambda_context: Any) -> None:
    documents = load_function("documents")
    order = book(lambda_context)
    position = stored_order(order["order_number"]).positions[1]
    key = ticket_key(order["order_number"], position.position_id)
    assert (
        documents.handler(download_event(position.download_token), lambda_context)["statusCode"]
        == 302
    )
    seeded.clients["s3"].delete_object(Bucket=seeded.environment["DOCUMENTS_BUCKET"], Key=key)
    assert not object_exists(seeded, key)

    response = documents.handler(download_event(position.download_token), lambda_context)

    assert response["statusCode"] == 302, response["body"]
    assert object_exists(seeded, key)
    stored = seeded.clients["s3"].get_object(Bucket=seeded.environment["DOCUMENTS_BUCKET"], Key=key)
    assert decode_qr_codes(stored["Body"].read()) == [position.secret]


def test_the_invoice_shows_the_tax_split_and_numbers_are_gap_free(
    seeded: Aws, lambda_context: Any
) -> None:
    documents = load_function("documents")
    first = book(lambda_context)
    second = book(lambda_context, price_option="vip", quantity=1)

    response = documents.handler(
        for_order("documents/invoice.json", first["order_number"]), lambda_context
    )

    assert response["statusCode"] == 200, response["body"]
    assert header(response, "Content-Type") == "application/pdf"
    assert header(response, "X-Invoice-Number") == "R2026-000001"
    text = pdf_text(binary_body(response))
    for expected in (
        "R2026-000001",
        first["order_number"],
        "46,73",
        "3,27",
        "50,00",
        "Demo Messe GmbH",
        "DE123456789",
        "Madeleine Mustermann",
        "12345",
    ):
        assert expected in text, expected

    other = documents.handler(
        for_order("documents/invoice.json", second["order_number"]), lambda_context
    )
    repeated = documents.handler(
        for_order("documents/invoice.json", first["order_number"]), lambda_context
    )
    foreign = documents.handler(
        as_organizer(
            for_order("documents/invoice.json", first["order_number"]), OTHER_ORGANIZER_ID
        ),
        lambda_context,
    )

    assert header(other, "X-Invoice-Number") == "R2026-000002"
    assert "R2026-000002" in pdf_text(binary_body(other))
    assert "19" in pdf_text(binary_body(other))
    assert header(repeated, "X-Invoice-Number") == "R2026-000001"
    assert binary_body(repeated) == binary_body(response)
    assert foreign["statusCode"] == 404
    assert stored_order(first["order_number"]).invoice_number == "R2026-000001"


def test_direct_links_list_one_link_per_ticket(seeded: Aws, lambda_context: Any) -> None:
    bookings = load_function("bookings")
    order = book(lambda_context, quantity=3)
    number = order["order_number"]
    positions = stored_order(number).positions
    base = seeded.environment["PUBLIC_BASE_URL"].rstrip("/")
    expected = [f"{base}/t/{p.download_token}" for p in positions]

    listed = bookings.handler(for_order("bookings/direct_links.json", number), lambda_context)
    exported = bookings.handler(
        for_order("bookings/direct_links.json", number, format="xlsx"), lambda_context
    )

    assert listed["statusCode"] == 200, listed["body"]
    links = body_of(listed)
    assert links["order_number"] == number
    assert [link["position_id"] for link in links["links"]] == [p.position_id for p in positions]
    assert [link["url"] for link in links["links"]] == expected
    assert {link["holder"] for link in links["links"]} == {"Madeleine Mustermann"}
    assert {link["type"] for link in links["links"]} == {"Tageskarte"}
    assert header(exported, "Content-Type") == XLSX
    header_row, *rows = workbook_rows(binary_body(exported))
    assert header_row == ("Bestellnummer", "Ticket-ID", "Inhaber", "Typ", "Link")
    assert rows == [
        (number, p.position_id, "Madeleine Mustermann", "Tageskarte", url)
        for p, url in zip(positions, expected, strict=True)
    ]


# ------------------------------------------------------------------------------ mail


def test_mailer_sends_the_confirmation_with_one_pdf_per_ticket(
    seeded: Aws, lambda_context: Any
) -> None:
    order = book(lambda_context)
    positions = stored_order(order["order_number"]).positions
    [message] = seeded.receive_all("MailQueue")
    sqs_event = load_event("mailer/sqs_mail_request.json")
    sqs_event["Records"][0]["body"] = message["Body"]
    sqs_event["Records"][0]["messageId"] = message["MessageId"]
    sqs_event["Records"][0]["md5OfBody"] = message["MD5OfBody"]

    result = load_function("mailer").handler(sqs_event, lambda_context)

    assert result == {"batchItemFailures": []}
    [sent] = sent_mails()
    assert "madeleine.mustermann@example.com" in sent.destinations
    mail = email.message_from_string(sent.raw_data, policy=email.policy.default)
    assert mail["Subject"] == f"Ihre Buchung {order['order_number']}: INTERFORST 2026"
    attachments = {a.get_filename(): a.get_content() for a in mail.iter_attachments()}
    # issue 11: and the event as a calendar file, and the invoice of the priced order
    invoice = f"invoice-{stored_order(order['order_number']).invoice_number}.pdf"
    assert sorted(attachments) == sorted(
        [
            *(f"ticket-{p.position_id}.pdf" for p in positions),
            f"event-{order['order_number']}.ics",
            invoice,
        ]
    )
    assert "Rechnung" in pdf_text(attachments[invoice])
    # issue 11: the organizer speaks, from the platform's verified address
    sender = mail["From"].addresses[0]
    assert sender.display_name == "Demo Messe GmbH"
    from ticketing.settings import settings

    assert sender.addr_spec == settings().mail_from
    assert mail["Reply-To"].addresses[0].addr_spec == "kontakt@demo-messe.example"
    for position in positions:
        pdf = attachments[f"ticket-{position.position_id}.pdf"]
        assert decode_qr_codes(pdf) == [position.secret]

"""Named tickets through the handlers on moto (issue 11): a booking naming its attendees, and
``PATCH /orders/{order_number}/positions/{position_id}`` changing one ticket's name, whose PDF
is rendered anew."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import PLACEHOLDER_ORDER, body_of, header
from tests.integration.test_order_handlers import (
    as_organizer,
    book,
    download_event,
    problem_fields,
    seeded,  # noqa: F401 - the fixture
    stored_order,
    ticket_key,
)
from tests.pdf_reading import decode_qr_codes, pdf_text

ATTENDEES = [
    {"first_name": "Łukasz", "last_name": "Wąsik"},
    {"first_name": "Wei", "last_name": "张"},
]


def rename_event(order_number: str, position_id: str, **body: str) -> dict[str, Any]:
    event = copy.deepcopy(load_event("bookings/rename_holder.json"))
    sample_position = event["pathParameters"]["position_id"]
    for holder in (event, event["requestContext"]):
        holder["path"] = (
            holder["path"]
            .replace(PLACEHOLDER_ORDER, order_number)
            .replace(sample_position, position_id)
        )
    event["pathParameters"] = {"order_number": order_number, "position_id": position_id}
    event["body"] = json.dumps(body, ensure_ascii=False)
    return event


def stored_pdf(aws: Aws, key: str) -> bytes:
    stored = aws.clients["s3"].get_object(Bucket=aws.environment["DOCUMENTS_BUCKET"], Key=key)
    data: bytes = stored["Body"].read()
    return data


def test_a_booking_names_each_attendee_on_its_ticket(seeded: Aws, lambda_context: Any) -> None:  # noqa: F811
    order = book(lambda_context, attendees=ATTENDEES)

    assert [p["holder"] for p in order["positions"]] == ["Łukasz Wąsik", "Wei 张"]


def test_attendees_not_matching_the_quantity_are_refused_naming_the_field(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    from tests.integration.test_order_handlers import booking_request

    response = load_function("bookings").handler(
        booking_request(attendees=ATTENDEES[:1], idempotency_key=None), lambda_context
    )

    assert problem_fields(response) == {"attendees"}


def test_the_organizer_renames_a_ticket_and_its_pdf_is_built_anew(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    bookings, documents = load_function("bookings"), load_function("documents")
    order = book(lambda_context, attendees=ATTENDEES)
    position = stored_order(order["order_number"]).positions[1]
    key = ticket_key(order["order_number"], position.position_id)
    assert (
        documents.handler(download_event(position.download_token), lambda_context)["statusCode"]
        == 302
    )
    assert "Wei 张" in pdf_text(stored_pdf(seeded, key))

    response = bookings.handler(
        rename_event(order["order_number"], position.position_id, first_name="伟", last_name="张"),
        lambda_context,
    )

    assert response["statusCode"] == 200, response["body"]
    assert [p["holder"] for p in body_of(response)["positions"]] == ["Łukasz Wąsik", "伟 张"]
    pdf = stored_pdf(seeded, key)
    assert "伟 张" in pdf_text(pdf)
    assert "2 von 2" in pdf_text(pdf)
    assert decode_qr_codes(pdf) == [position.secret]  # the same ticket, another name


def test_renaming_a_ticket_of_another_organizer_or_an_unknown_one_is_not_found(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    bookings = load_function("bookings")
    order = book(lambda_context)
    position_id = order["positions"][0]["id"]

    unknown = bookings.handler(
        rename_event(order["order_number"], "zzzzzzz", first_name="A", last_name="B"),
        lambda_context,
    )
    foreign = bookings.handler(
        as_organizer(
            rename_event(order["order_number"], position_id, first_name="A", last_name="B"),
            "org_other0000000000",
        ),
        lambda_context,
    )
    empty = bookings.handler(
        rename_event(order["order_number"], position_id, first_name="", last_name="B"),
        lambda_context,
    )

    assert (unknown["statusCode"], foreign["statusCode"]) == (404, 404)
    assert header(unknown, "Content-Type") == "application/problem+json"
    assert problem_fields(empty) == {"first_name"}

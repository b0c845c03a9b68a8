"""Problem details in the caller's language, through the handlers on moto: German, Chinese and
English (by default), field errors in words, and the guards of an event's times."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import body_of, header, seed_interforst, seed_organizer
from tests.integration.test_order_handlers import book, booking_request, scan_event


def speaking(event: dict[str, Any], accept_language: str | None) -> dict[str, Any]:
    """``event`` with its Accept-Language header set (None: without one)."""
    for headers in (event.setdefault("headers", {}), event.setdefault("multiValueHeaders", {})):
        for name in [n for n in headers if n.lower() == "accept-language"]:
            del headers[name]
    if accept_language is not None:
        event["headers"]["Accept-Language"] = accept_language
        event["multiValueHeaders"]["Accept-Language"] = [accept_language]
    return event


@pytest.fixture
def seeded(aws: Aws) -> Aws:
    seed_organizer()
    seed_interforst(2026, 10, [("day", "Tageskarte", "25.00", 7)])
    return aws


def an_event_body(**changes: Any) -> dict[str, Any]:
    event = load_event("events/create_event.json")
    event["body"] = json.dumps({**json.loads(event["body"]), **changes})
    return event


def test_field_errors_say_in_german_what_to_type(aws: Aws, lambda_context: Any) -> None:
    request = speaking(an_event_body(currency="eur", timezone="Europe/Berlinn"), "de-DE,de;q=0.9")

    response = load_function("events").handler(request, lambda_context)

    assert response["statusCode"] == 422, response["body"]
    problem = body_of(response)
    fields = {e["field"]: e for e in problem["errors"]}
    assert fields["currency"]["message"] == "muss ein Währungscode wie EUR sein"
    assert fields["currency"]["type"] == "string_pattern_mismatch"
    assert fields["timezone"]["message"] == "muss eine Zeitzone wie Europe/Berlin sein"
    assert problem["title"] == "Ungültige Anfrage"
    assert "currency: muss ein Währungscode wie EUR sein" in problem["detail"]
    assert header(response, "Content-Language") == "de"


def test_without_accept_language_a_problem_is_english(aws: Aws, lambda_context: Any) -> None:
    request = speaking(an_event_body(currency="eur"), None)

    response = load_function("events").handler(request, lambda_context)

    [error] = body_of(response)["errors"]
    assert error["message"] == "must be a currency code such as EUR"
    assert body_of(response)["title"] == "Invalid request"
    assert header(response, "Content-Language") == "en"


def test_an_event_that_ends_in_the_past_is_refused(aws: Aws, lambda_context: Any) -> None:
    # the clock of the tests stands at 2026-05-04
    past = an_event_body(starts_at="2026-04-01T09:00:00+02:00", ends_at="2026-04-02T18:00:00+02:00")

    response = load_function("events").handler(speaking(past, "zh-CN"), lambda_context)

    assert response["statusCode"] == 422, response["body"]
    problem = body_of(response)
    assert [e["field"] for e in problem["errors"]] == ["ends_at"]
    assert "必须在将来" in problem["detail"]
    assert problem["title"] == "无效请求"


def test_a_booking_error_speaks_chinese(seeded: Aws, lambda_context: Any) -> None:
    request = speaking(booking_request(price_option="gold", idempotency_key=None), "zh-Hans")

    response = load_function("bookings").handler(request, lambda_context)

    assert response["statusCode"] == 422, response["body"]
    problem = body_of(response)
    assert problem["detail"] == "未知的价格选项 'gold'；请从以下选项中选择：day"
    assert problem["errors"][0]["field"] == "price_option"
    assert header(response, "Content-Language") == "zh"


def test_an_event_that_is_over_takes_no_booking(seeded: Aws, lambda_context: Any) -> None:
    seeded.clock.moment = seeded.clock.moment.replace(year=2026, month=7, day=13)
    request = speaking(booking_request(idempotency_key=None), "de")

    response = load_function("bookings").handler(request, lambda_context)

    assert response["statusCode"] == 409, response["body"]
    assert body_of(response)["detail"] == (
        "Diese Veranstaltung ist am 12.07.2026, 17:00 Uhr zu Ende gegangen "
        "und kann nicht mehr gebucht werden."
    )


def test_check_in_after_the_end_is_refused_in_german(seeded: Aws, lambda_context: Any) -> None:
    order = book(lambda_context, quantity=1)
    from ticketing.adapters.order_store import DynamoOrderStore

    stored = DynamoOrderStore().get(order["order_number"])
    assert stored is not None
    secret = stored.positions[0].secret
    seeded.clock.moment = seeded.clock.moment.replace(year=2026, month=7, day=12, hour=15, minute=1)

    late = load_function("checkins").handler(speaking(scan_event(secret), "de"), lambda_context)
    seeded.clock.moment -= timedelta(minutes=2)
    in_time = load_function("checkins").handler(speaking(scan_event(secret), "de"), lambda_context)
    again = load_function("checkins").handler(speaking(scan_event(secret), "de"), lambda_context)

    assert late["statusCode"] == 409, late["body"]
    assert "der Einlass ist geschlossen" in body_of(late)["detail"]
    assert in_time["statusCode"] == 200, in_time["body"]
    assert again["statusCode"] == 409
    assert body_of(again)["detail"].startswith("Dieses Ticket wurde bereits am 12.07.2026")
    assert body_of(again)["checked_in_at"]  # the machine-readable time stays

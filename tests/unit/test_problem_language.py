"""The resolver answers problems in the caller's language (Accept-Language: de, en, zh;
English by default), with ``Content-Language``; field errors say in words what to type."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from tests.conftest import LambdaContext, load_event
from tests.integration.helpers import header
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.api.spoken import field_message, language_of
from ticketing.domain.errors import Conflict, DomainError, Expired, NotFound, TooManyAttempts
from ticketing.domain.events import EventDraft


def answer(error: Exception, accept_language: str | None) -> dict[str, Any]:
    app = make_resolver()

    @app.get("/events")
    def failing() -> dict[str, Any]:
        raise error

    event = load_event("events/list_events.json")
    event["headers"] = {k: v for k, v in event["headers"].items() if k.lower() != "accept-language"}
    event["multiValueHeaders"] = {}
    if accept_language is not None:
        event["headers"]["Accept-Language"] = accept_language
    response: dict[str, Any] = lambda_handler(app)(event, LambdaContext())
    return response


def problem_of(response: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(response["body"])
    return body


USED = Conflict("This voucher code has already been used.", message_id="problem.voucher.used")


@pytest.mark.parametrize(
    ("accept", "language", "title", "detail"),
    [
        (
            "de-DE,de;q=0.9,en;q=0.8",
            "de",
            "Konflikt",
            "Dieser Gutscheincode wurde bereits eingelöst.",
        ),
        ("zh-Hans-CN", "zh", "冲突", "此兑换码已被使用。"),
        ("en-GB", "en", "Conflict", "This voucher code has already been used."),
        ("fr-FR", "en", "Conflict", "This voucher code has already been used."),
        (None, "en", "Conflict", "This voucher code has already been used."),
    ],
)
def test_a_problem_speaks_the_callers_language(
    accept: str | None, language: str, title: str, detail: str
) -> None:
    response = answer(USED, accept)

    assert response["statusCode"] == 409
    assert problem_of(response)["title"] == title
    assert problem_of(response)["detail"] == detail
    assert header(response, "Content-Language") == language
    assert "Accept-Language" in header(response, "Vary")


def test_parameters_are_filled_and_days_written_as_the_language_writes_them() -> None:
    expired = Expired(
        "This voucher expired on 2026-06-30.",
        message_id="problem.voucher.expired",
        params={"date": date(2026, 6, 30)},
    )
    refused = TooManyAttempts(
        "Too many failed attempts. Please try again in 7 minutes.",
        400,
        message_id="problem.too_many_attempts",
        params={"minutes": 7},
    )

    assert (
        problem_of(answer(expired, "de"))["detail"]
        == "Dieser Gutschein ist am 30.06.2026 abgelaufen."
    )
    assert problem_of(answer(expired, "zh"))["detail"] == "此兑换券已于 2026年6月30日 过期。"
    assert problem_of(answer(expired, "en"))["detail"] == "This voucher expired on 30 Jun 2026."
    too_many = answer(refused, "de")
    assert problem_of(too_many)["title"] == "Zu viele Versuche"
    assert problem_of(too_many)["detail"].startswith("Zu viele erfolglose Versuche")
    assert header(too_many, "Retry-After") == "400"


def test_an_error_without_a_message_keeps_its_english_detail_under_a_translated_title() -> None:
    response = answer(NotFound("no event evt_1"), "de")

    assert problem_of(response)["title"] == "Nicht gefunden"
    assert problem_of(response)["detail"] == "no event evt_1"


def test_every_domain_error_title_is_in_the_catalogue() -> None:
    from ticketing.i18n import LANGUAGES, translate

    kinds = [DomainError, *DomainError.__subclasses__()]
    for kind in kinds:
        for language in LANGUAGES:
            assert translate(language, kind.title_id)
        assert translate("en", kind.title_id) == kind.title


def test_a_moment_is_written_in_the_zone_it_carries() -> None:
    at = datetime(2026, 7, 12, 7, 30, tzinfo=UTC)
    early = Conflict("x", message_id="problem.checkin.not_open", params={"opens_at": at})

    assert problem_of(answer(early, "de"))["detail"] == (
        "Der Einlass für diese Veranstaltung öffnet am 12.07.2026, 07:30 Uhr."
    )


def test_the_language_is_read_from_any_spelling_of_the_header() -> None:
    assert language_of({"accept-language": "zh-TW"}) == "zh"
    assert language_of({"ACCEPT-LANGUAGE": "de;q=0, en"}) == "en"
    assert language_of(None) == "en"


class Contact(BaseModel):
    email: str
    zip: str


def pydantic_errors(model: type[BaseModel], data: dict[str, Any]) -> list[dict[str, Any]]:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as invalid:
        model.model_validate(data)
    return [dict(item) for item in invalid.value.errors()]


def test_field_errors_say_what_to_type_not_a_regular_expression() -> None:
    draft = {
        "name": "x" * 201,
        "venue": "",
        "starts_at": "2027-07-12T09:00:00+02:00",
        "ends_at": "soon",
        "timezone": "Mars/Olympus",
        "currency": "eur",
        "capacity": 0,
        "price_options": [{"id": "Day Ticket", "name": "Tageskarte", "price": "25", "tax_rate": 7}],
        "language": "fr",
    }
    errors = pydantic_errors(EventDraft, draft)

    def said(language: Any, field: str) -> str:
        item = next(e for e in errors if ".".join(str(p) for p in e["loc"]) == field)
        return field_message(language, item, item["msg"])

    assert said("en", "currency") == "must be a currency code such as EUR"
    assert said("de", "currency") == "muss ein Währungscode wie EUR sein"
    assert said("zh", "currency") == "必须是货币代码，例如 EUR"
    assert said("de", "timezone") == "muss eine Zeitzone wie Europe/Berlin sein"
    assert said("de", "name") == "darf höchstens 200 Zeichen lang sein"
    assert said("de", "venue") == "darf nicht leer sein"
    assert said("de", "capacity") == "muss mindestens 1 sein"
    assert said("en", "ends_at").startswith("must be a date and time with its UTC offset")
    assert said("de", "price_options.0.id").startswith("darf nur Kleinbuchstaben")
    assert said("de", "language") == "muss eines von 'de', 'en', 'zh' sein"


def test_a_missing_field_and_an_unknown_one_are_said_in_words() -> None:
    errors = pydantic_errors(Contact, {"zip": "1"})
    [missing] = errors

    assert field_message("de", missing, "Field required") == "ist ein Pflichtfeld"
    assert field_message("en", missing, "Field required") == "is required"

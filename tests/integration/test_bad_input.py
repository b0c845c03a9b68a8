"""Poison input from a clumsy client or an attacker (issue 10): bytes that are not UTF-8, a
multipart body without its boundary, JSON nested a thousand deep, a blank company, and names
with line breaks. Each answers 4xx with a problem that says what was wrong, never a 500.

The handlers are invoked as API Gateway (and the local stack's gateway) hands them a body that
is not text: base64-encoded, with ``isBase64Encoded`` set.
"""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import PROBLEM_JSON, body_of, header, seed_organizer
from tests.integration.test_voucher_handlers import (
    order_batch,
    registration,
    run_worker,
    seed_event,
    seed_exhibitor,
)

NOT_UTF8 = {
    "invalid bytes": b'{"name": "\xff\xfe"}',
    "latin-1": '{"first_name": "Jörg", "last_name": "Müller"}'.encode("latin-1"),
    "utf-16": '{"name": "Müller"}'.encode("utf-16"),
}
# (function, sample event) of the body routes probed: organizer, public and page form routes
BODY_ROUTES = {
    "POST /events": ("events", "events/create_event.json"),
    "POST /organizers": ("access", "access/onboard_organizer.json"),
    "POST /exhibitors": ("access", "access/create_exhibitor.json"),
    "POST /events/{id}/orders": ("bookings", "bookings/create_booking.json"),
    "POST /vouchers/{code}/registration": ("redeem", "redeem/registration.json"),
    "POST /portal/requests": ("portal", "portal/link_request.json"),
    "POST /o/{order}/{secret}/preferences": ("portal", "portal/order_page.json"),
}


def with_body(
    event: dict[str, Any], body: bytes, content_type: str = "application/json"
) -> dict[str, Any]:
    """``event`` carrying ``body`` as bytes, the way the gateway hands over what is not text."""
    changed = copy.deepcopy(event)
    if changed["path"].startswith("/o/"):
        changed.update(httpMethod="POST", resource="/o/{order_number}/{secret}/preferences")
        changed["path"] += "/preferences"
        changed["requestContext"]["path"] += "/preferences"
        changed["requestContext"]["httpMethod"] = "POST"
    for headers in (changed.get("headers") or {}, changed.get("multiValueHeaders") or {}):
        for name in [n for n in headers if n.lower() == "content-type"]:
            del headers[name]
    changed.setdefault("headers", {})["Content-Type"] = content_type
    if changed.get("multiValueHeaders") is not None:
        changed["multiValueHeaders"]["Content-Type"] = [content_type]
    changed["body"] = base64.b64encode(body).decode()
    changed["isBase64Encoded"] = True
    return changed


def send(
    route: str, body: bytes, lambda_context: Any, content_type: str = "application/json"
) -> dict[str, Any]:
    function, sample = BODY_ROUTES[route]
    response: dict[str, Any] = load_function(function).handler(
        with_body(load_event(sample), body, content_type), lambda_context
    )
    return response


def problem_of(response: dict[str, Any], status: int) -> dict[str, Any]:
    assert response["statusCode"] == status, response["body"]
    assert header(response, "Content-Type") == PROBLEM_JSON
    answer: dict[str, Any] = body_of(response)
    return answer


def a_code(aws: Aws, lambda_context: Any) -> list[str]:
    """One ready visitor voucher code (the worker may take more than one round for it)."""
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 1)
    for _ in range(5):
        run_worker(aws, lambda_context)
        codes = list(DynamoBatchStore().batch_codes(batch_id))
        if codes:
            return codes
    raise AssertionError("the worker made no code")


@pytest.fixture
def seeded(aws: Aws) -> Aws:
    seed_organizer()
    seed_event()
    seed_exhibitor()
    return aws


@pytest.mark.parametrize("route", BODY_ROUTES)
@pytest.mark.parametrize("encoding", NOT_UTF8)
def test_a_body_that_is_not_utf8_is_400(
    seeded: Aws, lambda_context: Any, route: str, encoding: str
) -> None:
    answer = problem_of(send(route, NOT_UTF8[encoding], lambda_context), 400)

    assert "UTF-8" in answer["detail"]


@pytest.mark.parametrize("route", BODY_ROUTES)
def test_multipart_without_a_boundary_is_415(seeded: Aws, lambda_context: Any, route: str) -> None:
    response = send(route, b'{"name": "x"}', lambda_context, "multipart/form-data")

    assert problem_of(response, 415)["detail"] == "Send the body as application/json."


@pytest.mark.parametrize("route", BODY_ROUTES)
@pytest.mark.parametrize("depth", [33, 1_000, 5_000])
def test_json_nested_too_deep_is_400(
    seeded: Aws, lambda_context: Any, route: str, depth: int
) -> None:
    nested = ("[" * depth + "]" * depth).encode()

    answer = problem_of(send(route, nested, lambda_context), 400)

    assert "nest at most 32 levels" in answer["detail"]


def test_a_lone_surrogate_escape_is_400(seeded: Aws, lambda_context: Any) -> None:
    event = load_event("events/create_event.json")
    body = json.loads(event["body"])
    body["name"] = "Fair \\ud800"
    event["body"] = json.dumps(body).replace("\\\\ud800", "\\ud800")

    response = load_function("events").handler(event, lambda_context)

    assert "UTF-8" in problem_of(response, 400)["detail"]


def test_a_form_body_in_utf8_still_reaches_its_route(seeded: Aws, lambda_context: Any) -> None:
    """The page's own form post (reminders off) is text: it is not refused by these checks."""
    response = send(
        "POST /o/{order}/{secret}/preferences",
        b"reminders=off",
        lambda_context,
        "application/x-www-form-urlencoded",
    )

    assert response["statusCode"] == 404  # the sample order does not exist: the not-found page


@pytest.mark.parametrize("company", ["", "   "])
def test_a_blank_company_on_a_registration_is_no_company(
    seeded: Aws, lambda_context: Any, company: str
) -> None:
    from ticketing.adapters.order_store import DynamoOrderStore

    [code] = a_code(seeded, lambda_context)

    response = load_function("redeem").handler(registration(code, company=company), lambda_context)

    assert response["statusCode"] == 201, response["body"]
    order = DynamoOrderStore().get(body_of(response)["order_number"])
    assert order is not None
    assert order.customer.company is None


@pytest.mark.parametrize("name", ["Fair\nX", "Fair\rX", "Fair\r\nX", "Fair\x85X", "Fair\u2028X"])
def test_an_event_named_with_a_line_break_is_422_naming_name(
    seeded: Aws, lambda_context: Any, name: str
) -> None:
    event = load_event("events/create_event.json")
    event["body"] = json.dumps({**json.loads(event["body"]), "name": name})

    answer = problem_of(load_function("events").handler(event, lambda_context), 422)

    assert [e["field"] for e in answer["errors"]] == ["name"]
    assert answer["errors"][0]["message"] == (
        "must be one line without control characters (no line breaks or tabs)"
    )


def test_an_organizer_named_with_a_line_break_is_422(seeded: Aws, lambda_context: Any) -> None:
    event = load_event("access/onboard_organizer.json")
    event["body"] = json.dumps({**json.loads(event["body"]), "name": "Org\r\nName"})

    answer = problem_of(load_function("access").handler(event, lambda_context), 422)

    assert [e["field"] for e in answer["errors"]] == ["name"]

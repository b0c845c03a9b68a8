"""Issue 17 through the handlers on moto: ``POST /customers/erasure`` retried with its
Idempotency-Key answers the same erasure; the customer's privacy form answers 202 alike and
is served under the strict policy; a made-up link's page and button find nothing."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import body_of, header


def test_a_retried_erasure_request_answers_the_same_erasure(aws: Aws, lambda_context: Any) -> None:
    privacy = load_function("privacy")
    event = load_event("privacy/request_erasure.json")
    event["body"] = json.dumps({"email": "retry@example.org"})
    event["headers"] = {**event["headers"], "Idempotency-Key": "erase-retry-1"}
    first = privacy.handler(event, lambda_context)
    again = privacy.handler(event, lambda_context)
    assert (first["statusCode"], again["statusCode"]) == (202, 202)
    assert body_of(again)["erasure_id"] == body_of(first)["erasure_id"]
    other = {**event, "body": json.dumps({"email": "someone@example.org"})}
    refused = privacy.handler(other, lambda_context)
    assert refused["statusCode"] == 422, refused["body"]


def test_the_privacy_form_answers_alike_and_a_made_up_link_finds_nothing(
    aws: Aws, lambda_context: Any
) -> None:
    portal = load_function("privacy_portal")
    page = portal.handler(load_event("privacy_portal/form_page.json"), lambda_context)
    assert page["statusCode"] == 200
    assert "unsafe-inline" not in header(page, "Content-Security-Policy")
    asked = load_event("privacy_portal/privacy_request.json")
    unknown = portal.handler(asked, lambda_context)
    nonsense = portal.handler({**asked, "body": "purpose=erasure"}, lambda_context)
    assert (unknown["statusCode"], nonsense["statusCode"]) == (202, 202)
    assert unknown["body"] == nonsense["body"]
    assert aws.receive_all("MailQueue") == []
    for method, body in (("GET", None), ("POST", "confirm=yes")):
        made_up = {
            **asked,
            "httpMethod": method,
            "resource": "/portal/privacy/{token}",
            "path": f"/portal/privacy/{'x' * 43}",
            "pathParameters": {"token": "x" * 43},
            "body": body,
        }
        assert portal.handler(made_up, lambda_context)["statusCode"] == 404

"""The API's description on the local stack: /openapi.json names the stack as its server, and
Swagger UI at /docs loads everything it needs from the stack itself."""

from __future__ import annotations

import re

import pytest

from tests.e2e.stack import LocalStack
from ticketing_local.openapi import document

pytestmark = pytest.mark.slow


def test_the_stack_serves_the_api_document_with_itself_as_server(local_stack: LocalStack) -> None:
    reply = local_stack.client.call("GET", "/openapi.json")

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    served = reply.json()
    assert served["servers"] == [
        {"url": local_stack.client.base_url, "description": "This local stack"}
    ]
    assert served["paths"] == document()["paths"]


def test_swagger_ui_at_docs_loads_only_from_the_stack(local_stack: LocalStack) -> None:
    page = local_stack.client.call("GET", "/docs")

    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.body.decode()
    assert "<script>" not in html  # the policy would block an inline script
    # the icon is an empty data: URL, so that the browser asks for no /favicon.ico
    sources = [s for s in re.findall(r'(?:src|href)="([^"]+)"', html) if s != "data:,"]
    assert sorted(sources) == [
        "/docs/start.js",
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-ui.css",
    ]
    bundle = local_stack.client.call("GET", "/docs/swagger-ui-bundle.js")
    assert bundle.status == 200
    assert bundle.headers["Content-Type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in bundle.body
    style = local_stack.client.call("GET", "/docs/swagger-ui.css")
    assert (style.status, style.headers["Content-Type"]) == (200, "text/css; charset=utf-8")
    start = local_stack.client.call("GET", "/docs/start.js")
    assert b'url: "/openapi.json"' in start.body


def test_an_unknown_docs_path_is_the_gateways_missing_route(local_stack: LocalStack) -> None:
    reply = local_stack.client.call("GET", "/docs/nothing.js")

    assert reply.status == 404
    assert reply.headers["Content-Type"] == "application/problem+json"

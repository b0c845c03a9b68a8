"""The API describes itself: docs/openapi.json is built from the resolvers, is valid OpenAPI 3.1,
covers exactly the template's routes, and is what the code describes today."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from ticketing.api.answers import PDF, XLSX
from ticketing.api.openapi import SCHEME
from ticketing.api.problems import PROBLEM_JSON, problem_body
from ticketing_local.openapi import DOCUMENT_PATH, WRITE_COMMAND, current_text, document
from ticketing_local.template import load_template, read_stack

STACK = read_stack(load_template(), {})
PUBLIC = {(route.method, route.path) for route in STACK.routes if not route.authorized}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def described() -> dict[str, Any]:
    return document()


def operations(described: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in described["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def responses(described: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    answers: dict[str, Any] = described["paths"][path][method.lower()]["responses"]
    return answers


def test_the_document_is_valid_openapi_3_1(described: dict[str, Any]) -> None:
    assert described["openapi"].startswith("3.1.")
    validate(described, cls=OpenAPIV31SpecValidator)


def test_the_document_has_exactly_the_routes_of_the_template(described: dict[str, Any]) -> None:
    declared = {(route.method, route.path) for route in STACK.routes}
    assert {(method, path) for method, path, _ in operations(described)} == declared


def test_docs_openapi_json_is_what_the_code_describes() -> None:
    on_disk = DOCUMENT_PATH.read_text(encoding="utf-8") if DOCUMENT_PATH.exists() else ""
    assert on_disk == current_text(), f"docs/openapi.json is stale: run {WRITE_COMMAND}"


def test_public_routes_need_no_key_and_all_others_a_bearer_key(described: dict[str, Any]) -> None:
    assert PUBLIC, "the template has public customer pages"
    scheme = described["components"]["securitySchemes"][SCHEME]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for method, path, operation in operations(described):
        if (method, path) in PUBLIC:
            assert operation["security"] == [], f"{method} {path} is public"
            assert "401" not in operation["responses"]
        else:
            assert operation["security"] == [{SCHEME: []}], f"{method} {path} needs a key"
            assert {"401", "403"} <= set(operation["responses"])


def test_every_error_answer_is_a_problem_except_the_customers_pages(
    described: dict[str, Any],
) -> None:
    for method, path, operation in operations(described):
        for status, answer in operation["responses"].items():
            if int(status) < 400:
                continue
            content = answer["content"]
            if "text/html" in content:
                # the customer's pages: not found, and too many wrong links (issue 10); the
                # console's pages say in a page what a user may not do (issue 13)
                # and that a form was broken (400) or over 4 MB (413, a file: issue 16)
                console = ("400", "403", "404", "413", "429")
                pages = console if path.startswith("/console") else ("404", "429")
                if (method, path) == ("POST", "/redeem"):  # the form without a script (issue 17)
                    pages = ("404", "409", "410", "422", "429")
                assert status in pages, f"{method} {path} {status}"
            else:
                assert content == {PROBLEM_JSON: {"schema": PROBLEM_REF}}, f"{method} {path}"


def test_the_problem_schema_is_the_shape_the_api_answers(described: dict[str, Any]) -> None:
    schema = {**PROBLEM_REF, "components": described["components"]}
    errors = [{"field": "quantity", "message": "must be a whole number", "type": "int_type"}]
    jsonschema.validate(problem_body(422, "Invalid request", "quantity: ...", errors), schema)
    jsonschema.validate(problem_body(404, "Not found", "There is no such resource."), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"message": "Unauthorized"}, schema)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/events", "201"),
        ("POST", "/exhibitors", "201"),
        ("POST", "/events/{event_id}/bookings", "201"),
        ("POST", "/vouchers/{code}/registration", "201"),
        ("POST", "/events/{event_id}/voucher-batches", "202"),
        ("POST", "/portal/requests", "202"),
        ("POST", "/orders/{order_number}/resend", "202"),
        ("GET", "/t/{ticket_token}", "302"),
        ("DELETE", "/api-keys/{key_id}", "204"),
    ],
)
def test_the_success_status_is_the_one_the_handler_answers(
    described: dict[str, Any], method: str, path: str, status: str
) -> None:
    success = sorted(s for s in responses(described, method, path) if s.startswith(("2", "3")))
    assert status in success
    assert "200" not in success or path == "/events/{event_id}/bookings"  # a replayed booking


def test_documents_and_pages_have_their_media_types(described: dict[str, Any]) -> None:
    assert set(responses(described, "GET", "/orders/{order_number}/invoice")["200"]["content"]) == {
        PDF
    }
    for path in ("/events/{event_id}/orders", "/events/{event_id}/redemptions"):
        assert XLSX in responses(described, "GET", path)["200"]["content"]
    for path in ("/redeem", "/portal", "/o/{order_number}/{secret}"):
        assert set(responses(described, "GET", path)["200"]["content"]) == {"text/html"}
    assert "Location" in responses(described, "GET", "/t/{ticket_token}")["302"]["headers"]


def test_handlers_do_not_load_the_description_when_they_start() -> None:
    code = (
        "import importlib.util, sys\n"
        "from ticketing_local.template import load_template, read_stack\n"
        "for f in read_stack(load_template(), {}).functions.values():\n"
        "    if f.routes:\n"
        "        spec = importlib.util.spec_from_file_location('_' + f.code_dir.name,"
        " f.code_dir / 'app.py')\n"
        "        module = importlib.util.module_from_spec(spec)\n"
        "        sys.modules[spec.name] = module\n"
        "        spec.loader.exec_module(module)\n"
        "sys.exit('ticketing.api.openapi' in sys.modules)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

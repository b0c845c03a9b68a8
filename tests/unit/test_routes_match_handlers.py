"""The template's routes and the handlers' routes are the same set, read from each resolver's
own OpenAPI document (the API's description comes from the code, not a hand-kept copy)."""

from __future__ import annotations

import pytest

from tests.conftest import load_function
from ticketing_local.template import load_template, read_stack

STACK = read_stack(load_template(), {"MailQueue": "q", "MailDeadLetterQueue": "dlq"})
API_FUNCTIONS = {name: f for name, f in STACK.functions.items() if f.routes}


@pytest.mark.parametrize("logical_id", sorted(API_FUNCTIONS))
def test_template_routes_are_exactly_the_handler_routes(logical_id: str) -> None:
    function = API_FUNCTIONS[logical_id]
    module = load_function(function.code_dir.name)
    schema = module.app.get_openapi_schema(title=logical_id, version="1")
    handled = {
        (method.upper(), path)
        for path, item in (schema.paths or {}).items()
        for method in ("get", "post", "put", "patch", "delete")
        if getattr(item, method) is not None
    }
    declared = {(r.method, r.path) for r in function.routes}
    assert handled == declared


def test_request_bodies_are_described_in_the_openapi_document() -> None:
    module = load_function("events")
    schema = module.app.get_openapi_json_schema(title="events", version="1")
    assert "EventDraft" in schema
    assert "price_options" in schema

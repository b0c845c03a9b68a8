"""How the API describes itself: one OpenAPI 3.1 document from the HTTP functions' resolvers.

Each function's resolver describes its own routes: paths, parameters and request bodies from
the handlers' signatures; summaries, success statuses and the problems only that route has from
the route decorators (helpers in ``ticketing.api.answers``). What holds for every route is added
here, once, so that no decorator repeats it:

- the Bearer scheme on every route the gateway authorizes; public routes carry none;
- the problems that the gateway and ``resolver.make_resolver`` answer on any route: 401 and 403
  where a key is needed, 404 where the path names something, 400, 413 and 415 where a JSON body
  is read, 422 where anything is validated;
- every error answer is a ``Problem`` (application/problem+json, as ``problems.problem_body``
  builds it), whatever the decorator said;
- one tag per function, described by its module's docstring.

Handlers never import this module (it would cost every cold start): ``ticketing_local.openapi``
does, for ``docs/openapi.json`` and the local stack's ``/openapi.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ticketing.api.problems import PROBLEM_JSON
from ticketing.domain.identity import KEY_PREFIX

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Sequence

    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

Document = dict[str, Any]

TITLE = "Ticketing API"
SCHEME = "ApiKey"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_REF = "#/components/schemas/"
_POWERTOOLS_422 = "Validation Error"

_BEARER = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": f"{KEY_PREFIX}<key id>_<secret>",
    "description": (
        f"An API key, sent as `Authorization: Bearer {KEY_PREFIX}<key id>_<secret>`. A key is "
        "shown once, when it is created; its role (organizer, exhibitor, terminal, issuer, "
        "reviewer) and scope decide what it may see."
    ),
}

_PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details: the shape of every error answer.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {
            "type": "string",
            "description": "`about:blank`: the status says what it is",
            "examples": ["about:blank"],
        },
        "title": {
            "type": "string",
            "description": "The kind of problem, in a few words",
            "examples": ["Not found"],
        },
        "status": {
            "type": "integer",
            "description": "The HTTP status, repeated",
            "examples": [404],
        },
        "detail": {
            "type": "string",
            "description": "What went wrong, for a person to act on",
            "examples": ["There is no such resource."],
        },
        "errors": {
            "type": "array",
            "items": {"$ref": f"{_REF}FieldError"},
            "description": "Each field that was refused",
        },
    },
}

_FIELD_ERROR = {
    "type": "object",
    "required": ["field", "message", "type"],
    "properties": {
        "field": {
            "type": ["string", "null"],
            "description": "The field's dotted path; null when the body as a whole is refused",
            "examples": ["customer.email"],
        },
        "message": {"type": "string", "examples": ["is required"]},
        "type": {"type": "string", "description": "The kind of error", "examples": ["missing"]},
    },
}

# the problems any route may answer, by what the route is like (see _shared_problems)
_SHARED = {
    400: "The body is not valid JSON.",
    401: f"No valid API key: send `Authorization: Bearer {KEY_PREFIX}<key id>_<secret>`.",
    403: "This key's role may not do this.",
    404: "Nothing by that name, or it belongs to someone else (both answer alike).",
    413: "The body is larger than this route accepts.",
    415: "The body is not JSON.",
    422: "A parameter or field is missing or invalid; `errors` names each one.",
}


@dataclass(frozen=True)
class HttpFunction:
    """One function's resolver, and the tag its routes are listed under."""

    tag: str
    description: str
    app: APIGatewayRestResolver


def describe(
    functions: Sequence[HttpFunction],
    public: Collection[tuple[str, str]],
    servers: Sequence[dict[str, Any]],
    version: str,
    description: str = "",
) -> Document:
    """The whole API as one document; ``public`` are the (METHOD, /path/{param}) pairs that the
    gateway lets through without a key."""
    document: Document = {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": version, "description": description},
        "servers": list(servers),
        "tags": sorted(
            ({"name": f.tag, "description": f.description} for f in functions),
            key=lambda tag: tag["name"],
        ),
        "paths": {},
        "components": {
            "schemas": {"Problem": _PROBLEM, "FieldError": _FIELD_ERROR},
            "securitySchemes": {SCHEME: _BEARER},
        },
    }
    for function in functions:
        own = json.loads(function.app.get_openapi_json_schema(title=function.tag, version=version))
        _merge(document, own, function.tag)
    for path, method, operation in _operations(document):
        _complete(operation, authorized=(method.upper(), path) not in public)
    _drop_unused_schemas(document)
    return document


def render(document: Document) -> str:
    """The document as text that changes only when the API does (sorted keys, fixed indent)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _merge(document: Document, own: Document, tag: str) -> None:
    for path, item in (own.get("paths") or {}).items():
        merged = document["paths"].setdefault(path, {})
        for method, operation in item.items():
            if method in merged:
                raise ValueError(f"{method.upper()} {path} is served by two functions")
            operation.setdefault("tags", [tag])
            merged[method] = operation
    schemas = document["components"]["schemas"]
    for name, schema in ((own.get("components") or {}).get("schemas") or {}).items():
        if name in schemas and schemas[name] != schema:
            raise ValueError(f"two functions describe different schemas named {name}; rename one")
        schemas[name] = schema


def _operations(document: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in _METHODS:
            if method in item:
                yield path, method, item[method]


def _complete(operation: dict[str, Any], authorized: bool) -> None:
    operation["security"] = [{SCHEME: []}] if authorized else []
    responses: dict[str, Any] = operation["responses"]
    if responses.get("422", {}).get("description") == _POWERTOOLS_422:
        del responses["422"]  # Powertools' own shape; ours is a Problem, added where it applies
    for shared in _shared_problems(operation, authorized):
        responses.setdefault(str(shared), {"description": _SHARED[shared]})
    for status, response in responses.items():
        content = response.get("content")
        if int(status) >= 400 and (not content or "application/json" in content):
            response["content"] = {PROBLEM_JSON: {"schema": {"$ref": f"{_REF}Problem"}}}
        elif content == {}:
            del response["content"]  # a redirect or 204 has no body
        if status == "429":
            response["headers"] = {
                "Retry-After": {
                    "description": "Seconds until the next try is accepted",
                    "schema": {"type": "integer"},
                }
            }


def _shared_problems(operation: dict[str, Any], authorized: bool) -> list[int]:
    parameters = operation.get("parameters") or []
    reads_body = "requestBody" in operation
    applies = {
        400: reads_body,
        401: authorized,
        403: authorized,
        404: any(p.get("in") == "path" for p in parameters),
        413: reads_body,
        415: reads_body,
        422: reads_body or any(_may_be_refused(p) for p in parameters),
    }
    return [status for status, yes in applies.items() if yes]


def _may_be_refused(parameter: dict[str, Any]) -> bool:
    """Any text fits a plain string in the path; other parameters have rules to break."""
    plain = set(parameter.get("schema") or {}) <= {"type", "title"}
    text = (parameter.get("schema") or {}).get("type") == "string"
    return not (parameter.get("in") == "path" and plain and text)


def _drop_unused_schemas(document: Document) -> None:
    """Powertools describes its own validation error; nothing refers to it once errors are
    Problems, and a schema nobody uses would only mislead."""
    schemas = document["components"]["schemas"]
    used: set[str] = set()
    pending = _refs(document["paths"])
    while pending:
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending |= _refs(schemas.get(name, {}))
    for name in set(schemas) - used:
        del schemas[name]


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].removeprefix(_REF)} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()

"""The resolver every HTTP function uses, and the one map from exceptions to HTTP answers.

Use cases raise domain exceptions (``NotFound``, ``Conflict``...) and know nothing of status
codes; this module alone decides that ``NotFound`` is a 404.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing.api.problems import problem, problem_event_response
from ticketing.domain.errors import (
    Conflict,
    DomainError,
    Expired,
    InvalidRequest,
    NotAllowed,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)
from ticketing.observability import logger, metered

MAX_BODY_BYTES = 256 * 1024

_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    NotAllowed: 403,
    Unauthenticated: 401,
    Conflict: 409,
    InvalidRequest: 422,
    Expired: 410,
    TooManyAttempts: 429,
}

_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field; remove it",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "int_type": "must be a whole number",
    "string_type": "must be a string",
    "list_type": "must be a list",
}


def _field_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    fields = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ()) if part != "body"]
        if loc and loc[0] == "query":
            loc = loc[1:]
        kind = str(item.get("type", ""))
        message = _MESSAGES.get(kind) or str(item.get("msg", "is invalid"))
        message = message.removeprefix("Value error, ")
        fields.append({"field": ".".join(loc) or None, "message": message, "type": kind})
    return fields


def make_resolver() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        fields = _field_errors(error)
        if any(f["type"] == "json_invalid" for f in fields):
            return problem(400, "Malformed JSON", "The request body is not valid JSON.")
        if len(fields) == 1 and fields[0]["field"] is None and fields[0]["type"] == "missing":
            return problem(422, "Invalid request", "A JSON body is required.", fields)
        summary = "; ".join(
            f"{f['field']}: {f['message']}" if f["field"] else f["message"] for f in fields
        )
        return problem(422, "Invalid request", summary, fields)

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response[str]:
        status = next((s for cls, s in _STATUS.items() if isinstance(error, cls)), 400)
        fields = None
        if isinstance(error, InvalidRequest) and error.field:
            fields = [{"field": error.field, "message": error.detail, "type": "invalid"}]
        answer = problem(status, error.title, error.detail, fields, error.extensions)
        if isinstance(error, TooManyAttempts):
            answer.headers["Retry-After"] = str(error.retry_after)
        return answer

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported(error: RequestUnsupportedContentType) -> Response[str]:
        return problem(415, "Unsupported media type", "Send the body as application/json.")

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[str]:
        return problem(404, "Not found", "There is no such resource.")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        logger.exception("unhandled error")
        request_id = app.current_event.request_context.request_id
        return problem(
            500,
            "Internal error",
            f"Something went wrong on our side; quote request id {request_id} when asking.",
        )

    return app


F = TypeVar("F", bound=Callable[..., Any])


def binary_answer(route: F) -> F:
    """Mark a route that may answer with bytes (PDF, Excel).

    Powertools validates a route's answer against its return annotation and would decode the
    bytes as UTF-8; without an annotation in the signature it passes them through unchanged.
    """
    signature = inspect.signature(route)
    route.__signature__ = signature.replace(  # type: ignore[attr-defined]
        return_annotation=inspect.Signature.empty
    )
    return route


Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def lambda_handler(app: APIGatewayRestResolver, max_body_bytes: int = MAX_BODY_BYTES) -> Handler:
    """The Lambda entry point for ``app``: logging context, metrics, body limit, routing."""

    @metered
    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if _body_size(event) > max_body_bytes:
            return problem_event_response(
                413, "Payload too large", f"The body may be at most {max_body_bytes // 1024} KB."
            )
        _read_body_as_json(event)
        return app.resolve(event, context)

    return handler


_LOOSE_TYPES = ("", "application/x-www-form-urlencoded", "text/plain")


def _read_body_as_json(event: dict[str, Any]) -> None:
    """The API speaks JSON only. A client that sent JSON without saying so (curl -d sends
    ``application/x-www-form-urlencoded``) is read as JSON rather than refused; other types
    (multipart, XML) are refused with 415 by the resolver."""
    headers = event.get("headers") or {}
    names = [name for name in headers if name.lower() == "content-type"]
    value = str(headers[names[0]]).split(";")[0].strip().lower() if names else ""
    body = str(event.get("body") or "")
    # a real HTML form post (a page's form) stays a form; a JSON body sent loosely is JSON
    looks_like_json = body.lstrip()[:1] in ("{", "[", '"') or body.strip() in ("null", "true")
    if value in _LOOSE_TYPES and body and (looks_like_json or value != _LOOSE_TYPES[1]):
        for name in names:
            del headers[name]
        headers["Content-Type"] = "application/json"
        event["headers"] = headers
        multi = event.get("multiValueHeaders") or {}
        for name in [n for n in multi if n.lower() == "content-type"]:
            del multi[name]
        if event.get("multiValueHeaders") is not None:
            multi["Content-Type"] = ["application/json"]


def _body_size(event: dict[str, Any]) -> int:
    """The body's size in bytes as the client sent it (API Gateway may hand it over base64)."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return len(body) * 3 // 4 - body[-2:].count("=")
    return len(body.encode())

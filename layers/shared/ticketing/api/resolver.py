"""The resolver every HTTP function uses, and the one map from exceptions to HTTP answers.

Use cases raise domain exceptions (``NotFound``, ``Conflict``...) and know nothing of status
codes; this module alone decides that ``NotFound`` is a 404.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing.api import spoken
from ticketing.api.problems import problem, problem_event_response
from ticketing.api.spoken import API_LANGUAGE
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

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.exceptions import NotFoundError

    from ticketing.i18n import Language

MAX_BODY_BYTES = 256 * 1024
# No body of this API nests deeper than a handful of levels; 1,000 levels would exhaust the
# parser's recursion before any validation could answer.
MAX_JSON_DEPTH = 32

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


# What AWS answers when it is busy (DynamoDB throttling, a cancelled transaction's
# ``ThrottlingError``), and botocore's errors when an endpoint did not answer in time.
_BUSY_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "ThrottlingError",
        "TransactionConflict",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
_UNREACHABLE = frozenset({"EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError"})
BUSY_RETRY_AFTER = 2  # seconds


def _busy(error: Exception) -> bool:
    """Whether ``error`` says AWS was busy or out of reach (worth a retry), not a bug."""
    if type(error).__name__ in _UNREACHABLE:
        return True
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return False
    code = response.get("Error", {}).get("Code", "")
    if code == "TransactionCanceledException":
        reasons = {r.get("Code") for r in response.get("CancellationReasons", [])}
        return bool(reasons & _BUSY_CODES) and not reasons & {"ConditionalCheckFailed"}
    return code in _BUSY_CODES


def _field_errors(
    error: RequestValidationError, language: Language = API_LANGUAGE
) -> list[dict[str, Any]]:
    fields = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ()) if part != "body"]
        if loc and loc[0] == "query":
            loc = loc[1:]
        kind = str(item.get("type", ""))
        message = _MESSAGES.get(kind) or str(item.get("msg", "is invalid"))
        message = spoken.field_message(language, item, message.removeprefix("Value error, "))
        fields.append({"field": ".".join(loc) or None, "message": message, "type": kind})
    return fields


def make_resolver() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True)

    def language() -> Language:
        return spoken.language_of(app.current_event.headers)

    def said(
        status: int, title: str, detail: str, fields: list[dict[str, Any]] | None = None
    ) -> Response[str]:
        """A problem of the catalogue: ``problem.title.<title>`` and ``problem.<detail>``."""
        speaks = language()
        answer = problem(
            status,
            spoken.title(speaks, f"problem.title.{title}"),
            spoken.say(speaks, f"problem.{detail}"),
            fields,
        )
        answer.headers.update(spoken.spoken_headers(speaks))
        return answer

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        speaks = language()
        fields = _field_errors(error, speaks)
        if any(f["type"] == "json_invalid" for f in fields):
            return said(400, "malformed_json", "malformed_json")
        if len(fields) == 1 and fields[0]["field"] is None and fields[0]["type"] == "missing":
            return said(422, "invalid", "body_required", fields)
        summary = "; ".join(
            f"{f['field']}: {f['message']}" if f["field"] else f["message"] for f in fields
        )
        answer = problem(422, spoken.title(speaks, "problem.title.invalid"), summary, fields)
        answer.headers.update(spoken.spoken_headers(speaks))
        return answer

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response[str]:
        status = next((s for cls, s in _STATUS.items() if isinstance(error, cls)), 400)
        speaks = language()
        detail = spoken.detail(speaks, error)
        fields = None
        if isinstance(error, InvalidRequest) and error.field:
            fields = [{"field": error.field, "message": detail, "type": "invalid"}]
        title = spoken.title(speaks, error.title_id)
        answer = problem(status, title, detail, fields, error.extensions)
        answer.headers.update(spoken.spoken_headers(speaks))
        if isinstance(error, TooManyAttempts):
            answer.headers["Retry-After"] = str(error.retry_after)
        return answer

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported(error: RequestUnsupportedContentType) -> Response[str]:
        return said(415, "unsupported_media_type", "unsupported_media_type")

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[str]:
        return said(404, "not_found", "no_route")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        if _busy(error):
            # botocore retried already (standard mode); the client may try again shortly
            logger.warning("AWS is busy after retries", extra={"error": type(error).__name__})
            answer = said(503, "busy", "busy")
            answer.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
            return answer
        logger.exception("unhandled error")
        speaks = language()
        request_id = app.current_event.request_context.request_id
        answer = problem(
            500,
            spoken.title(speaks, "problem.title.internal"),
            spoken.say(speaks, "problem.internal", {"request_id": request_id}),
        )
        answer.headers.update(spoken.spoken_headers(speaks))
        return answer

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
        refused = _refused_body(event)
        if refused is not None:
            return refused
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


def _refused_body(event: dict[str, Any]) -> dict[str, Any] | None:
    """A problem for a body no route can read (not UTF-8, multipart, nested too deep), or None.

    Checked before routing, because Powertools would fail on these with an exception (a 500)
    rather than a validation error."""
    body = event.get("body")
    if not body:
        return None
    value = _content_type(event)
    if value.startswith("multipart/"):
        return problem_event_response(
            415, "Unsupported media type", "Send the body as application/json."
        )
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else None
        text = raw.decode("utf-8") if raw is not None else str(body)
        text.encode("utf-8")  # a lone surrogate (from a \\ud800 escape too) is no text
    except (binascii.Error, UnicodeError):
        return _not_utf8()
    if value not in ("", "application/json") and not value.endswith("+json"):
        return None  # a form post; the route reads it (or Powertools answers 415)
    try:
        document = json.loads(text)
    except RecursionError:
        return _too_deep()
    except ValueError:
        return None  # Powertools answers malformed JSON with its validation error (400)
    depth, unreadable = _shape(document)
    if depth > MAX_JSON_DEPTH:
        return _too_deep()
    return _not_utf8() if unreadable else None


def _shape(document: Any) -> tuple[int, bool]:
    """How deep ``document`` nests, and whether any string in it is not valid Unicode."""
    deepest, unreadable = 0, False
    stack = [(document, 1)]
    while stack and not unreadable and deepest <= MAX_JSON_DEPTH:
        node, depth = stack.pop()
        if isinstance(node, dict):
            deepest = max(deepest, depth)
            for key, item in node.items():
                unreadable = unreadable or not _is_text(key)
                stack.append((item, depth + 1))
        elif isinstance(node, list):
            deepest = max(deepest, depth)
            stack.extend((item, depth + 1) for item in node)
        elif isinstance(node, str):
            unreadable = not _is_text(node)
    return deepest, unreadable


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_utf8() -> dict[str, Any]:
    return problem_event_response(
        400, "Malformed body", "The request body must be JSON (or a form) encoded as UTF-8."
    )


def _too_deep() -> dict[str, Any]:
    return problem_event_response(
        400, "Malformed JSON", f"The JSON body may nest at most {MAX_JSON_DEPTH} levels deep."
    )


def _content_type(event: dict[str, Any]) -> str:
    headers = event.get("headers") or {}
    names = [name for name in headers if name.lower() == "content-type"]
    return str(headers[names[0]]).split(";")[0].strip().lower() if names else ""


def _body_size(event: dict[str, Any]) -> int:
    """The body's size in bytes as the client sent it (API Gateway may hand it over base64)."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return len(body) * 3 // 4 - body[-2:].count("=")
    return len(body.encode())

"""RFC 9457 problem details: the one shape every error response has."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response

PROBLEM_JSON = "application/problem+json"


def problem_body(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    extensions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    for key, value in (extensions or {}).items():
        body.setdefault(key, value)
    return body


def problem(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response[str]:
    return Response(
        status_code=status,
        content_type=PROBLEM_JSON,
        body=json.dumps(problem_body(status, title, detail, errors, extensions)),
    )


def problem_event_response(status: int, title: str, detail: str) -> dict[str, Any]:
    """A problem as a raw API Gateway proxy response, for answers given before routing."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": PROBLEM_JSON},
        "body": json.dumps(problem_body(status, title, detail)),
        "isBase64Encoded": False,
    }

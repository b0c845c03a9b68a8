"""The ``Idempotency-Key`` header of a write a client may retry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.domain.errors import InvalidRequest

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

HEADER = "Idempotency-Key"


def idempotency_key(app: APIGatewayRestResolver) -> str | None:
    """The request's key, if it sent one: 1 to 200 characters."""
    headers = app.current_event.headers
    key = headers.get(HEADER) or headers.get(HEADER.lower())
    if key is not None and not 1 <= len(key.strip()) <= 200:
        raise InvalidRequest(f"{HEADER} must be 1 to 200 characters", HEADER)
    return key.strip() if key else None

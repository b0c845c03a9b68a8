"""The caller's identity, as the authorizer put it into the request context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.domain.errors import Unauthenticated
from ticketing.domain.identity import Principal, Role

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver


def principal_from_context(context: dict[str, Any] | None) -> Principal:
    if not context:
        raise Unauthenticated("this route needs an API key")
    try:
        role = Role(str(context["role"]))
        return Principal(
            role=role,
            subject_id=str(context["subject_id"]),
            organizer_id=str(context.get("organizer_id") or "") or None,
            key_id=str(context["key_id"]),
            scope=str(context.get("scope") or "") or None,
        )
    except (KeyError, ValueError):
        raise Unauthenticated("this route needs an API key") from None


def principal_to_context(principal: Principal) -> dict[str, str]:
    """Authorizer context values must be flat strings."""
    return {
        "role": principal.role.value,
        "subject_id": principal.subject_id,
        "organizer_id": principal.organizer_id or "",
        "key_id": principal.key_id,
        "scope": principal.scope or "",
    }


def caller(app: APIGatewayRestResolver) -> Principal:
    request_context = app.current_event.raw_event.get("requestContext") or {}
    return principal_from_context(request_context.get("authorizer"))

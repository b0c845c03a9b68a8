"""What a route answers besides JSON, for its entry in the OpenAPI document.

Route decorators pass these as ``responses={status: ...}``: Powertools reads them only to
describe the route (the answer itself is whatever the handler returns). A status given without
``content`` is described by the handler's return annotation as JSON; error statuses become
problem+json in ``ticketing.api.openapi``, which also adds the problems every route shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def html(description: str) -> OpenAPIResponse:
    """A page for people (the customer pages)."""
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


def redirect(description: str) -> OpenAPIResponse:
    """A redirect without a body: ``Location`` says where to."""
    return {
        "description": description,
        "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}},
        "content": {},
    }


def empty(description: str) -> OpenAPIResponse:
    """Done, nothing to say (204)."""
    return {"description": description, "content": {}}


def file(media_type: str, description: str) -> OpenAPIResponse:
    """A document as bytes (PDF, Excel)."""
    return {"description": description, "content": {media_type: {}}}


def json_or_xlsx(description: str) -> OpenAPIResponse:
    """A list as JSON, or with ``?format=xlsx`` the same rows as an Excel file."""
    return {
        "description": f"{description} (as an Excel file with ?format=xlsx)",
        "content": {"application/json": {"schema": {"type": "object"}}, XLSX: {}},
    }

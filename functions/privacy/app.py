"""A person's data under the organizer (issue 17, seed 002): the export of an address, its
erasure behind a queue, how long an event's orders keep their customers, and the customer's
consent, read and changed on their request (issue 15)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ticketing import clock
from ticketing.adapters.consent_store import DynamoConsentStore
from ticketing.adapters.privacy_desks import erasure_desk, export_desk, retention_desk
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.api.spoken import language_of
from ticketing.api.views import xlsx_response
from ticketing.domain.erasure import Erasure
from ticketing.services import consent, erasure, person_export, retention

app = make_resolver()
consents = DynamoConsentStore()  # a customer's consent, read and changed on their request
JSON = "application/json"
Format = Literal["json", "xlsx"]


class ErasureRequest(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    email: EmailStr = Field(description="The address whose person is to be forgotten")


class ErasureView(BaseModel):
    """An erasure: queued, running, then done with what it touched, by kind."""

    model_config = ConfigDict(defer_build=True)

    erasure_id: str
    state: Literal["queued", "running", "done"]
    requested_at: str
    finished_at: str | None = None
    already_erased: bool = Field(description="The address had been erased before")
    nothing_left: bool = Field(description="Done, and nothing held the person any more")
    counts: dict[str, int] = Field(description="Items touched, by kind")


class RetentionChange(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    retention_days: int | None = Field(default=None, ge=1, le=3650)
    legal_hold: bool | None = None


def erasure_view(done: Erasure) -> dict[str, Any]:
    return {
        "erasure_id": done.erasure_id,
        "state": done.state,
        "requested_at": done.requested_at.isoformat(),
        "finished_at": done.finished_at.isoformat() if done.finished_at else None,
        "already_erased": done.already_erased,
        "nothing_left": done.nothing_left,
        "counts": done.counts,
    }


@app.get(
    "/customers/export",
    summary="Everything kept of one address under this organizer (JSON, or xlsx: a sheet per kind)",
    responses={200: answers.json_or_xlsx("The person's data")},
)
@binary_answer
def export(
    email: Annotated[EmailStr, Query()],
    format: Annotated[Format, Query()] = "json",
) -> Any:
    found = person_export.export_person(export_desk(), caller(app), str(email))
    if format == "xlsx":
        workbook = person_export.export_workbook(found, language_of(app.current_event.headers))
        return xlsx_response(workbook, "personal-data.xlsx")
    return found


@app.post(
    "/customers/erasure",
    summary="Forget a person: names, addresses and answers go; amounts and numbers stay",
    responses={
        202: {
            "description": "Accepted (a retry with the same Idempotency-Key: the same erasure)",
            "content": {JSON: {"model": ErasureView}},
        }
    },
)
def request_erasure(body: ErasureRequest) -> tuple[dict[str, Any], int]:
    """A retry with the same ``Idempotency-Key`` answers the same erasure."""
    started = erasure.request_erasure(
        erasure_desk(), caller(app), str(body.email), idempotency_key(app)
    )
    return erasure_view(started), 202


@app.get(
    "/customers/erasure/<erasure_id>",
    summary="An erasure's state and, when done, what it touched",
    responses={200: {"description": "The erasure", "content": {JSON: {"model": ErasureView}}}},
)
def erasure_status(erasure_id: str) -> dict[str, Any]:
    return erasure_view(erasure.erasure_status(erasure_desk(), caller(app), erasure_id))


@app.patch(
    "/events/<event_id>",
    summary="How long the event's orders keep their customers, or hold them (legal hold)",
    responses={200: {"description": "The event's retention"}},
)
def change_retention(event_id: str, change: RetentionChange) -> dict[str, Any]:
    event = retention.set_retention(
        retention_desk(), caller(app), event_id, change.retention_days, change.legal_hold
    )
    return {
        "event_id": event.event_id,
        "retention_days": event.retention_days,
        "legal_hold": event.legal_hold,
    }


class CustomerConsentChange(BaseModel):
    """The customer asked the organizer to change their consent (issue 15)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    reminders: bool | None = None
    marketing: bool | None = None


@app.put(
    "/customers/consents",
    summary="Change a customer's consent on their request (recorded with channel organizer)",
)
def change_consent(body: CustomerConsentChange) -> dict[str, object]:
    wanted = body.model_dump(include={"reminders", "marketing"}, exclude_none=True)
    changed = consent.organizer_changes(
        consents, clock.current(), caller(app), str(body.email), wanted
    )
    return consent.consent_view(changed)


@app.get("/customers/consents", summary="A customer's consent with its history")
def read_consent(email: Annotated[EmailStr, Query()]) -> dict[str, object]:
    return consent.consent_view(consent.organizer_reads(consents, caller(app), str(email)))


handler = lambda_handler(app)

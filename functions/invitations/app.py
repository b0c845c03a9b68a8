"""Exhibitors invite their customers (seed 000, issue 16): the sample letter, lists of
recipients (JSON, CSV or Excel), the tracking list, the organizer's summary, and writing again
to those who registered.

A list is uploaded in the request body: JSON, or the file itself with its Content-Type
(``text/csv``, or the Excel type). API Gateway hands a file over base64 and Lambda takes at
most 6 MB of request, so a file may have at most ``MAX_UPLOAD_BYTES`` (4 MB: 10,000 rows of
the template take about 0.5 MB as Excel, 0.7 MB as CSV).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.invitation_queue import SqsInvitationQueue
from ticketing.adapters.invitation_store import DynamoInvitationStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.notification_store import DynamoNotificationStore, SqsNotificationQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.adapters.voucher_batch_store import DynamoBatchStore, DynamoExhibitorFigures
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.api.views import xlsx_response
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.invitations import (
    InvitationJob,
    InvitationRequest,
    LetterText,
    MessageDraft,
    job_percent,
)
from ticketing.domain.notifications import NotificationChange
from ticketing.services import notifications
from ticketing.services.visitor_vouchers import invitation_tracking as tracking
from ticketing.services.visitor_vouchers import inviting
from ticketing.settings import settings

app = make_resolver()
store = DynamoInvitationStore()
batch_store = DynamoBatchStore()
access = DynamoAccessStore()
events = DynamoEventStore()
vouchers = DynamoVisitorVoucherStore()
figures = DynamoExhibitorFigures()
idempotency = DynamoIdempotencyStore()
queue = SqsInvitationQueue()
# an exhibitor's message to its registrants is a notification (issue 16 item 5)
notification_store = DynamoNotificationStore()
orders = DynamoOrderStore()
mail = SqsMailQueue()
fanout_queue = SqsNotificationQueue()  # never used here: only an approval queues the fan-out

MAX_UPLOAD_BYTES = 4 * 1024 * 1024
UPLOAD = "x-ticketing-upload"  # where the handler keeps a file's bytes for the route
FILE_TYPES = ("text/csv", answers.XLSX, "application/vnd.ms-excel", "application/octet-stream")
Format = Literal["json", "xlsx"]


def _desk() -> inviting.InvitationDesk:
    return inviting.InvitationDesk(
        store, batch_store, access, events, queue, idempotency, clock.current()
    )


def _tracking() -> tracking.Tracking:
    return tracking.Tracking(store, batch_store, vouchers, figures, access, events)


def _notifications() -> notifications.Desk:
    return notifications.Desk(
        notification_store,
        events,
        access,
        orders,
        idempotency,
        mail,
        fanout_queue,
        clock.current(),
        settings().public_base_url,
        settings().review_mail,
    )


def job_view(job: InvitationJob) -> dict[str, Any]:
    body = job.model_dump(mode="json", exclude={"chunks", "next_chunk", "created_by"})
    body["percent"] = job_percent(job)
    return body


@app.put("/events/<event_id>/invitation-letter", summary="Set the invitation letter of a language")
def put_letter(event_id: str, letter: LetterText) -> dict[str, Any]:
    """The organizer sets the event's sample letter; an exhibitor of the event its own text
    (from the sample). Unknown placeholders are a 422 naming them."""
    saved = inviting.set_letter(_desk(), caller(app), event_id, letter)
    return saved.model_dump(mode="json", exclude={"organizer_id", "updated_by"})


@app.get("/events/<event_id>/invitation-letter", summary="The invitation letters (de, en)")
def get_letter(event_id: str) -> dict[str, Any]:
    found = inviting.letters(_desk(), caller(app), event_id)
    return {
        lang: {
            name: (
                letter.model_dump(mode="json", exclude={"organizer_id", "updated_by"})
                if letter
                else None
            )
            for name, letter in pair.items()
        }
        for lang, pair in found.items()
    }


@app.post(
    "/voucher-batches/<batch_id>/invitations",
    summary="Invite recipients: a JSON list, or a CSV or Excel file as the body (up to 10,000)",
    responses={
        202: {"description": "Accepted: codes are assigned and mails sent in the background"},
        409: {"description": "Fewer free codes than new recipients (the shortfall is named)"},
    },
)
def invite(batch_id: str, resend: Annotated[bool, Query()] = False) -> tuple[dict[str, Any], int]:
    rows, resend = _rows(resend)
    job, _ = inviting.invite(_desk(), caller(app), batch_id, rows, resend, idempotency_key(app))
    return job_view(job), 202


def _rows(resend: bool) -> tuple[list[dict[str, object]], bool]:
    upload = app.current_event.raw_event.get(UPLOAD)
    if upload is not None:
        from ticketing.documents.invitation_lists import read_list

        return read_list(upload), resend
    try:
        request = InvitationRequest.model_validate(app.current_event.json_body)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None
    except (ValueError, TypeError):
        raise InvalidRequest(
            "send a JSON object {recipients: [...]} or a CSV or Excel file", field="body"
        ) from None
    return request.recipients, request.resend or resend


@app.get(
    "/voucher-batches/<batch_id>/invitations/jobs/<job_id>",
    summary="The progress of an invitation list: invited, skipped, bad rows",
)
def job_progress(batch_id: str, job_id: str) -> dict[str, Any]:
    return job_view(inviting.job_of(_desk(), caller(app), batch_id, job_id))


@app.get(
    "/voucher-batches/<batch_id>/invitations",
    summary="The tracking list: each recipient with code, mail state, registration, check-in",
    responses={200: answers.json_or_xlsx("The invitations and the batch's counts")},
)
@binary_answer
def tracking_list(batch_id: str, format: Annotated[Format, Query()] = "json") -> Any:
    rows, counts = tracking.tracking(_tracking(), caller(app), batch_id)
    if format == "xlsx":
        from ticketing.documents.invitation_layouts import invitations_workbook

        return xlsx_response(invitations_workbook(rows), f"invitations-{batch_id}.xlsx")
    jobs = [job_view(j) for j in store.jobs(batch_id)[:20]]
    return {
        "counts": counts.model_dump(),
        "invitations": [r.model_dump(mode="json") for r in rows],
        "lists": jobs,
    }


@app.get(
    "/voucher-batches/<batch_id>/invitations/template.xlsx",
    summary="The Excel template of a recipients' list",
    responses={200: answers.file(answers.XLSX, "The template")},
)
@binary_answer
def list_template(batch_id: str) -> Any:
    from ticketing.documents.invitation_lists import template_workbook
    from ticketing.services.visitor_vouchers.batches import own_batch

    own_batch(batch_store, caller(app), batch_id)
    return xlsx_response(template_workbook(), "invitations-template.xlsx")


@app.get(
    "/events/<event_id>/invitations/summary",
    summary="Codes, assigned, invited, registered, used: per exhibitor and for the event",
)
def summary(event_id: str) -> dict[str, Any]:
    total, rows = tracking.summary(_tracking(), caller(app), event_id)
    return {"event_id": event_id, "total": total.model_dump(), "exhibitors": rows}


@app.post(
    "/events/<event_id>/redemptions/messages",
    summary="Write again to the visitors who registered this exhibitor's codes (after review)",
    responses={
        202: {"description": "Accepted: a notification that waits for the platform's review"},
        200: {"description": "A retry with the same Idempotency-Key: the first message"},
    },
)
def write_again(event_id: str, draft: MessageDraft) -> tuple[dict[str, Any], int]:
    message, consenting, new = tracking.write_again(
        _tracking(), _notifications(), caller(app), event_id, draft, idempotency_key(app)
    )
    return {**tracking.message_view(message), "consenting": consenting}, 202 if new else 200


@app.get(
    "/events/<event_id>/redemptions/messages",
    summary="The exhibitors' messages to their registrants, with their review state",
)
def messages(event_id: str) -> dict[str, Any]:
    found = tracking.messages_of(_tracking(), _notifications(), caller(app), event_id)
    return {"messages": [tracking.message_view(m) for m in found]}


@app.patch(
    "/events/<event_id>/redemptions/messages/<notification_id>",
    summary="Change the exhibitor's own message while it is a draft or the reviewer asked back",
    responses={409: {"description": "Submitted, decided or sent: it can no longer change"}},
)
def change_message(
    event_id: str, notification_id: str, change: NotificationChange
) -> dict[str, Any]:
    found = tracking.change_message(
        _tracking(), _notifications(), caller(app), event_id, notification_id, change
    )
    return tracking.message_view(found)


@app.post(
    "/events/<event_id>/redemptions/messages/<notification_id>/submit",
    summary="Submit the exhibitor's (changed) message to the platform's review again",
    responses={409: {"description": "Not a draft and not asked back: nothing to submit"}},
)
def submit_message(event_id: str, notification_id: str) -> dict[str, Any]:
    found = tracking.submit_message(
        _tracking(), _notifications(), caller(app), event_id, notification_id
    )
    return tracking.message_view(found)


_handle = lambda_handler(app, max_body_bytes=MAX_UPLOAD_BYTES)


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """A file in the body is taken out before the resolver (which reads JSON bodies only)
    and handed to the route as bytes."""
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    body = event.get("body")
    if kind in FILE_TYPES and body and len(body) <= MAX_UPLOAD_BYTES * 4 // 3 + 4:
        try:
            raw = (
                base64.b64decode(body, validate=True)
                if event.get("isBase64Encoded")
                else str(body).encode()
            )
        except binascii.Error:
            raw = b""
        event = {**event, "body": json.dumps({}), "isBase64Encoded": False, UPLOAD: raw}
        event["headers"] = {
            **{
                k: v for k, v in (event.get("headers") or {}).items() if k.lower() != "content-type"
            },
            "Content-Type": "application/json",
        }
        event.pop("multiValueHeaders", None)
    return _handle(event, context)

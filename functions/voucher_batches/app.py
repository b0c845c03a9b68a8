"""Exhibitors' visitor vouchers (seed 000): batches, the download overview, who redeemed, and
what they are billed; the organizer's statements of all exhibitors."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, ConfigDict, Field

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.extension_queue import SqsExtensionQueue
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.invitation_counts import DynamoInvitationCounts
from ticketing.adapters.mail_queue import SqsBatchQueue
from ticketing.adapters.question_store import DynamoQuestionStore
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.adapters.voucher_batch_store import DynamoBatchStore, DynamoExhibitorFigures
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.api.views import xlsx_response
from ticketing.domain.errors import NotFound
from ticketing.domain.visitor_vouchers import (
    BatchExtension,
    BatchOrder,
    BatchStatus,
    BatchStep,
    Extension,
    ExtensionState,
    VoucherBatch,
    batch_percent,
    batch_seconds_left,
    batch_step,
    extension_percent,
    extension_seconds_left,
)
from ticketing.domain.voucher_counts import Counts
from ticketing.services import questions
from ticketing.services.visitor_vouchers import batches, billing, validity
from ticketing.services.visitor_vouchers.counting import batch_counts

app = make_resolver()
batch_store = DynamoBatchStore()
vouchers = DynamoVisitorVoucherStore()
figures = DynamoExhibitorFigures()
idempotency = DynamoIdempotencyStore()
access = DynamoAccessStore()
events = DynamoEventStore()
question_store = DynamoQuestionStore()
invitations = DynamoInvitationCounts()  # the batch's counts of invited codes (issue 16)
docs = S3DocumentStore()
queue = SqsBatchQueue()
extensions = SqsExtensionQueue()

Format = Literal["json", "xlsx"]
JSON = "application/json"
PERCENT = "0-100, one decimal, rounded down: 100 only when done"
SECONDS_LEFT = "An estimate from the rate since the work started; null when unknown or done"


class ExtensionView(BaseModel):
    """A whole batch's validity extension, walked by the worker."""

    model_config = ConfigDict(defer_build=True)

    job_id: str
    state: ExtensionState = Field(description="running, then done (or failed, with failure)")
    valid_until: str = Field(description="The new end of the batch's vouchers")
    total: int = Field(description="The batch's codes")
    done: int = Field(description="Codes walked so far: changed + skipped_redeemed")
    changed: int
    skipped_redeemed: int = Field(description="Redeemed vouchers: their validity never changes")
    percent: float = Field(description=PERCENT)
    seconds_left: int | None = Field(description=SECONDS_LEFT)
    started_at: str
    finished_at: str | None = None
    failure: str | None = None


class BatchView(BaseModel):
    """A batch of the download overview, with its progress (what a progress bar needs)."""

    model_config = ConfigDict(defer_build=True)

    batch_id: str
    event_id: str
    exhibitor_id: str
    label: str
    quantity: int
    status: BatchStatus
    generated: int = Field(description="Codes written so far")
    step: BatchStep = Field(
        description="generating (codes), writing_file (the Excel file), ready, or failed"
    )
    percent: float = Field(description=PERCENT + " (the codes count 95, the Excel file 5)")
    seconds_left: int | None = Field(description=SECONDS_LEFT)
    valid_from: str | None = None
    valid_until: str
    created_at: str
    ready_at: str | None = None
    failure: str | None = None
    extension: ExtensionView | None = Field(
        default=None, description="The latest validity extension of the batch, if any"
    )
    download_url: str | None = Field(default=None, description="When ready: minutes long")
    counts: Counts | None = Field(
        default=None,
        description="GET /voucher-batches/{batch_id} only: the batch's codes, those assigned "
        "to recipients, invited, registered and used (checked in)",
    )


class BatchList(BaseModel):
    model_config = ConfigDict(defer_build=True)

    batches: list[BatchView] = Field(description="Newest first")


class ExtensionAnswer(BaseModel):
    model_config = ConfigDict(defer_build=True)

    batch_id: str
    valid_until: str = Field(description="The batch's end: the new one once the extension is done")
    extension: ExtensionView | None


def _extension_view(job: BatchExtension, now: Any) -> dict[str, Any]:
    body = job.model_dump(mode="json", exclude={"by", "next_chunk", "progress_at", "skipped"})
    body["skipped_redeemed"] = job.skipped
    body["percent"] = extension_percent(job)
    body["seconds_left"] = extension_seconds_left(job, now)
    return body


def batch_view(batch: VoucherBatch, now: Any, download_url: str | None = None) -> dict[str, Any]:
    # progress_at, restarts, step_at and started_at are the worker's bookkeeping
    body = batch.model_dump(
        mode="json",
        exclude={"organizer_id", "progress_at", "restarts", "step_at", "started_at", "extension"},
    )
    body["step"] = batch_step(batch)
    body["percent"] = batch_percent(batch)
    body["seconds_left"] = batch_seconds_left(batch, now)
    if batch.extension is not None:
        body["extension"] = _extension_view(batch.extension, now)
    if download_url is not None:
        body["download_url"] = download_url
    return body


@app.post(
    "/events/<event_id>/voucher-batches",
    summary="Order a batch of visitor vouchers",
    responses={
        202: {"description": "Accepted: the codes are generated in the background"},
        409: {"description": "The participation was cancelled, or the event bills no vouchers yet"},
    },
)
def order_batch(event_id: str, order: BatchOrder) -> tuple[dict[str, Any], int]:
    desk = batches.BatchDesk(batch_store, access, events, queue, idempotency, clock.current())
    batch, _ = batches.order_batch(desk, caller(app), event_id, order, idempotency_key(app))
    return {"batch_id": batch.batch_id, "status": batch.status, "quantity": batch.quantity}, 202


@app.get(
    "/voucher-batches",
    summary="The download overview: every batch of this exhibitor, with its progress",
    responses={200: {"description": "Every batch", "content": {JSON: {"model": BatchList}}}},
)
def download_overview() -> dict[str, Any]:
    now = clock.current().now()
    return {"batches": [batch_view(b, now) for b in batches.batches(batch_store, caller(app))]}


@app.get(
    "/voucher-batches/<batch_id>",
    summary="A batch: status, progress, counts and, when ready, a short-lived download_url",
    responses={200: {"description": "The batch", "content": {JSON: {"model": BatchView}}}},
)
def batch_status(batch_id: str) -> dict[str, Any]:
    batch = batches.own_batch(batch_store, caller(app), batch_id)
    url = None
    if batch.status == "ready":
        url = batches.batch_download(batch_store, events, docs, batch)
    counts = batch_counts(invitations, vouchers, batch)  # the counter item, its registrations
    return {**batch_view(batch, clock.current().now(), url), "counts": counts.model_dump()}


@app.get(
    "/events/<event_id>/redemptions",
    summary="Who redeemed which code, and whether they came",
    responses={200: answers.json_or_xlsx("The redemptions")},
)
@binary_answer
def redemptions(
    event_id: str,
    format: Annotated[Format, Query()] = "json",  # the contract's name
) -> Any:
    # only the answers the organizer shares with exhibitors (seed 002)
    rows, shared = questions.exhibitor_registrations(
        vouchers, question_store, caller(app), event_id
    )
    if format == "xlsx":
        from ticketing.documents.layouts import redemptions_workbook

        fair = events.get(event_id)  # the caller's access was checked before
        if fair is None:
            raise NotFound(f"no event {event_id}")
        data = redemptions_workbook(fair, rows, _author(fair.organizer_id), shared)
        return xlsx_response(data, f"redemptions-{event_id}.xlsx")
    return {"redemptions": [r.model_dump(mode="json") for r in rows]}


@app.get(
    "/events/<event_id>/statement",
    summary="What this exhibitor is billed: issued, redeemed, used, billable, total",
)
def statement(event_id: str) -> dict[str, Any]:
    found = billing.statement(billing.Billing(figures, access, events), caller(app), event_id)
    return found.model_dump(mode="json")


@app.get(
    "/events/<event_id>/statements",
    summary="Every exhibitor's statement",
    responses={200: answers.json_or_xlsx("The statements")},
)
@binary_answer
def statements(
    event_id: str,
    format: Annotated[Format, Query()] = "json",  # the contract's name
) -> Any:
    event, found = billing.statements(
        billing.Billing(figures, access, events), caller(app), event_id
    )
    if format == "xlsx":
        from ticketing.documents.layouts import statements_workbook

        data = statements_workbook(event, found, _author(event.organizer_id))
        return xlsx_response(data, f"statements-{event_id}.xlsx")
    return {"statements": [s.model_dump(mode="json") for s in found]}


@app.patch(
    "/vouchers/<code>",
    summary="Extend a voucher's validity",
    responses={
        200: {"description": "The voucher"},
        409: {"description": "Redeemed: its validity can no longer change"},
    },
)
def extend_voucher(code: str, extension: Extension) -> dict[str, Any]:
    voucher = validity.extend_voucher(_validity(), caller(app), code, extension)
    return voucher.model_dump(mode="json", exclude={"organizer_id", "registration"})


@app.patch(
    "/voucher-batches/<batch_id>",
    summary="Extend the validity of a batch's vouchers (in the background)",
    responses={
        202: {
            "description": "Accepted: the worker extends the codes; poll the extension's progress "
            "at GET /voucher-batches/{batch_id}/extension",
            "content": {JSON: {"model": ExtensionAnswer}},
        },
        409: {"description": "An extension of this batch is running, or its codes are being made"},
    },
)
def extend_batch(batch_id: str, extension: Extension) -> tuple[dict[str, Any], int]:
    batch = validity.extend_batch(_validity(), caller(app), batch_id, extension)
    return _extension_answer(batch), 202


@app.get(
    "/voucher-batches/<batch_id>/extension",
    summary="The progress of the batch's validity extension (its organizer)",
    responses={
        200: {"description": "The extension", "content": {JSON: {"model": ExtensionAnswer}}}
    },
)
def batch_extension(batch_id: str) -> dict[str, Any]:
    batch = validity.batch_extension(_validity(), caller(app), batch_id)
    return _extension_answer(batch)


def _validity() -> validity.Validity:
    return validity.Validity(
        vouchers, batch_store, events, clock.current(), batch_store, extensions
    )


def _extension_answer(batch: VoucherBatch) -> dict[str, Any]:
    view = batch_view(batch, clock.current().now())
    return {
        "batch_id": batch.batch_id,
        "valid_until": view["valid_until"],
        "extension": view.get("extension"),
    }


def _author(organizer_id: str) -> str:
    # an Excel file names its organizer as its author
    organizer = access.get_organizer(organizer_id)
    return organizer.name if organizer else ""


handler = lambda_handler(app)

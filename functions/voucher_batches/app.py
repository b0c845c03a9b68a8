"""Exhibitors' visitor vouchers (seed 000): batches, the download overview, who redeemed, and
what they are billed; the organizer's statements of all exhibitors."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.mail_queue import SqsBatchQueue
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.adapters.voucher_batch_store import DynamoBatchStore, DynamoExhibitorFigures
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.api.views import xlsx_response
from ticketing.domain.errors import NotFound
from ticketing.domain.visitor_vouchers import BatchOrder, Extension, VoucherBatch
from ticketing.services.visitor_vouchers import batches, billing, validity

app = make_resolver()
batch_store = DynamoBatchStore()
vouchers = DynamoVisitorVoucherStore()
figures = DynamoExhibitorFigures()
idempotency = DynamoIdempotencyStore()
access = DynamoAccessStore()
events = DynamoEventStore()
docs = S3DocumentStore()
queue = SqsBatchQueue()

Format = Literal["json", "xlsx"]


def _batch_view(batch: VoucherBatch, download_url: str | None = None) -> dict[str, Any]:
    # progress_at and restarts are the rescue schedule's bookkeeping, not the exhibitor's
    body = batch.model_dump(mode="json", exclude={"organizer_id", "progress_at", "restarts"})
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


@app.get("/voucher-batches", summary="The download overview: every batch of this exhibitor")
def download_overview() -> dict[str, Any]:
    return {"batches": [_batch_view(b) for b in batches.batches(batch_store, caller(app))]}


@app.get(
    "/voucher-batches/<batch_id>",
    summary="A batch: status, counts and, when ready, a short-lived download_url",
)
def batch_status(batch_id: str) -> dict[str, Any]:
    batch = batches.own_batch(batch_store, caller(app), batch_id)
    url = None
    if batch.status == "ready":
        url = batches.batch_download(batch_store, events, docs, batch)
    return _batch_view(batch, url)


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
    rows = billing.registrations(vouchers, caller(app), event_id)
    if format == "xlsx":
        from ticketing.documents.layouts import redemptions_workbook

        registered = list(rows)  # the caller's access is checked before the event is read
        fair = events.get(event_id)
        if fair is None:
            raise NotFound(f"no event {event_id}")
        data = redemptions_workbook(fair, registered, _author(fair.organizer_id))
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
    deps = validity.Validity(vouchers, batch_store, events, clock.current())
    voucher = validity.extend_voucher(deps, caller(app), code, extension)
    return voucher.model_dump(mode="json", exclude={"organizer_id", "registration"})


@app.patch(
    "/voucher-batches/<batch_id>",
    summary="Extend the validity of a batch's vouchers",
    responses={200: {"description": "The batch; vouchers changed, and those skipped as redeemed"}},
)
def extend_batch(batch_id: str, extension: Extension) -> dict[str, Any]:
    deps = validity.Validity(vouchers, batch_store, events, clock.current())
    batch, changed, skipped = validity.extend_batch(deps, caller(app), batch_id, extension)
    return {**_batch_view(batch), "changed": changed, "skipped_redeemed": skipped}


def _author(organizer_id: str) -> str:
    # an Excel file names its organizer as its author
    organizer = access.get_organizer(organizer_id)
    return organizer.name if organizer else ""


handler = lambda_handler(app)

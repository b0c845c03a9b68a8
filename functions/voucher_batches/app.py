"""Exhibitors' visitor vouchers (seed 000): batches, the download overview, who redeemed, and
what they are billed; the organizer's statements of all exhibitors."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.mail_queue import SqsBatchQueue
from ticketing.adapters.voucher_store import DynamoVoucherStore
from ticketing.api.caller import caller
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.api.views import xlsx_response
from ticketing.domain.vouchers import BatchOrder, Extension, Statement, VoucherBatch
from ticketing.services import vouchers
from ticketing.settings import settings

app = make_resolver()
store = DynamoVoucherStore()
access = DynamoAccessStore()
events = DynamoEventStore()
docs = S3DocumentStore()
queue = SqsBatchQueue()

Format = Literal["json", "xlsx"]


def _batch_view(batch: VoucherBatch, download_url: str | None = None) -> dict[str, Any]:
    body = batch.model_dump(mode="json", exclude={"organizer_id"})
    if download_url is not None:
        body["download_url"] = download_url
    return body


@app.post("/events/<event_id>/voucher-batches")
def order_batch(event_id: str, order: BatchOrder) -> tuple[dict[str, Any], int]:
    batch = vouchers.order_batch(
        store, access, events, queue, clock.current(), caller(app), event_id, order
    )
    return {"batch_id": batch.batch_id, "status": batch.status, "quantity": batch.quantity}, 202


@app.get("/voucher-batches")
def download_overview() -> dict[str, Any]:
    return {"batches": [_batch_view(b) for b in vouchers.batches(store, caller(app))]}


@app.get("/voucher-batches/<batch_id>")
def batch_status(batch_id: str) -> dict[str, Any]:
    batch = vouchers.own_batch(store, caller(app), batch_id)
    url = None
    if batch.status == "ready":
        url = vouchers.batch_download(store, events, docs, settings().public_base_url, batch)
    return _batch_view(batch, url)


@app.get("/events/<event_id>/redemptions")
@binary_answer
def redemptions(
    event_id: str,
    format: Annotated[Format, Query()] = "json",  # the contract's name
) -> Any:
    rows = vouchers.redemptions(store, caller(app), event_id)
    if format == "xlsx":
        from ticketing.documents.excel import Column, write_table

        data = write_table(
            "Redemptions",
            [
                Column("Code", 22),
                Column("First name", 20),
                Column("Last name", 20),
                Column("E-mail", 30),
                Column("Company", 28),
                Column("Registered at", 20, "datetime"),
                Column("Checked in at", 20, "datetime"),
            ],
            (
                [
                    r.code,
                    r.first_name,
                    r.last_name,
                    r.email,
                    r.company,
                    r.redeemed_at,
                    r.checked_in_at,
                ]
                for r in rows
            ),
        )
        return xlsx_response(data, f"redemptions-{event_id}.xlsx")
    return {"redemptions": [r.model_dump(mode="json") for r in rows]}


@app.get("/events/<event_id>/statement")
def statement(event_id: str) -> dict[str, Any]:
    return vouchers.statement(store, access, events, caller(app), event_id).model_dump(mode="json")


@app.get("/events/<event_id>/statements")
@binary_answer
def statements(
    event_id: str,
    format: Annotated[Format, Query()] = "json",  # the contract's name
) -> Any:
    event, found = vouchers.statements(store, access, events, caller(app), event_id)
    if format == "xlsx":
        from ticketing.documents.excel import Column, write_table

        data = write_table(
            "Statements",
            [
                Column("Exhibitor", 30),
                Column("Cancelled", 10),
                Column("Issued", 10, "number"),
                Column("Redeemed", 10, "number"),
                Column("Used", 10, "number"),
                Column("Billable", 10, "number"),
                Column(f"Unit price ({event.currency})", 16, "money"),
                Column(f"Total ({event.currency})", 16, "money"),
            ],
            (_statement_row(s) for s in found),
        )
        return xlsx_response(data, f"statements-{event_id}.xlsx")
    return {"statements": [s.model_dump(mode="json") for s in found]}


@app.patch("/vouchers/<code>")
def extend_voucher(code: str, extension: Extension) -> dict[str, Any]:
    voucher = vouchers.extend_voucher(store, events, clock.current(), caller(app), code, extension)
    return voucher.model_dump(mode="json", exclude={"organizer_id", "redemption"})


@app.patch("/voucher-batches/<batch_id>")
def extend_batch(batch_id: str, extension: Extension) -> dict[str, Any]:
    batch, changed, skipped = vouchers.extend_batch(
        store, events, clock.current(), caller(app), batch_id, extension
    )
    return {**_batch_view(batch), "changed": changed, "skipped_redeemed": skipped}


def _statement_row(s: Statement) -> list[object]:
    return [
        s.exhibitor_name,
        "yes" if s.cancelled else "no",
        s.issued,
        s.redeemed,
        s.used,
        s.billable,
        s.unit_price,
        s.total,
    ]


handler = lambda_handler(app)

"""Bulk issuing of gift vouchers (seed 004): a list of up to 100,000 recipients from the
programme, as JSON, CSV or an Excel file; each row is one points transaction (its
``external_ref``), so a row issued twice gives the same voucher.

CSV and Excel files have a header row naming the columns ``external_ref``, ``tier``,
``phone``, ``email``, ``name`` and ``city`` (any order; the last four may be left empty).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ticketing.domain.gift_vouchers import MAX_BULK, IssueRequest

if TYPE_CHECKING:
    from collections.abc import Iterator

BulkFormat = Literal["json", "csv", "xlsx"]
BulkStatus = Literal["awaiting_upload", "pending", "running", "done", "failed"]
COLUMNS = ("external_ref", "tier", "phone", "email", "name", "city")
MAX_ERRORS = 100  # rows refused, kept with their reason (the rest are counted)
MAX_FILE_BYTES = 50 * 1024 * 1024


class BulkOrder(BaseModel):
    """``POST /campaigns/{id}/bulk-issues``: the rows themselves (a list that fits in a
    request), or the format of a file to upload to the ``upload_url`` answered."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    rows: list[dict[str, Any]] | None = Field(default=None, max_length=MAX_BULK)
    upload: BulkFormat | None = None


class RowError(BaseModel):
    model_config = ConfigDict(defer_build=True)

    row: int  # 1 = the first recipient (a file's header row is not counted)
    external_ref: str | None = None
    reason: str


class BulkIssue(BaseModel):
    model_config = ConfigDict(defer_build=True)

    bulk_id: str
    campaign_id: str
    organizer_id: str
    issuer_id: str
    issuer_key: str  # the key that ordered it: the ledger's "by" of every voucher it issues
    format: BulkFormat
    status: BulkStatus
    rows: int = 0  # known once the list is read
    next_row: int = 0  # rows before this one are done
    issued: int = 0
    repeated: int = 0  # rows whose external_ref was issued before: the same voucher
    failed: int = 0
    errors: list[RowError] = Field(default_factory=list)
    created_at: datetime
    progress_at: datetime
    finished_at: datetime | None = None


class Row(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    number: int
    request: IssueRequest | None = None
    error: RowError | None = None


def _row(number: int, raw: dict[str, Any]) -> Row:
    recipient = {k: raw.get(k) for k in ("phone", "email", "name", "city") if raw.get(k)}
    body = (
        raw
        if "recipient" in raw
        else {
            "tier": raw.get("tier"),
            "external_ref": raw.get("external_ref"),
            "recipient": recipient,
        }
    )
    try:
        return Row(number=number, request=IssueRequest.model_validate(body))
    except ValidationError as invalid:
        reason = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in invalid.errors()
        )
        ref = raw.get("external_ref")
        return Row(
            number=number,
            error=RowError(row=number, external_ref=str(ref)[:200] if ref else None, reason=reason),
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number Excel stored as a number
    return str(value).strip()


def _tabular(records: Iterator[list[Any]]) -> Iterator[dict[str, Any]]:
    header = [_text(h).lower() for h in next(records, [])]
    if "external_ref" not in header or "tier" not in header:
        raise ValueError(f"the first row must name the columns, e.g. {','.join(COLUMNS)}")
    for record in records:
        values = [_text(v) for v in record]
        if any(values):
            yield {h: v for h, v in zip(header, values, strict=False) if h in COLUMNS and v}


def read_rows(data: bytes, format: BulkFormat) -> list[Row]:
    """Every row of the list, each a request or the reason it is refused; ``ValueError`` when
    the file is not a list at all, or holds more than 100,000 rows."""
    raws: list[dict[str, Any]]
    if format == "json":
        parsed = json.loads(data)
        items = parsed.get("rows") if isinstance(parsed, dict) else parsed
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ValueError('a JSON list of rows, or {"rows": [...]}, each an object')
        raws = items
    elif format == "csv":
        text = data.decode("utf-8-sig")
        raws = list(_tabular(iter(csv.reader(io.StringIO(text)))))
    else:
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as unreadable:  # noqa: BLE001 - zip, XML: whatever is not a workbook
            raise ValueError(f"not an Excel workbook (.xlsx): {unreadable}") from None
        sheet = book.active
        if sheet is None:
            raise ValueError("the workbook has no sheet")
        raws = list(_tabular(iter([list(r) for r in sheet.iter_rows(values_only=True)])))
    if len(raws) > MAX_BULK:
        raise ValueError(f"at most {MAX_BULK} rows per list; this one has {len(raws)}")
    return [_row(number, raw) for number, raw in enumerate(raws, start=1)]

"""An exhibitor's list of recipients (issue 16): read from CSV or Excel, written as the
download template.

CSV: UTF-8 (with or without its byte order mark), separated by semicolons or commas (whichever
the title row uses). Excel: the first sheet, read with openpyxl in read-only mode; a formula is
taken as its text (``=cmd|...`` is a name like any other), never evaluated. The first row holds
the titles of the template (``first_name``, ``last_name``, ``email`` ...; case, spaces and the
German titles aside). A cell is always taken as text; a name that looks like a formula stays
that text and is written into every file of ours as text (documents/excel.py).
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import TYPE_CHECKING

from ticketing.domain.errors import InvalidRequest
from ticketing.domain.invitations import MAX_ROWS

if TYPE_CHECKING:
    from collections.abc import Iterator

COLUMNS: tuple[str, ...] = ("salutation", "first_name", "last_name", "email", "company", "language")
_ALIASES = {
    "anrede": "salutation",
    "vorname": "first_name",
    "nachname": "last_name",
    "e-mail": "email",
    "e_mail": "email",
    "mail": "email",
    "firma": "company",
    "sprache": "language",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_A_LIST = (
    "the file is neither CSV (UTF-8, separated by ; or ,) nor Excel (.xlsx); "
    "use the template GET /voucher-batches/{batch_id}/invitations/template.xlsx"
)


def _column(title: object) -> str:
    text = "" if title is None else str(title).strip().lower().replace(" ", "_")
    return _ALIASES.get(text, text)


def read_list(data: bytes) -> list[dict[str, object]]:
    """The rows of a CSV or Excel file as dicts by column (empty rows left out; a row keeps
    its position: ``__row__`` is 1 for the first row under the titles)."""
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    header = next(rows, None)
    if header is None:
        raise InvalidRequest("the file is empty", field="file")
    columns = [_column(title) for title in header]
    if "email" not in columns:
        raise InvalidRequest(
            "the file's first row names no 'email' column; use the template's titles: "
            + ", ".join(COLUMNS),
            field="file",
        )
    found: list[dict[str, object]] = []
    for number, row in enumerate(rows, start=1):
        values = {
            name: ("" if cell is None else str(cell)).strip()
            for name, cell in zip(columns, row, strict=False)
            if name in COLUMNS
        }
        if not any(values.values()):
            continue
        if len(found) >= MAX_ROWS:
            raise InvalidRequest(
                f"the file holds more than {MAX_ROWS:,} recipients; send it in parts",
                field="file",
            )
        found.append({k: v for k, v in values.items() if v} | {"__row__": number})
    if not found:
        raise InvalidRequest("the file holds no recipient under its titles", field="file")
    return found


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidRequest(NOT_A_LIST, field="file") from None
    if "\x00" in text:
        raise InvalidRequest(NOT_A_LIST, field="file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if delimiter not in first and "email" not in first.lower():
        raise InvalidRequest(NOT_A_LIST, field="file")
    return iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(data: bytes) -> Iterator[tuple[object, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidRequest(NOT_A_LIST, field="file") from None
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise InvalidRequest(NOT_A_LIST, field="file")
    return sheet.iter_rows(values_only=True)


def template_workbook(author: str = "") -> bytes:
    """The download template: the titles, and one example row."""
    from ticketing.documents.excel import Column, write_table

    example = ("Frau", "Erika", "Mustermann", "erika@example.org", "Muster GmbH", "de")
    return write_table(
        "recipients",
        [Column(name, 24 if name != "email" else 32) for name in COLUMNS],
        [example],
        title="Invitations",
        author=author,
    )

"""Excel (.xlsx) lists: typed columns, rows streamed, every file safe to open.

Organizers download booking lists and open them in Excel, so the file is written defensively:

* Text is always stored as text, never as a formula, number or link. Text that a spreadsheet
  could still run as a formula (when the cell is edited or the sheet is saved as CSV) gets a
  leading apostrophe -- buyers choose their own names, and ``=HYPERLINK(...)`` is a name too.
* Characters XML 1.0 cannot hold are dropped, because one of them makes the whole file
  unreadable for Excel.
* Excel's limits (rows per sheet, characters per cell, sheet names) are enforced here rather
  than discovered by the organizer.

Rows are streamed (XlsxWriter's ``constant_memory`` mode), so a generator of 100,000 bookings
needs a few MB of memory, not hundreds.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

ColumnKind = Literal["text", "number", "money", "datetime", "date", "link"]

#: Excel's hard limits (https://support.microsoft.com/office/excel-specifications-and-limits).
MAX_ROWS = 1_048_576  # including the header row
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767  # counted in UTF-16 code units, as Excel stores text
MAX_SHEET_NAME_CHARS = 31
MAX_URL_CHARS = 2_079
MAX_LINKS_PER_SHEET = 65_530

MONEY_FORMAT = "#,##0.00"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"

_KINDS: frozenset[str] = frozenset({"text", "number", "money", "datetime", "date", "link"})

# Leading characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection";
# tab and CR because some importers strip them and then see the "=" behind them).
_FORMULA_START: frozenset[str] = frozenset("=+-@\t\r\x00")

# Not allowed in XML 1.0: C0 controls except tab/LF/CR, lone surrogates (a Python str can
# carry them, e.g. from surrogateescape), U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Characters Excel refuses in sheet names; line breaks and tabs do not belong in a tab label.
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\t\n\r]")

# Excel stores dates as days since 1900-01-00; anything earlier cannot be a date cell.
_EXCEL_EPOCH = date(1900, 1, 1)

# Excel keeps 15 significant digits; a larger integer (an ID, say) would silently change.
_EXACT_INT_LIMIT = 10**15


@dataclass(frozen=True)
class Column:
    """One column: its header, its width in characters, and how its cells are written."""

    title: str
    width: float = 18
    kind: ColumnKind = "text"

    def __post_init__(self) -> None:
        # Literal is not checked at run time; a typo would otherwise make every cell text.
        if self.kind not in _KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; use one of {sorted(_KINDS)}")
        if not self.width >= 0:
            raise ValueError(f"column width must be >= 0, got {self.width!r}")


@dataclass(frozen=True)
class Sheet:
    """One worksheet.

    ``name`` is made valid for Excel when written (at most 31 characters, none of
    ``[]:*?/\\``, unique within the workbook). ``rows`` may be a generator; it is consumed once,
    row by row, and each row has at most one value per column (missing trailing values are
    blank).
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]


def write_table(
    name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    title: str = "",
    author: str = "",
) -> bytes:
    """Return an .xlsx file with one sheet; see :func:`write_workbook`."""
    return write_workbook([Sheet(name, columns, rows)], title=title, author=author)


def write_workbook(sheets: Sequence[Sheet], title: str = "", author: str = "") -> bytes:
    """Return an .xlsx file with the given sheets, in order, ``title`` and ``author`` in its
    document properties.

    Each sheet gets a bold, frozen header row, an autofilter over its data and the columns'
    widths, and prints landscape, one page wide, the header row on every page. Cells are
    written by the column's kind:

    * ``None``: blank.
    * ``text``: always a string (``str(value)`` for non-strings), with a leading ``'`` if it
      starts with ``= + - @``, tab, CR or NUL; control characters XML cannot hold are dropped;
      cut to 32,767 characters.
    * ``number``: int, float or Decimal as a number.
    * ``money``: int, float or Decimal as a number formatted ``#,##0.00``.
    * ``datetime``: a datetime as the wall-clock time of its own tzinfo (convert to the
      event's timezone first), formatted ``yyyy-mm-dd hh:mm``; a date is written as a date.
    * ``date``: a date formatted ``yyyy-mm-dd``; a datetime gives its own wall-clock date.
    * ``link``: an http(s) URL, or a pair (URL, text shown), as a link one can click; any
      other value, a URL longer than Excel takes, or one past Excel's 65,530 links per sheet
      is written as text (the URL itself).

    A value that does not fit its column's kind (a str in a number column, a bool, NaN, a
    date before 1900, an integer with more than 15 digits) is written as text, so nothing is
    lost or silently changed.

    Raises ValueError if there are no sheets, a sheet has more than 16,384 columns or more
    than 1,048,575 data rows, or a row has more values than the sheet has columns.
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")

    # Imported here so that Lambda functions that never render do not pay for it at cold start.
    import xlsxwriter  # type: ignore[import-untyped, unused-ignore]

    # XlsxWriter's "in_memory" option switches "constant_memory" off (the workbook would then
    # hold every cell: ~200 MB for 100,000 rows). Streaming needs scratch files instead; a
    # private directory, removed on the way out even when a sheet fails half-way, keeps a warm
    # Lambda's /tmp clean. The finished file itself is built in memory.
    with tempfile.TemporaryDirectory(prefix="ticketing-xlsx-") as scratch:
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                "tmpdir": scratch,
                # Defence in depth: write_string never interprets text anyway, but these keep
                # any future write() call from turning "=..." into a formula or "1e5" into 1e5.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        formats = _Formats(
            header=workbook.add_format({"bold": True}),
            money=workbook.add_format({"num_format": MONEY_FORMAT}),
            datetime=workbook.add_format({"num_format": DATETIME_FORMAT}),
            date=workbook.add_format({"num_format": DATE_FORMAT}),
        )
        properties = {"title": _text(title), "author": _text(author)}
        workbook.set_properties({k: v for k, v in properties.items() if v})
        taken: set[str] = set()
        for sheet in sheets:
            name = _sheet_name(sheet.name, taken)
            taken.add(name.casefold())
            _write_sheet(workbook.add_worksheet(name), name, sheet, formats)
        workbook.close()
    return output.getvalue()


@dataclass(frozen=True, slots=True)
class _Formats:
    header: Any
    money: Any
    datetime: Any
    date: Any


_CellWriter = Callable[[int, int, object], None]


def _write_sheet(worksheet: Any, name: str, sheet: Sheet, formats: _Formats) -> None:
    columns = list(sheet.columns)
    if len(columns) > MAX_COLUMNS:
        raise ValueError(
            f"sheet {name!r} has {len(columns):,} columns; Excel allows at most {MAX_COLUMNS:,}"
        )
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column.width)
        worksheet.write_string(0, index, _text(column.title), formats.header)

    # One writer per column, chosen once: the per-cell path stays a single call.
    links = [0]  # links written on this sheet, which holds at most MAX_LINKS_PER_SHEET
    writers = [_cell_writer(worksheet, column.kind, formats, links) for column in columns]
    max_data_rows = MAX_ROWS - 1
    last_row = 0
    # constant_memory mode flushes a row once the next one starts, so rows must go in order --
    # which streaming them does.
    for last_row, values in enumerate(sheet.rows, start=1):
        if last_row > max_data_rows:
            raise ValueError(
                f"sheet {name!r} has more than {max_data_rows:,} rows of data; Excel holds "
                f"{MAX_ROWS:,} rows including the header -- split the list"
            )
        if len(values) > len(columns):
            raise ValueError(
                f"sheet {name!r}, data row {last_row}: {len(values)} values for "
                f"{len(columns)} columns"
            )
        for index, value in enumerate(values):
            if value is not None:
                writers[index](last_row, index, value)

    if columns:
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, last_row, len(columns) - 1)
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)  # one page wide, as many pages long as it takes
    worksheet.repeat_rows(0)


def _cell_writer(
    worksheet: Any, kind: ColumnKind, formats: _Formats, links: list[int]
) -> _CellWriter:
    def text(row: int, col: int, value: object) -> None:
        worksheet.write_string(row, col, _text(value))

    def number(row: int, col: int, value: object) -> None:
        as_float = _as_number(value)
        if as_float is None:
            text(row, col, value)
        else:
            worksheet.write_number(row, col, as_float)

    def money(row: int, col: int, value: object) -> None:
        as_float = _as_number(value)
        if as_float is None:
            text(row, col, value)
        else:
            worksheet.write_number(row, col, as_float, formats.money)

    def as_date(row: int, col: int, value: date) -> None:
        if value < _EXCEL_EPOCH:
            text(row, col, value.isoformat())
        else:
            worksheet.write_datetime(row, col, value, formats.date)

    def as_datetime(row: int, col: int, value: object) -> None:
        if isinstance(value, datetime):
            # The wall-clock time in the datetime's own zone: Excel has no time zones, and
            # the organizer reads times in the event's zone, which the caller converted to.
            naive = value.replace(tzinfo=None)
            if naive.date() < _EXCEL_EPOCH:
                text(row, col, value.isoformat())
            else:
                worksheet.write_datetime(row, col, naive, formats.datetime)
        elif isinstance(value, date):
            as_date(row, col, value)
        else:
            text(row, col, value)

    def as_date_only(row: int, col: int, value: object) -> None:
        if isinstance(value, datetime):
            # The date in the datetime's own zone, consistent with datetime columns.
            as_date(row, col, value.date())
        elif isinstance(value, date):
            as_date(row, col, value)
        else:
            text(row, col, value)

    def link(row: int, col: int, value: object) -> None:
        url, shown = value if isinstance(value, tuple) and len(value) == 2 else (value, value)
        if not _clickable(url) or links[0] >= MAX_LINKS_PER_SHEET:
            text(row, col, url)
            return
        links[0] += 1
        worksheet.write_url(row, col, url, string=_text(shown))

    writers: dict[ColumnKind, _CellWriter] = {
        "text": text,
        "number": number,
        "money": money,
        "datetime": as_datetime,
        "date": as_date_only,
        "link": link,
    }
    return writers[kind]


def _clickable(url: object) -> bool:
    """A web link Excel takes as it is: http(s), no space or control character, not too long."""
    return (
        isinstance(url, str)
        and url.startswith(("https://", "http://"))
        and len(url) <= MAX_URL_CHARS
        and not any(c.isspace() or not c.isprintable() for c in url)
    )


def _as_number(value: object) -> float | None:
    """``value`` as the double Excel stores, or None if it would not survive unchanged."""
    # bool is an int, but True is not 1 to the reader of a booking list.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if -_EXACT_INT_LIMIT < value < _EXACT_INT_LIMIT else None
    if isinstance(value, float | Decimal):
        # float() also catches a finite Decimal beyond a double's range (it becomes inf).
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _text(value: object) -> str:
    """A cell's text: XML-safe, never taken for a formula, within Excel's length limit."""
    raw = value if isinstance(value, str) else str(value)
    cleaned = _NOT_XML.sub("", raw)
    # Checked before and after cleaning: "\x00=..." must be quoted (NUL leads), and so must
    # "\x01=..." (cleaning uncovers the "=").
    if raw[:1] in _FORMULA_START or cleaned[:1] in _FORMULA_START:
        cleaned = "'" + cleaned
    return _cut(cleaned, MAX_CELL_CHARS)


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 code units (Excel's unit), no pair split."""
    # A str of at most limit/2 code points cannot exceed limit UTF-16 units: skip encoding.
    if len(text) <= limit // 2:
        return text
    encoded = text.encode("utf-16-le")
    if len(encoded) <= 2 * limit:
        return text
    # "ignore" drops the half of a surrogate pair the cut may leave at the end.
    return encoded[: 2 * limit].decode("utf-16-le", errors="ignore")


def _sheet_name(name: str, taken: set[str]) -> str:
    """``name`` made acceptable to Excel and unique (case-insensitively) among ``taken``."""
    cleaned = _NOT_IN_SHEET_NAME.sub("_", _NOT_XML.sub("", name)).strip()
    # Excel rejects a name starting or ending with an apostrophe (it quotes names with it).
    base = _cut(cleaned, MAX_SHEET_NAME_CHARS).strip("' ") or "Sheet"
    candidate, number = base, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = _cut(base, MAX_SHEET_NAME_CHARS - len(suffix)).rstrip("' ") + suffix
    return candidate

"""What every PDF of ours is drawn with: the core font, its text, word wrap, rules and QR codes.

fpdf2 is imported only by :func:`new_document`, when a document is made; this module itself
needs only the standard library.

Text goes through the core font, whose encoding is Windows-1252 here (Latin-1 plus the euro
sign, dashes and typographic quotes). A character outside it (Chinese, Cyrillic, ...) cannot be
drawn: it falls back to its base letter when it has one (``ř`` -> ``r``) and becomes ``?``
otherwise (:func:`printable`), so that a customer's name never makes rendering fail.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

# The core fonts' encoding. fpdf2 declares it as WinAnsiEncoding, so "€" is drawn as a euro sign.
ENCODING = "windows-1252"
FONT = "Helvetica"
MARGIN = 18.0  # mm; tickets are printed at home, where printers do not reach the paper's edge
INK = 20  # grey levels, 0 = black
MUTED = 105
_RULE = 190
_MM_PER_PT = 25.4 / 72
_ELLIPSIS = "…"


def printable(text: str, *, single_line: bool = True) -> str:
    """``text`` reduced to what the core font can draw (see the module docstring)."""
    text = unicodedata.normalize("NFC", text)
    if single_line:
        text = " ".join(text.split())
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return "".join(_printable_char(char) for char in text)
    return text


def _printable_char(char: str) -> str:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        pass
    else:
        return char
    if unicodedata.combining(char):
        return ""  # a stray accent that NFC could not attach to its letter
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    try:
        base.encode(ENCODING)
    except UnicodeEncodeError:
        return "?"
    return base or "?"


def new_document(title: str, language: str, created_at: datetime | None) -> FPDF:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    # A ticket is laid out to fit its page; an automatic break would split it over two.
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.set_creator("ticketing")
    if created_at is not None:
        pdf.set_creation_date(created_at)
    return pdf


def draw_qr(pdf: FPDF, modules: list[list[bool]], left: float, top: float, size: float) -> None:
    """Dark modules as filled rectangles, one per horizontal run: a vector code, sharp at any
    zoom, and far fewer drawing operations than one per module."""
    pdf.set_fill_color(0)
    for row_index, row in enumerate(modules):
        y = top + row_index * size
        for start, length in _dark_runs(row):
            pdf.rect(left + start * size, y, length * size, size, style="F")


def _dark_runs(row: list[bool]) -> Iterator[tuple[int, int]]:
    start = -1
    for index, dark in enumerate(row):
        if dark and start < 0:
            start = index
        elif not dark and start >= 0:
            yield start, index - start
            start = -1
    if start >= 0:
        yield start, len(row) - start


def rule(pdf: FPDF, left: float, y: float, width: float) -> None:
    pdf.set_draw_color(_RULE)
    pdf.set_line_width(0.3)
    pdf.line(left, y, left + width, y)


def paragraph(
    pdf: FPDF,
    text: str,
    left: float,
    top: float,
    width: float,
    style: str,
    size: float,
    *,
    max_lines: int,
) -> float:
    """Word-wrapped ``text`` from ``top``; returns the y below it."""
    pdf.set_font(FONT, style, size)
    return text_lines(pdf, _wrap(pdf, printable(text), width, max_lines), left, top, style, size)


def text_lines(
    pdf: FPDF, lines: list[str], left: float, top: float, style: str, size: float
) -> float:
    # text() places by baseline and skips fpdf2's cell machinery: the cheapest way to draw.
    pdf.set_font(FONT, style, size)
    size_mm = size * _MM_PER_PT
    leading = size_mm * 1.25
    baseline = top + size_mm * 0.9
    for index, line in enumerate(lines):
        pdf.text(left, baseline + index * leading, line)
    return top + leading * len(lines)


def _wrap(pdf: FPDF, text: str, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap in the current font; what does not fit in ``max_lines`` ends in '…'."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if pdf.get_string_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and pdf.get_string_width(word) > width:
            cut = _longest_fitting_prefix(pdf, word, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and pdf.get_string_width(last + _ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last.rstrip() + _ELLIPSIS]


def _longest_fitting_prefix(pdf: FPDF, word: str, width: float) -> int:
    cut = 1
    while cut < len(word) and pdf.get_string_width(word[: cut + 1]) <= width:
        cut += 1
    return cut

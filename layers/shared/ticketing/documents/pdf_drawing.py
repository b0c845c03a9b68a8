"""What every PDF of ours is drawn with: its fonts, text, word wrap, rules and QR codes.

fpdf2 is imported only by :func:`new_document`, when a document is made; this module itself
needs only the standard library.

Text is set in the Unicode fonts of :mod:`ticketing.documents.fonts` (Noto Sans, with a CJK
fallback), embedded as a subset per document: a name prints as it is written, in any of
Latin, Greek, Cyrillic or Chinese script, and stays extractable. :func:`printable` only brings
text into one form (NFC, one line).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ticketing.documents.fonts import FONT, unicode_document

if TYPE_CHECKING:
    from datetime import datetime

    from fpdf import FPDF

MARGIN = 18.0  # mm; tickets are printed at home, where printers do not reach the paper's edge
INK = 20  # grey levels, 0 = black
MUTED = 105
_RULE = 190
_MM_PER_PT = 25.4 / 72
_ELLIPSIS = "…"


def printable(text: str, *, single_line: bool = True) -> str:
    """``text`` in composed form (NFC: ``e`` + combining accent becomes ``é``), on one line
    unless ``single_line`` is false."""
    text = unicodedata.normalize("NFC", text)
    if single_line:
        text = " ".join(text.split())
    return text


def new_document(title: str, language: str, created_at: datetime | None) -> FPDF:
    pdf = unicode_document(orientation="portrait", unit="mm", format="A4")
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
    """Dark modules as filled rectangles: a vector code, sharp at any zoom.

    One rectangle per horizontal run of dark modules, a run repeated on the rows below merged
    into one taller rectangle. The rectangles are what ``pdf.rect`` would write, operator for
    operator, at a fraction of its cost (fpdf2 checks and formats every call on its own, and a
    code has some 250 rectangles): ``_out``, fpdf2's append-to-the-page, takes them at once."""
    pdf.set_fill_color(0)
    k, page_height = pdf.k, pdf.h  # mm -> points; PDF's y axis points up
    step = size * k
    # every coordinate is a whole number of modules: format each possible one once
    count = len(modules) + 1
    xs = [f"{(left * k + i * step):.2f}" for i in range(count)]
    ys = [f"{((page_height - top) * k - i * step):.2f}" for i in range(count)]
    widths = [f"{i * step:.2f}" for i in range(count)]
    heights = [f"{-i * step:.2f}" for i in range(count)]
    pdf._out(
        "\n".join(
            f"{xs[x]} {ys[y]} {widths[w]} {heights[h]} re f" for x, y, w, h in _dark_blocks(modules)
        )
    )


def _dark_blocks(modules: list[list[bool]]) -> list[tuple[int, int, int, int]]:
    """(column, row, width, height) of rectangles that cover the dark modules exactly: the
    horizontal runs of each row, a run repeated on the rows below it merged into one."""
    blocks: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (start, length) -> the row it began on
    for row_index, row in enumerate([*modules, []]):  # the empty row closes every run
        runs = dict.fromkeys(
            (m.start(), m.end() - m.start()) for m in _DARK_RUN.finditer(bytes(row))
        )
        for run in [r for r in open_runs if r not in runs]:
            first = open_runs.pop(run)
            blocks.append((run[0], first, run[1], row_index - first))
        for run in runs:
            open_runs.setdefault(run, row_index)
    return blocks


_DARK_RUN = re.compile(b"\x01+")  # in bytes(row), a dark module is 1


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

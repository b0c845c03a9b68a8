"""Ticket and invoice PDFs: fpdf2 with its core font (Helvetica) and QR codes as vector graphics.

fpdf2 (and fontTools and Pillow behind it) is imported inside the render functions, never at
module level: a handler that does not render must not pay for those imports on a cold start.
This module itself needs only the standard library, the views and :mod:`ticketing.i18n`.

Labels come from the message catalogue (``pdf.*``), amounts and dates from Babel's formats: the
same words and figures as on the pages and in the mails. The core font draws Windows-1252 only
(see :mod:`ticketing.documents.pdf_drawing`), so a document for a Chinese event is printed in
English (:func:`printed_language`) until a Unicode font is embedded; the PDF's title (metadata)
is stored as Unicode and keeps every character.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ticketing.documents.pdf_drawing import (
    FONT,
    INK,
    MUTED,
    draw_qr,
    new_document,
    paragraph,
    printable,
    rule,
    text_lines,
)
from ticketing.documents.qr import qr_modules
from ticketing.documents.views import Address, InvoiceView, TicketView
from ticketing.i18n import (
    Language,
    format_date,
    format_money,
    format_span,
    format_tax_rate,
    translate,
)

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["printed_language", "render_invoice", "render_ticket", "render_tickets"]

_QR_SYMBOL_MM = 46.0  # the symbol without its quiet zone: phones read it from a printout
_QR_QUIET_MODULES = 4

# The core font cannot draw Chinese: a document for a language it cannot print is made in English
# (labels and formats alike), until a Unicode font is embedded.
_PRINTABLE_LANGUAGES: frozenset[Language] = frozenset({"de", "en"})
_FALLBACK_LANGUAGE: Language = "en"


class _Labels:
    """A document's labels (``pdf.*`` in the message catalogue) in the language it is made in."""

    def __init__(self, language: Language) -> None:
        self.language = printed_language(language)

    def __getitem__(self, name: str) -> str:
        return translate(self.language, f"pdf.{name}")

    def page(self, number: int, total: int) -> str:
        return translate(self.language, "pdf.page_of", number=number, total=total)


# --- public API -------------------------------------------------------------------------------


def render_ticket(view: TicketView, *, created_at: datetime | None = None) -> bytes:
    """One ticket as an A4 portrait PDF (printed at home, or shown on a phone).

    ``created_at`` becomes the PDF's creation date (pass the order's time: the same ticket then
    renders to the same bytes); without it fpdf2 uses the current time.
    """
    pdf = new_document(_ticket_title(view), printed_language(view.language), created_at)
    _draw_ticket(pdf, view)
    return bytes(pdf.output())


def render_tickets(views: Sequence[TicketView], *, created_at: datetime | None = None) -> bytes:
    """All tickets of an order in one PDF, one page each ("download all")."""
    if not views:
        raise ValueError("render_tickets needs at least one ticket")
    first = views[0]
    if all(view.order_number == first.order_number for view in views):
        title = f"Tickets {first.order_number} – {first.event_name}"
    else:
        title = "Tickets"
    pdf = new_document(title, printed_language(first.language), created_at)
    for view in views:
        _draw_ticket(pdf, view)
    return bytes(pdf.output())


def render_invoice(view: InvoiceView) -> bytes:
    """An A4 invoice: both addresses, its numbers and dates, the lines and the tax per rate."""
    labels = _Labels(view.language)
    title = f"{labels['invoice']} {view.invoice_number}"
    pdf = new_document(title, labels.language, view.invoice_date)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    _draw_invoice(pdf, view, labels)
    _number_pages(pdf, f"{labels['invoice']} {printable(view.invoice_number)}", labels)
    return bytes(pdf.output())


# --- language and text ------------------------------------------------------------------------


def printed_language(language: Language) -> Language:
    """The language a document of ``language`` is printed in: itself, or English when the
    core font cannot draw it (Chinese)."""
    return language if language in _PRINTABLE_LANGUAGES else _FALLBACK_LANGUAGE


# --- ticket -----------------------------------------------------------------------------------


def _ticket_title(view: TicketView) -> str:
    return f"Ticket {view.position_id} – {view.event_name}"


def _draw_ticket(pdf: FPDF, view: TicketView) -> None:
    labels = _Labels(view.language)
    language = labels.language
    pdf.add_page()
    left = pdf.l_margin
    width = pdf.epw
    y = pdf.t_margin

    pdf.set_text_color(MUTED)
    y = text_lines(pdf, [labels["ticket"].upper()], left, y, "B", 9)
    pdf.set_text_color(INK)
    y = paragraph(pdf, view.event_name, left, y + 1, width, "B", 22, max_lines=3)
    y = paragraph(pdf, view.venue, left, y + 1, width, "", 12, max_lines=2)
    when = format_span(view.starts_at, view.ends_at, view.timezone, language)
    y = paragraph(pdf, when, left, y + 1, width, "B", 12, max_lines=2)

    y += 5
    rule(pdf, left, y, width)
    y += 8

    modules = qr_modules(view.secret)
    module = _QR_SYMBOL_MM / len(modules)
    qr_width = _QR_SYMBOL_MM + 2 * _QR_QUIET_MODULES * module
    qr_left = left + width - qr_width
    draw_qr(
        pdf, modules, qr_left + _QR_QUIET_MODULES * module, y + _QR_QUIET_MODULES * module, module
    )

    fields = [
        (labels["holder"], view.holder_name),
        (labels["price_option"], view.price_option_name),
    ]
    if view.price is not None:
        fields.append((labels["price"], format_money(view.price, view.currency, language)))
    fields += [(labels["order_number"], view.order_number), (labels["ticket_id"], view.position_id)]
    column = width - qr_width - 8
    fields_y = y + _QR_QUIET_MODULES * module - 1.5  # the first label lines up with the code
    for label, value in fields:
        if not value.strip():
            continue  # e.g. a ticket without a holder's name: no label over an empty line
        pdf.set_text_color(MUTED)
        fields_y = text_lines(pdf, [label], left, fields_y, "", 9)
        pdf.set_text_color(INK)
        fields_y = paragraph(pdf, value, left, fields_y, column, "B", 13, max_lines=2) + 3

    y = max(fields_y, y + qr_width) + 4
    rule(pdf, left, y, width)
    pdf.set_text_color(MUTED)
    paragraph(pdf, labels["entrance_note"], left, y + 4, width, "", 9, max_lines=3)
    pdf.set_text_color(0)


# --- invoice ----------------------------------------------------------------------------------


def _draw_invoice(pdf: FPDF, view: InvoiceView, labels: _Labels) -> None:
    y = _draw_invoice_head(pdf, view, labels)
    pdf.set_y(y + 6)
    _draw_invoice_lines(pdf, view, labels)
    pdf.ln(6)
    _draw_tax_table(pdf, view, labels)
    if view.payment_note:
        pdf.ln(8)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, printable(view.payment_note, single_line=False))
    pdf.set_text_color(0)


def _draw_invoice_head(pdf: FPDF, view: InvoiceView, labels: _Labels) -> float:
    """Both addresses, the invoice's numbers and dates, its title; returns the y below them."""
    language = labels.language
    width = pdf.epw
    left = pdf.l_margin

    # The seller, as a letterhead.
    pdf.set_text_color(INK)
    y = paragraph(pdf, view.seller.name, left, pdf.t_margin, width, "B", 14, max_lines=2)
    pdf.set_text_color(MUTED)
    text_lines(pdf, _address_lines(view.seller, labels, name=False), left, y + 1, "", 9)

    # The buyer where a window envelope shows it (DIN 5008), the numbers to its right.
    top = 55.0
    pdf.set_text_color(INK)
    buyer_end = text_lines(pdf, _address_lines(view.buyer, labels, name=True), left, top, "", 11)
    facts = [
        (labels["invoice_number"], view.invoice_number),
        (labels["invoice_date"], format_date(view.invoice_date, view.timezone, language)),
        (labels["order_number"], view.order_number),
        (labels["order_date"], format_date(view.order_date, view.timezone, language)),
    ]
    facts_left = left + width - 75
    facts_y = top
    for label, value in facts:
        pdf.set_text_color(MUTED)
        text_lines(pdf, [label], facts_left, facts_y, "", 9)
        pdf.set_text_color(INK)
        facts_y = text_lines(pdf, [printable(value)], facts_left + 35, facts_y - 0.3, "", 10)
        facts_y += 1

    y = max(buyer_end, facts_y) + 14
    text_lines(pdf, [labels["invoice"]], left, y, "B", 18)
    return paragraph(
        pdf, f"{labels['event']}: {view.event_name}", left, y + 10, width, "", 11, max_lines=3
    )


def _draw_invoice_lines(pdf: FPDF, view: InvoiceView, labels: _Labels) -> None:
    language = labels.language
    pdf.set_font(FONT, "", 10)
    pdf.set_draw_color(160)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=(72, 18, 28, 22, 30),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        borders_layout="HORIZONTAL_LINES",
        headings_style=_headings(),
        line_height=5.5,
        padding=1.2,
        width=pdf.epw,
    ) as table:
        table.row(
            tuple(
                labels[name]
                for name in ("description", "quantity", "unit_price", "tax_rate", "amount")
            )
        )
        for line in view.lines:
            table.row(
                (
                    printable(line.description),
                    str(line.quantity),
                    format_money(line.unit_gross, view.currency, language),
                    format_tax_rate(line.tax_rate, language),
                    format_money(line.gross, view.currency, language),
                )
            )


def _draw_tax_table(pdf: FPDF, view: InvoiceView, labels: _Labels) -> None:
    """Net, tax and gross per tax rate, and their totals."""
    from fpdf.fonts import FontFace

    language = labels.language

    def money(amount: Decimal) -> str:
        return format_money(amount, view.currency, language)

    with pdf.table(
        col_widths=(26, 30, 30, 30),
        text_align="RIGHT",
        borders_layout="HORIZONTAL_LINES",
        headings_style=_headings(),
        line_height=5.5,
        padding=1.2,
        width=116,
        align="RIGHT",
    ) as table:
        table.row((labels["tax_rate"], labels["net"], labels["tax"], labels["gross"]))
        for row in view.tax_rows:
            table.row(
                (
                    format_tax_rate(row.tax_rate, language),
                    money(row.net),
                    money(row.tax),
                    money(row.gross),
                )
            )
        table.row(
            (
                labels["total"],
                money(view.total_net),
                money(view.total_tax),
                money(view.total_gross),
            ),
            style=FontFace(emphasis="BOLD"),
        )


def _headings() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(238, 238, 238))


def _number_pages(pdf: FPDF, document: str, labels: _Labels) -> None:
    """``Rechnung R2026-000042 · Seite 2 von 3`` at the foot of every page of a longer document,
    written once the page count is known."""
    total = pdf.pages_count
    if total < 2:
        return
    for number in range(1, total + 1):
        pdf.page = number
        pdf.set_text_color(MUTED)
        pdf.set_font(FONT, "", 8)
        pdf.text(pdf.l_margin, pdf.h - 10, f"{document} · {labels.page(number, total)}")
    pdf.set_text_color(0)


def _address_lines(address: Address, labels: _Labels, *, name: bool) -> list[str]:
    city = " ".join(part for part in (address.zip, address.city) if part)
    lines = [address.name if name else None, address.street, city, address.country]
    if address.vat_id:
        lines.append(f"{labels['vat_id']} {address.vat_id}")
    if not name and address.email:
        lines.append(address.email)
    return [printable(line) for line in lines if line]

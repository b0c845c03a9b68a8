"""Ticket and invoice PDFs: fpdf2 with its core font (Helvetica) and QR codes as vector graphics.

fpdf2 (and fontTools and Pillow behind it) is imported inside the render functions, never at
module level: a handler that does not render must not pay for those imports on a cold start.
This module itself needs only the standard library and the views.

Text goes through the core font, whose encoding is Windows-1252 here (Latin-1 plus the euro
sign, dashes and typographic quotes). A character outside it (Chinese, Cyrillic, ...) cannot be
drawn: it falls back to its base letter when it has one (``ř`` -> ``r``) and becomes ``?``
otherwise, so that a customer's name never makes rendering fail. Embedding a Unicode TTF font
would lift this limitation at the cost of a larger file and a slower render. The PDF's title
(metadata) is stored as Unicode and keeps every character.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.documents.qr import qr_modules
from ticketing.documents.views import Address, InvoiceView, Language, TicketView

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["render_invoice", "render_ticket", "render_tickets"]

# The core fonts' encoding. fpdf2 declares it as WinAnsiEncoding, so "€" is drawn as a euro sign.
_ENCODING = "windows-1252"
_FONT = "Helvetica"
_MM_PER_PT = 25.4 / 72
_MARGIN = 18.0  # mm; tickets are printed at home, where printers do not reach the paper's edge
_ELLIPSIS = "…"

_INK = 20  # grey levels, 0 = black
_MUTED = 105
_RULE = 190

_QR_SYMBOL_MM = 46.0  # the symbol without its quiet zone: phones read it from a printout
_QR_QUIET_MODULES = 4
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class _Labels:
    ticket: str
    holder: str
    price_option: str
    price: str
    order_number: str
    ticket_id: str
    entrance_note: str
    invoice: str
    invoice_number: str
    invoice_date: str
    order_date: str
    event: str
    description: str
    quantity: str
    unit_price: str
    tax_rate: str
    amount: str
    net: str
    tax: str
    gross: str
    total: str
    vat_id: str
    page_of: str

    def page(self, number: int, total: int) -> str:
        return self.page_of.format(number=number, total=total)


_LABELS: dict[Language, _Labels] = {
    "de": _Labels(
        ticket="Ticket",
        holder="Inhaber/in",
        price_option="Ticketart",
        price="Preis",
        order_number="Bestellnummer",
        ticket_id="Ticket-ID",
        entrance_note=(
            "Bitte zeigen Sie dieses Ticket am Einlass vor, ausgedruckt oder auf dem Smartphone."
        ),
        invoice="Rechnung",
        invoice_number="Rechnungsnummer",
        invoice_date="Rechnungsdatum",
        order_date="Bestelldatum",
        event="Veranstaltung",
        description="Beschreibung",
        quantity="Menge",
        unit_price="Einzelpreis",
        tax_rate="Steuersatz",
        amount="Betrag",
        net="Netto",
        tax="MwSt.",
        gross="Brutto",
        total="Summe",
        vat_id="USt-IdNr.",
        page_of="Seite {number} von {total}",
    ),
    "en": _Labels(
        ticket="Ticket",
        holder="Holder",
        price_option="Ticket type",
        price="Price",
        order_number="Order number",
        ticket_id="Ticket ID",
        entrance_note="Please show this ticket at the entrance, printed or on your phone.",
        invoice="Invoice",
        invoice_number="Invoice number",
        invoice_date="Invoice date",
        order_date="Order date",
        event="Event",
        description="Description",
        quantity="Quantity",
        unit_price="Unit price",
        tax_rate="Tax rate",
        amount="Amount",
        net="Net",
        tax="VAT",
        gross="Gross",
        total="Total",
        vat_id="VAT ID",
        page_of="Page {number} of {total}",
    ),
}

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- public API -------------------------------------------------------------------------------


def render_ticket(view: TicketView, *, created_at: datetime | None = None) -> bytes:
    """One ticket as an A4 portrait PDF (printed at home, or shown on a phone).

    ``created_at`` becomes the PDF's creation date (pass the order's time: the same ticket then
    renders to the same bytes); without it fpdf2 uses the current time.
    """
    pdf = _new_document(_ticket_title(view), view.language, created_at)
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
    pdf = _new_document(title, first.language, created_at)
    for view in views:
        _draw_ticket(pdf, view)
    return bytes(pdf.output())


def render_invoice(view: InvoiceView) -> bytes:
    """An A4 invoice: both addresses, its numbers and dates, the lines and the tax per rate."""
    labels = _LABELS[view.language]
    pdf = _new_document(f"{labels.invoice} {view.invoice_number}", view.language, view.invoice_date)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    _draw_invoice(pdf, view, labels)
    _number_pages(pdf, f"{labels.invoice} {_printable(view.invoice_number)}", labels)
    return bytes(pdf.output())


# --- formatting -------------------------------------------------------------------------------


def format_money(amount: Decimal, currency: str, language: Language) -> str:
    """``1.234,50 €`` (de) or ``€1,234.50`` (en) for euros; other currencies by their ISO code,
    after the amount in German (``12,00 CHF``) and before it in English (``CHF 12.00``)."""
    cents = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    digits = f"{abs(cents):,.2f}"  # 1,234.50
    if language == "de":
        number = digits.replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"{sign}{number} {'€' if currency == 'EUR' else currency}"
    if currency == "EUR":
        return f"{sign}€{digits}"
    return f"{sign}{currency} {digits}"


def format_tax_rate(rate: Decimal, language: Language) -> str:
    """``7 %`` and ``7,5 %`` (de), ``7%`` and ``7.5%`` (en)."""
    number = f"{rate.normalize():f}"
    if language == "de":
        return f"{number.replace('.', ',')} %"
    return f"{number}%"


def format_datetime(moment: datetime, timezone: str, language: Language) -> str:
    """``12.07.2026, 09:00 Uhr`` (de) or ``12 Jul 2026, 09:00`` (en), in ``timezone``."""
    local = moment.astimezone(ZoneInfo(timezone))
    if language == "de":
        return f"{local:%d.%m.%Y, %H:%M} Uhr"
    return f"{_en_date(local)}, {local:%H:%M}"


def format_date(moment: datetime, timezone: str, language: Language) -> str:
    """``09.01.2025`` (de) or ``9 Jan 2025`` (en), the day in ``timezone``."""
    local = moment.astimezone(ZoneInfo(timezone))
    if language == "de":
        return f"{local:%d.%m.%Y}"
    return _en_date(local)


def _en_date(local: datetime) -> str:
    return f"{local.day} {_EN_MONTHS[local.month - 1]} {local.year}"


def _printable(text: str, *, single_line: bool = True) -> str:
    """``text`` reduced to what the core font can draw (see the module docstring)."""
    text = unicodedata.normalize("NFC", text)
    if single_line:
        text = " ".join(text.split())
    try:
        text.encode(_ENCODING)
    except UnicodeEncodeError:
        return "".join(_printable_char(char) for char in text)
    return text


def _printable_char(char: str) -> str:
    try:
        char.encode(_ENCODING)
    except UnicodeEncodeError:
        pass
    else:
        return char
    if unicodedata.combining(char):
        return ""  # a stray accent that NFC could not attach to its letter
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    try:
        base.encode(_ENCODING)
    except UnicodeEncodeError:
        return "?"
    return base or "?"


# --- drawing ----------------------------------------------------------------------------------


def _new_document(title: str, language: Language, created_at: datetime | None) -> FPDF:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = _ENCODING
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    # A ticket is laid out to fit its page; an automatic break would split it over two.
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.set_creator("ticketing")
    if created_at is not None:
        pdf.set_creation_date(created_at)
    return pdf


def _ticket_title(view: TicketView) -> str:
    return f"Ticket {view.position_id} – {view.event_name}"


def _draw_ticket(pdf: FPDF, view: TicketView) -> None:
    labels = _LABELS[view.language]
    pdf.add_page()
    left = pdf.l_margin
    width = pdf.epw
    y = pdf.t_margin

    pdf.set_text_color(_MUTED)
    y = _text_lines(pdf, [labels.ticket.upper()], left, y, "B", 9)
    pdf.set_text_color(_INK)
    y = _paragraph(pdf, view.event_name, left, y + 1, width, "B", 22, max_lines=3)
    y = _paragraph(pdf, view.venue, left, y + 1, width, "", 12, max_lines=2)
    starts = format_datetime(view.starts_at, view.timezone, view.language)
    ends = format_datetime(view.ends_at, view.timezone, view.language)
    y = _paragraph(pdf, f"{starts} – {ends}", left, y + 1, width, "B", 12, max_lines=2)

    y += 5
    _rule(pdf, left, y, width)
    y += 8

    modules = qr_modules(view.secret)
    module = _QR_SYMBOL_MM / len(modules)
    qr_width = _QR_SYMBOL_MM + 2 * _QR_QUIET_MODULES * module
    qr_left = left + width - qr_width
    _draw_qr(
        pdf, modules, qr_left + _QR_QUIET_MODULES * module, y + _QR_QUIET_MODULES * module, module
    )

    fields = [
        (labels.holder, view.holder_name),
        (labels.price_option, view.price_option_name),
    ]
    if view.price is not None:
        fields.append((labels.price, format_money(view.price, view.currency, view.language)))
    fields += [(labels.order_number, view.order_number), (labels.ticket_id, view.position_id)]
    column = width - qr_width - 8
    fields_y = y + _QR_QUIET_MODULES * module - 1.5  # the first label lines up with the code
    for label, value in fields:
        if not value.strip():
            continue  # e.g. a ticket without a holder's name: no label over an empty line
        pdf.set_text_color(_MUTED)
        fields_y = _text_lines(pdf, [label], left, fields_y, "", 9)
        pdf.set_text_color(_INK)
        fields_y = _paragraph(pdf, value, left, fields_y, column, "B", 13, max_lines=2) + 3

    y = max(fields_y, y + qr_width) + 4
    _rule(pdf, left, y, width)
    pdf.set_text_color(_MUTED)
    _paragraph(pdf, labels.entrance_note, left, y + 4, width, "", 9, max_lines=3)
    pdf.set_text_color(0)


def _draw_qr(pdf: FPDF, modules: list[list[bool]], left: float, top: float, size: float) -> None:
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


def _rule(pdf: FPDF, left: float, y: float, width: float) -> None:
    pdf.set_draw_color(_RULE)
    pdf.set_line_width(0.3)
    pdf.line(left, y, left + width, y)


def _paragraph(
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
    pdf.set_font(_FONT, style, size)
    return _text_lines(pdf, _wrap(pdf, _printable(text), width, max_lines), left, top, style, size)


def _text_lines(
    pdf: FPDF, lines: list[str], left: float, top: float, style: str, size: float
) -> float:
    # text() places by baseline and skips fpdf2's cell machinery: the cheapest way to draw.
    pdf.set_font(_FONT, style, size)
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


# --- invoice ----------------------------------------------------------------------------------


def _draw_invoice(pdf: FPDF, view: InvoiceView, labels: _Labels) -> None:
    from fpdf.fonts import FontFace

    language = view.language
    width = pdf.epw
    left = pdf.l_margin

    def money(amount: Decimal) -> str:
        return format_money(amount, view.currency, language)

    # The seller, as a letterhead.
    pdf.set_text_color(_INK)
    y = _paragraph(pdf, view.seller.name, left, pdf.t_margin, width, "B", 14, max_lines=2)
    pdf.set_text_color(_MUTED)
    _text_lines(pdf, _address_lines(view.seller, labels, name=False), left, y + 1, "", 9)

    # The buyer where a window envelope shows it (DIN 5008), the numbers to its right.
    top = 55.0
    pdf.set_text_color(_INK)
    buyer_end = _text_lines(pdf, _address_lines(view.buyer, labels, name=True), left, top, "", 11)
    facts = [
        (labels.invoice_number, view.invoice_number),
        (labels.invoice_date, format_date(view.invoice_date, view.timezone, language)),
        (labels.order_number, view.order_number),
        (labels.order_date, format_date(view.order_date, view.timezone, language)),
    ]
    facts_left = left + width - 75
    facts_y = top
    for label, value in facts:
        pdf.set_text_color(_MUTED)
        _text_lines(pdf, [label], facts_left, facts_y, "", 9)
        pdf.set_text_color(_INK)
        facts_y = _text_lines(pdf, [_printable(value)], facts_left + 35, facts_y - 0.3, "", 10)
        facts_y += 1

    y = max(buyer_end, facts_y) + 14
    _text_lines(pdf, [labels.invoice], left, y, "B", 18)
    y = _paragraph(
        pdf, f"{labels.event}: {view.event_name}", left, y + 10, width, "", 11, max_lines=3
    )

    pdf.set_y(y + 6)
    pdf.set_font(_FONT, "", 10)
    pdf.set_draw_color(160)
    pdf.set_line_width(0.2)
    headings = FontFace(emphasis="BOLD", fill_color=(238, 238, 238))
    with pdf.table(
        col_widths=(72, 18, 28, 22, 30),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        borders_layout="HORIZONTAL_LINES",
        headings_style=headings,
        line_height=5.5,
        padding=1.2,
        width=width,
    ) as table:
        table.row(
            (labels.description, labels.quantity, labels.unit_price, labels.tax_rate, labels.amount)
        )
        for line in view.lines:
            table.row(
                (
                    _printable(line.description),
                    str(line.quantity),
                    money(line.unit_gross),
                    format_tax_rate(line.tax_rate, language),
                    money(line.gross),
                )
            )

    pdf.ln(6)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=(26, 30, 30, 30),
        text_align="RIGHT",
        borders_layout="HORIZONTAL_LINES",
        headings_style=headings,
        line_height=5.5,
        padding=1.2,
        width=116,
        align="RIGHT",
    ) as table:
        table.row((labels.tax_rate, labels.net, labels.tax, labels.gross))
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
            (labels.total, money(view.total_net), money(view.total_tax), money(view.total_gross)),
            style=bold,
        )

    if view.payment_note:
        pdf.ln(8)
        pdf.set_font(_FONT, "", 10)
        pdf.multi_cell(0, 5, _printable(view.payment_note, single_line=False))
    pdf.set_text_color(0)


def _number_pages(pdf: FPDF, document: str, labels: _Labels) -> None:
    """``Rechnung R2026-000042 · Seite 2 von 3`` at the foot of every page of a longer document,
    written once the page count is known."""
    total = pdf.pages_count
    if total < 2:
        return
    for number in range(1, total + 1):
        pdf.page = number
        pdf.set_text_color(_MUTED)
        pdf.set_font(_FONT, "", 8)
        pdf.text(pdf.l_margin, pdf.h - 10, f"{document} · {labels.page(number, total)}")
    pdf.set_text_color(0)


def _address_lines(address: Address, labels: _Labels, *, name: bool) -> list[str]:
    city = " ".join(part for part in (address.zip, address.city) if part)
    lines = [address.name if name else None, address.street, city, address.country]
    if address.vat_id:
        lines.append(f"{labels.vat_id} {address.vat_id}")
    if not name and address.email:
        lines.append(address.email)
    return [_printable(line) for line in lines if line]

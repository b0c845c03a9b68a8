"""The invoice as an A4 PDF, complete under §14 UStG: both addresses, the seller's VAT id or
tax number, the invoice's number and date, the date of the service (the event's days), the
lines and the tax per rate (or the §19 UStG note of a small business, and then no VAT at all),
the payment terms, and for an open transfer the bank details with a Girocode (EPC QR) that a
banking app reads to fill the transfer in.

Set in the Unicode fonts of :mod:`ticketing.documents.fonts`: a name in any script prints as
written, in any of our languages. fpdf2 and segno are imported inside the functions, never at
module level (see :mod:`ticketing.documents.pdf`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.documents.fonts import FONT
from ticketing.documents.pdf_drawing import INK, MUTED, draw_qr, new_document, rule
from ticketing.domain.banking import format_iban
from ticketing.i18n import Language, format_date, format_money, format_tax_rate, translate

if TYPE_CHECKING:
    from decimal import Decimal

    from fpdf import FPDF

    from ticketing.documents.views import Address, InvoiceTransfer, InvoiceView

__all__ = ["epc_payload_modules", "render_invoice", "service_date"]

_MM_PER_PT = 25.4 / 72
_GIROCODE_MM = 34.0  # the symbol; the EPC guideline asks for at least 2 cm in print
_QUIET_MODULES = 4
_TRANSFER_BLOCK_MM = 62.0  # heading, five facts and the code: kept together on one page


class _Labels:
    def __init__(self, language: Language) -> None:
        self.language = language

    def __getitem__(self, name: str) -> str:
        return translate(self.language, f"pdf.{name}")


def render_invoice(view: InvoiceView) -> bytes:
    """The invoice in its language; the same view renders to the same bytes."""
    labels = _Labels(view.language)
    title = f"{labels['invoice']} {view.invoice_number}"
    pdf = new_document(title, view.language, view.invoice_date)  # in the Unicode fonts
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    y = _draw_head(pdf, view, labels)
    pdf.set_y(y + 6)
    _draw_lines(pdf, view, labels)
    pdf.ln(6)
    _draw_totals(pdf, view, labels)
    _draw_notes(pdf, view, labels)
    if view.transfer is not None:
        _draw_transfer(pdf, view, view.transfer, labels)
    _number_pages(pdf, title, labels)
    return bytes(pdf.output())


def service_date(view: InvoiceView) -> str | None:
    """The Leistungsdatum: the event's day, or its first and last day, in its time zone."""
    if view.service_starts is None:
        return None
    first = format_date(view.service_starts, view.timezone, view.language)
    last = format_date(view.service_ends or view.service_starts, view.timezone, view.language)
    return first if first == last else f"{first} – {last}"


def epc_payload_modules(transfer: InvoiceTransfer) -> list[list[bool]]:
    """The Girocode of ``transfer``: an EPC QR code (version 002, BCD, SCT, level M) with the
    recipient, IBAN, BIC, the amount in euros and the order number as remittance text."""
    import segno.helpers

    code = segno.helpers.make_epc_qr(
        name=transfer.account_holder[:70],
        iban=transfer.iban,
        amount=transfer.amount,
        text=transfer.reference,
        bic=transfer.bic or None,
    )
    return [list(map(bool, row)) for row in code.matrix]


# --- drawing ----------------------------------------------------------------------------------


def _text(pdf: FPDF, lines: list[str], left: float, top: float, style: str, size: float) -> float:
    """Lines from ``top`` (each by its baseline); returns the y below them."""
    pdf.set_font(FONT, style, size)
    size_mm = size * _MM_PER_PT
    leading = size_mm * 1.25
    for index, line in enumerate(lines):
        pdf.text(left, top + size_mm * 0.9 + index * leading, " ".join(line.split()))
    return top + leading * len(lines)


def _draw_head(pdf: FPDF, view: InvoiceView, labels: _Labels) -> float:
    """Both addresses, the invoice's numbers and dates, its title; returns the y below them."""
    language = labels.language
    left, width = pdf.l_margin, pdf.epw
    pdf.set_text_color(INK)
    pdf.set_font(FONT, "B", 14)
    pdf.set_xy(left, pdf.t_margin)
    pdf.multi_cell(width, 6, " ".join(view.seller.name.split()), max_line_height=6)
    pdf.set_text_color(MUTED)
    _text(pdf, _address_lines(view.seller, labels, seller=True), left, pdf.get_y() + 1, "", 9)

    # The buyer where a window envelope shows it (DIN 5008), the numbers to its right.
    top = 55.0
    pdf.set_text_color(INK)
    buyer_end = _text(pdf, _address_lines(view.buyer, labels, seller=False), left, top, "", 11)
    facts = [
        (labels["invoice_number"], view.invoice_number),
        (labels["invoice_date"], format_date(view.invoice_date, view.timezone, language)),
        (labels["service_date"], service_date(view)),
        (labels["order_number"], view.order_number),
        (labels["order_date"], format_date(view.order_date, view.timezone, language)),
    ]
    facts_left = left + width - 80
    facts_y = top
    for label, value in facts:
        if value is None:
            continue
        pdf.set_text_color(MUTED)
        _text(pdf, [label], facts_left, facts_y, "", 9)
        pdf.set_text_color(INK)
        facts_y = _text(pdf, [value], facts_left + 34, facts_y - 0.3, "", 10) + 1

    y = max(buyer_end, facts_y) + 12
    _text(pdf, [labels["invoice"]], left, y, "B", 18)
    pdf.set_font(FONT, "", 11)
    pdf.set_xy(left, y + 10)
    pdf.multi_cell(width, 5, f"{labels['event']}: {view.event_name}")
    return pdf.get_y()


def _address_lines(address: Address, labels: _Labels, *, seller: bool) -> list[str]:
    city = " ".join(part for part in (address.zip, address.city) if part)
    lines = [None if seller else address.name, address.street, city, address.country]
    if address.vat_id:
        lines.append(f"{labels['vat_id']} {address.vat_id}")
    if address.tax_number:
        lines.append(f"{labels['tax_number']} {address.tax_number}")
    if seller and address.email:
        lines.append(address.email)
    return [line for line in lines if line]


def _draw_lines(pdf: FPDF, view: InvoiceView, labels: _Labels) -> None:
    """One row per price option and price; no tax rate column for a small business."""
    language = labels.language
    money = _money(view)
    taxed = not view.small_business
    names: tuple[str, ...] = ("description", "quantity", "unit_price", "tax_rate", "amount")
    widths: tuple[int, ...] = (68, 22, 28, 22, 30)
    if not taxed:
        names, widths = names[:3] + names[4:], (90, 22, 28, 30)
    pdf.set_font(FONT, "", 10)
    pdf.set_draw_color(160)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", *("RIGHT",) * (len(widths) - 1)),
        borders_layout="HORIZONTAL_LINES",
        headings_style=_headings(),
        line_height=5.5,
        padding=1.2,
        width=pdf.epw,
    ) as table:
        table.row(tuple(labels[name] for name in names))
        for line in view.lines:
            cells = [line.description, str(line.quantity), money(line.unit_gross)]
            if taxed:
                cells.append(format_tax_rate(line.tax_rate, language))
            table.row((*cells, money(line.gross)))


def _draw_totals(pdf: FPDF, view: InvoiceView, labels: _Labels) -> None:
    """Net, tax and gross per tax rate and their totals; a small business shows its total
    alone (it charges no VAT, so there is none to show)."""
    from fpdf.fonts import FontFace

    money = _money(view)
    bold = FontFace(emphasis="BOLD")
    options: dict[str, Any] = {
        "text_align": "RIGHT",
        "borders_layout": "HORIZONTAL_LINES",
        "line_height": 5.5,
        "padding": 1.2,
        "align": "RIGHT",
    }
    if view.small_business:
        with pdf.table(col_widths=(40, 30), width=70, first_row_as_headings=False, **options) as t:
            t.row((labels["total"], money(view.total_gross)), style=bold)
        return
    with pdf.table(
        col_widths=(26, 30, 30, 30), width=116, headings_style=_headings(), **options
    ) as table:
        table.row((labels["tax_rate"], labels["net"], labels["tax"], labels["gross"]))
        for row in view.tax_rows:
            rate = format_tax_rate(row.tax_rate, labels.language)
            table.row((rate, money(row.net), money(row.tax), money(row.gross)))
        totals = (money(view.total_net), money(view.total_tax), money(view.total_gross))
        table.row((labels["total"], *totals), style=bold)


def _draw_notes(pdf: FPDF, view: InvoiceView, labels: _Labels) -> None:
    """The §19 note, how the order is paid, and the payment terms."""
    notes = [labels["small_business_note"]] if view.small_business else []
    notes += [note for note in (view.payment_note, view.payment_terms) if note]
    pdf.set_text_color(INK)
    pdf.set_font(FONT, "", 10)
    pdf.ln(4)
    for note in notes:
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(pdf.epw, 5, note)
        pdf.ln(1)


def _draw_transfer(
    pdf: FPDF, view: InvoiceView, transfer: InvoiceTransfer, labels: _Labels
) -> None:
    """The bank details to the left, the Girocode to the right (euros only: the EPC code
    knows no other currency)."""
    if pdf.get_y() + _TRANSFER_BLOCK_MM > pdf.page_break_trigger:
        pdf.add_page()
    left, width = pdf.l_margin, pdf.epw
    y = pdf.get_y() + 4
    rule(pdf, left, y, width)
    y += 4
    pdf.set_text_color(INK)
    y = _text(pdf, [labels["bank_details"]], left, y, "B", 11) + 2
    facts = [
        (labels["account_holder"], transfer.account_holder),
        (labels["iban"], format_iban(transfer.iban)),
        (labels["bic"], transfer.bic),
        (labels["payment_reference"], transfer.reference),
        (labels["amount_due"], _money(view)(transfer.amount)),
    ]
    facts_y = y
    for label, value in facts:
        if not value:
            continue
        pdf.set_text_color(MUTED)
        _text(pdf, [label], left, facts_y, "", 9)
        pdf.set_text_color(INK)
        facts_y = _text(pdf, [value], left + 38, facts_y - 0.3, "B", 10) + 1.5
    if view.currency == "EUR" and transfer.amount > 0:
        modules = epc_payload_modules(transfer)
        module = _GIROCODE_MM / len(modules)
        code_left = left + width - _GIROCODE_MM - _QUIET_MODULES * module
        draw_qr(pdf, modules, code_left, y, module)
        pdf.set_text_color(MUTED)
        pdf.set_font(FONT, "", 8)
        pdf.set_xy(code_left - 6, y + _GIROCODE_MM + 1.5)
        pdf.multi_cell(_GIROCODE_MM + 12, 3.5, labels["girocode"], align="C")
        facts_y = max(facts_y, pdf.get_y())
    pdf.set_y(facts_y + 2)
    pdf.set_text_color(0)


def _money(view: InvoiceView) -> Any:
    def money(amount: Decimal) -> str:
        return format_money(amount, view.currency, view.language)

    return money


def _headings() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(238, 238, 238))


def _number_pages(pdf: FPDF, document: str, labels: _Labels) -> None:
    """``Rechnung R2026-000042 · Seite 2 von 3`` at the foot of every page of a longer invoice,
    written once the page count is known."""
    total = pdf.pages_count
    if total < 2:
        return
    for number in range(1, total + 1):
        pdf.page = number
        pdf.set_text_color(MUTED)
        pdf.set_font(FONT, "", 8)
        page = translate(labels.language, "pdf.page_of", number=number, total=total)
        pdf.text(pdf.l_margin, pdf.h - 10, f"{document} · {page}")
    pdf.set_text_color(0)

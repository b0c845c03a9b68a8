"""Ticket and invoice PDFs: fpdf2 with embedded Unicode fonts and QR codes as vector graphics.

fpdf2 (and fontTools and Pillow behind it) is imported inside the render functions, never at
module level: a handler that does not render must not pay for those imports on a cold start.
This module itself needs only the standard library, the views and :mod:`ticketing.i18n`.

Labels come from the message catalogue (``pdf.*``), amounts and dates from Babel's formats: the
same words and figures as on the pages and in the mails, in the event's language (German,
English or Chinese: :mod:`ticketing.documents.fonts` embeds fonts for all of them).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.documents.invoice_pdf import render_invoice  # the invoice has its own module
from ticketing.documents.pdf_drawing import (
    INK,
    MUTED,
    draw_qr,
    new_document,
    paragraph,
    rule,
    text_lines,
)
from ticketing.documents.qr import qr_modules
from ticketing.i18n import (
    Language,
    format_date,
    format_money,
    format_span,
    translate,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fpdf import FPDF

    from ticketing.documents.views import TicketView

__all__ = [
    "event_days",
    "printed_language",
    "render_invoice",
    "render_ticket",
    "render_tickets",
    "ticket_fields",
]

_QR_SYMBOL_MM = 46.0  # the symbol without its quiet zone: phones read it from a printout
_QR_QUIET_MODULES = 4


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


# --- language and text ------------------------------------------------------------------------


def printed_language(language: Language) -> Language:
    """The language a document of ``language`` is printed in: itself, now that every document
    embeds fonts for Chinese too (:mod:`ticketing.documents.fonts`)."""
    return language


# --- ticket -----------------------------------------------------------------------------------


def _ticket_title(view: TicketView) -> str:
    return f"Ticket {view.position_id} – {view.event_name}"


def _draw_ticket(pdf: FPDF, view: TicketView) -> None:
    labels = _Labels(view.language)
    pdf.add_page()
    left = pdf.l_margin
    width = pdf.epw
    y = _draw_ticket_head(pdf, view, labels) + 5
    rule(pdf, left, y, width)
    y += 8

    modules = qr_modules(view.secret)
    module = _QR_SYMBOL_MM / len(modules)
    qr_width = _QR_SYMBOL_MM + 2 * _QR_QUIET_MODULES * module
    qr_left = left + width - qr_width
    draw_qr(
        pdf, modules, qr_left + _QR_QUIET_MODULES * module, y + _QR_QUIET_MODULES * module, module
    )

    column = width - qr_width - 8
    fields_y = y + _QR_QUIET_MODULES * module - 1.5  # the first label lines up with the code
    for label, value in ticket_fields(view, labels.language):
        if not value.strip():
            continue  # e.g. a ticket without a holder's name: no label over an empty line
        pdf.set_text_color(MUTED)
        fields_y = text_lines(pdf, [label], left, fields_y, "", 9)
        pdf.set_text_color(INK)
        fields_y = paragraph(pdf, value, left, fields_y, column, "B", 13, max_lines=2) + 3

    y = max(fields_y, y + qr_width) + 4
    rule(pdf, left, y, width)
    pdf.set_text_color(MUTED)
    note = f"{labels['personal_note']} {labels['entrance_note']}"
    paragraph(pdf, note, left, y + 4, width, "", 9, max_lines=3)
    pdf.set_text_color(0)


def _draw_ticket_head(pdf: FPDF, view: TicketView, labels: _Labels) -> float:
    """The event: its name, venue, start and end, its days and its organizer; returns the y
    below them."""
    language = labels.language
    left, width = pdf.l_margin, pdf.epw
    pdf.set_text_color(MUTED)
    y = text_lines(pdf, [labels["ticket"].upper()], left, pdf.t_margin, "B", 9)
    pdf.set_text_color(INK)
    y = paragraph(pdf, view.event_name, left, y + 1, width, "B", 22, max_lines=3)
    y = paragraph(pdf, view.venue, left, y + 1, width, "", 12, max_lines=2)
    when = format_span(view.starts_at, view.ends_at, view.timezone, language)
    y = paragraph(pdf, when, left, y + 1, width, "B", 12, max_lines=2)
    days = event_days(view)
    if days is not None:
        y = paragraph(
            pdf, f"{labels['event_days']}: {days}", left, y + 1, width, "", 10, max_lines=2
        )
    if view.organizer_name:
        organizer = f"{labels['organizer']}: {view.organizer_name}"
        y = paragraph(pdf, organizer, left, y + 1, width, "", 10, max_lines=2)
    return y


def ticket_fields(view: TicketView, language: Language) -> list[tuple[str, str]]:
    """The labelled values beside the QR code, in the order printed."""
    labels = _Labels(language)
    fields = [(labels["holder"], view.holder_name), *view.answers]
    if view.count > 1:
        number = translate(labels.language, "pdf.ticket_of", number=view.number, total=view.count)
        fields.append((labels["ticket_number"], number))
    fields.append((labels["price_option"], view.price_option_name))
    if view.price is not None:
        fields.append((labels["price"], format_money(view.price, view.currency, labels.language)))
    fields += [(labels["order_number"], view.order_number), (labels["ticket_id"], view.position_id)]
    return fields


def event_days(view: TicketView) -> str | None:
    """The first and last day (``12.07.2026 - 16.07.2026``, with an en dash) of an event over
    several days in its time zone; None for one that starts and ends on the same day. A price
    option (a day ticket, say) carries no day of its own: the ticket names the event's days,
    not one day it would be valid on."""
    zone = ZoneInfo(view.timezone)
    first = view.starts_at.astimezone(zone)
    last = (view.ends_at - timedelta(microseconds=1)).astimezone(zone)  # an end at 00:00
    if last.date() <= first.date():
        return None
    language = printed_language(view.language)
    return " – ".join(format_date(day, view.timezone, language) for day in (first, last))

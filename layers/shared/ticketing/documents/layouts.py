"""Every Excel file the platform hands out, one function each: which columns, in which order,
with which labels, filled from which domain objects.

A layout takes domain objects and returns the file's bytes; :mod:`ticketing.documents.excel`
writes them (typed cells, streamed rows, no formula injection). Column titles and sheet names
come from the message catalogue (``xlsx.*``). One event, one language: every file of an event
is in the event's language, whoever asks for it. Times are the wall-clock time of the event's
zone (Excel cells have none), codes are written as they are printed (``7KQ2-M9XD-4HTB-W2``),
states are words, links can be clicked, and every file prints landscape, one page wide, and
names its event (title) and organizer (author).

Nothing here imports XlsxWriter or Babel until a file is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.documents.excel import Column, ColumnKind, write_table
from ticketing.domain.answers import shown
from ticketing.domain.voucher_codes import display
from ticketing.i18n import Language, translate
from ticketing.links import redeem_url, self_service_url, ticket_url

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from ticketing.domain.events import Event
    from ticketing.domain.orders import Order
    from ticketing.domain.questions import Question
    from ticketing.domain.visitor_vouchers import Registration, Statement, VoucherBatch

__all__ = [
    "booking_list_workbook",
    "direct_links_workbook",
    "redemptions_workbook",
    "statements_workbook",
    "voucher_codes_workbook",
]

# Before events had a language, voucher files were German; a batch without its event still is.
_LANGUAGE_WITHOUT_EVENT: Language = "de"


def booking_list_workbook(
    event: Event,
    orders: Iterable[Order],
    base_url: str | None = None,
    author: str = "",
    questions: Sequence[Question] = (),
) -> bytes:
    """Seed 001's booking list of one event: order number, customer, booked at (the event's
    local time), ZIP, quantity, price option, amount, payment status and delivery (in words),
    e-mail, invoice number and a link to the order's page; then one column per question
    (seed 002), an attendee's answers joined over the order's tickets."""
    zone = ZoneInfo(event.timezone)
    language = event.language
    words = {
        key: translate(language, f"xlsx.bookings.{key}_word")
        for key in ("open", "paid", "email", "post")
    }
    order_page = translate(language, "xlsx.bookings.order_page")
    return _table(
        event,
        "xlsx.bookings",
        [
            ("order_number", 22, "text"),
            ("customer", 30, "text"),
            ("booked_at", 18, "datetime"),
            ("zip", 10, "text"),
            ("quantity", 10, "number"),
            ("price_option", 20, "text"),
            ("amount", 14, "money"),
            ("payment", 12, "text"),
            ("delivery", 12, "text"),
            ("email", 30, "text"),
            ("invoice_number", 18, "text"),
            ("link", 20, "link"),
        ],
        (
            [
                order.order_number,
                order.customer.full_name,
                order.created_at.astimezone(zone),
                order.customer.zip,
                order.quantity,
                order.positions[0].price_option_name if order.positions else order.price_option,
                order.total,
                words.get(order.payment_status, order.payment_status),
                words.get(order.delivery, order.delivery),
                str(order.customer.email) if order.customer.email else None,
                order.invoice_number,
                (
                    self_service_url(order.order_number, order.self_service_secret, base_url),
                    order_page,
                ),
                *_answer_cells(questions, order, language),
            ]
            for order in orders
        ),
        author,
        extra=_question_columns(questions, language),
        currency=event.currency,
    )


def _question_columns(questions: Sequence[Question], language: Language) -> list[Column]:
    return [Column(q.label.text(language), 24, "text") for q in questions]


def _answer_cells(questions: Sequence[Question], order: Order, language: Language) -> list[object]:
    """An order's answer to each question: the order's own, or its tickets' joined by " | "."""
    cells: list[object] = []
    for question in questions:
        if question.scope == "order":
            answer = order.answers.get(question.id)
            cells.append(None if answer is None else shown(question, answer, language))
            continue
        given = [p.answers[question.id] for p in order.positions if question.id in p.answers]
        cells.append(" | ".join(shown(question, a, language) for a in given) or None)
    return cells


def direct_links_workbook(
    event: Event, order: Order, base_url: str | None = None, author: str = ""
) -> bytes:
    """Seed 001's "Direkt-Links für den Kunden": one download link per ticket of the order."""
    return _table(
        event,
        "xlsx.links",
        [
            ("order_number", 22, "text"),
            ("ticket_id", 12, "text"),
            ("holder", 28, "text"),
            ("type", 20, "text"),
            ("link", 90, "link"),
        ],
        (
            [
                order.order_number,
                position.position_id,
                position.holder_name,
                position.price_option_name,
                ticket_url(position.download_token, base_url),
            ]
            for position in order.positions
        ),
        author,
    )


def redemptions_workbook(
    event: Event,
    registrations: Iterable[Registration],
    author: str = "",
    shared: Sequence[Question] = (),
) -> bytes:
    """Seed 000: who registered with which of an exhibitor's codes, when, and when they came
    (the event's local time), and whether another registration names the same person; then
    the answers to the questions the organizer shares with exhibitors (seed 002)."""
    zone = ZoneInfo(event.timezone)
    yes, no = translate(event.language, "common.yes"), translate(event.language, "common.no")
    return _table(
        event,
        "xlsx.redemptions",
        [
            ("code", 22, "text"),
            ("first_name", 20, "text"),
            ("last_name", 20, "text"),
            ("email", 30, "text"),
            ("company", 28, "text"),
            ("registered_at", 20, "datetime"),
            ("checked_in_at", 20, "datetime"),
            ("possible_duplicate", 16, "text"),
        ],
        (
            [
                display(r.code),
                r.first_name,
                r.last_name,
                r.email,
                r.company,
                r.redeemed_at.astimezone(zone),
                r.checked_in_at.astimezone(zone) if r.checked_in_at else None,
                yes if r.possible_duplicate else no,
                *(
                    shown(q, r.answers[q.id], event.language) if q.id in r.answers else None
                    for q in shared
                ),
            ]
            for r in registrations
        ),
        author,
        extra=_question_columns(shared, event.language),
    )


def statements_workbook(event: Event, statements: Iterable[Statement], author: str = "") -> bytes:
    """Seed 000: every exhibitor's statement of the event, what each is billed and why."""
    yes, no = translate(event.language, "common.yes"), translate(event.language, "common.no")
    return _table(
        event,
        "xlsx.statements",
        [
            ("exhibitor", 30, "text"),
            ("cancelled", 10, "text"),
            ("issued", 10, "number"),
            ("redeemed", 10, "number"),
            ("used", 10, "number"),
            ("billable", 10, "number"),
            ("unit_price", 16, "money"),
            ("total", 16, "money"),
        ],
        (
            [
                s.exhibitor_name,
                yes if s.cancelled else no,
                s.issued,
                s.redeemed,
                s.used,
                s.billable,
                s.unit_price,
                s.total,
            ]
            for s in statements
        ),
        author,
        currency=event.currency,
    )


def voucher_codes_workbook(
    event: Event | None,
    batch: VoucherBatch,
    codes: Iterable[str],
    base_url: str | None = None,
    author: str = "",
) -> bytes:
    """Seed 000: a batch's codes for the exhibitor to mail to its customers, each with its
    personal registration link, the batch's label and how long it is valid (event's time)."""
    valid_until: datetime = batch.valid_until
    if event is not None:
        valid_until = valid_until.astimezone(ZoneInfo(event.timezone))
    return _table(
        event,
        "xlsx.vouchers",
        [
            ("code", 22, "text"),
            ("link", 70, "link"),
            ("label", 28, "text"),
            ("valid_until", 18, "datetime"),
        ],
        ([display(code), redeem_url(code, base_url), batch.label, valid_until] for code in codes),
        author,
    )


def _table(
    event: Event | None,
    prefix: str,
    columns: Sequence[tuple[str, float, ColumnKind]],
    rows: Iterable[Sequence[object]],
    author: str = "",
    extra: Sequence[Column] = (),
    **values: object,
) -> bytes:
    """One sheet named ``{prefix}.sheet`` in the event's language, each column titled
    ``{prefix}.{name}`` (``values`` fill their placeholders, e.g. the currency of a money
    column); the file's title names the sheet and the event, its author the organizer."""
    language: Language = event.language if event else _LANGUAGE_WITHOUT_EVENT
    sheet = translate(language, f"{prefix}.sheet")
    return write_table(
        sheet,
        [
            Column(translate(language, f"{prefix}.{name}", **values), width, kind)
            for name, width, kind in columns
        ]
        + list(extra),
        rows,
        title=f"{sheet}: {event.name}" if event else sheet,
        author=author,
    )

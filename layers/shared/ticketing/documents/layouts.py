"""Every Excel file the platform hands out, one function each: which columns, in which order,
with which labels, filled from which domain objects.

A layout takes domain objects and returns the file's bytes; :mod:`ticketing.documents.excel`
writes them (typed cells, streamed rows, no formula injection). Column titles and sheet names
come from the message catalogue (``xlsx.*``). Times are shown as the wall-clock time of the
zone named for each layout: Excel cells have no time zone.

Nothing here imports XlsxWriter or Babel until a file is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from ticketing.documents.excel import Column, ColumnKind, write_table
from ticketing.domain.events import Event
from ticketing.domain.orders import Order
from ticketing.domain.visitor_vouchers import Registration, Statement, VoucherBatch
from ticketing.domain.voucher_codes import display
from ticketing.i18n import Language, translate
from ticketing.links import redeem_url, ticket_url

__all__ = [
    "booking_list_workbook",
    "direct_links_workbook",
    "redemptions_workbook",
    "statements_workbook",
    "voucher_codes_workbook",
]

# Before events had a language, voucher files were German; a batch without its event still is.
_LANGUAGE_WITHOUT_EVENT: Language = "de"


def booking_list_workbook(event: Event, orders: Iterable[Order]) -> bytes:
    """Seed 001's booking list of one event: order number, customer, booked at (the event's
    local time), ZIP, quantity, payment status and delivery (as the API names them)."""
    zone = ZoneInfo(event.timezone)
    return _table(
        event.language,
        "xlsx.bookings",
        [
            ("order_number", 22, "text"),
            ("customer", 30, "text"),
            ("booked_at", 18, "datetime"),
            ("zip", 10, "text"),
            ("quantity", 10, "number"),
            ("payment", 12, "text"),
            ("delivery", 12, "text"),
        ],
        (
            [
                order.order_number,
                order.customer.full_name,
                order.created_at.astimezone(zone),
                order.customer.zip,
                order.quantity,
                order.payment_status,
                order.delivery,
            ]
            for order in orders
        ),
    )


def direct_links_workbook(event: Event, order: Order, base_url: str | None = None) -> bytes:
    """Seed 001's "Direkt-Links für den Kunden": one download link per ticket of the order."""
    return _table(
        event.language,
        "xlsx.links",
        [
            ("order_number", 22, "text"),
            ("ticket_id", 12, "text"),
            ("holder", 28, "text"),
            ("type", 20, "text"),
            ("link", 90, "text"),
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
    )


def redemptions_workbook(registrations: Iterable[Registration], language: Language) -> bytes:
    """Seed 000: who registered with which of an exhibitor's codes, when, and when they came
    (times as stored, in UTC)."""
    return _table(
        language,
        "xlsx.redemptions",
        [
            ("code", 22, "text"),
            ("first_name", 20, "text"),
            ("last_name", 20, "text"),
            ("email", 30, "text"),
            ("company", 28, "text"),
            ("registered_at", 20, "datetime"),
            ("checked_in_at", 20, "datetime"),
        ],
        (
            [
                r.code,
                r.first_name,
                r.last_name,
                r.email,
                r.company,
                r.redeemed_at,
                r.checked_in_at,
            ]
            for r in registrations
        ),
    )


def statements_workbook(event: Event, statements: Iterable[Statement], language: Language) -> bytes:
    """Seed 000: every exhibitor's statement of the event, what each is billed and why."""
    yes, no = translate(language, "common.yes"), translate(language, "common.no")
    return _table(
        language,
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
        currency=event.currency,
    )


def voucher_codes_workbook(
    event: Event | None,
    batch: VoucherBatch,
    codes: Iterable[str],
    base_url: str | None = None,
) -> bytes:
    """Seed 000: a batch's codes for the exhibitor to mail to its customers, each with its
    personal registration link, the batch's label and how long it is valid (event's time)."""
    language = event.language if event else _LANGUAGE_WITHOUT_EVENT
    valid_until: datetime = batch.valid_until
    if event is not None:
        valid_until = valid_until.astimezone(ZoneInfo(event.timezone))
    return _table(
        language,
        "xlsx.vouchers",
        [
            ("code", 22, "text"),
            ("link", 70, "text"),
            ("label", 28, "text"),
            ("valid_until", 18, "datetime"),
        ],
        ([display(code), redeem_url(code, base_url), batch.label, valid_until] for code in codes),
    )


def _table(
    language: Language,
    prefix: str,
    columns: Sequence[tuple[str, float, ColumnKind]],
    rows: Iterable[Sequence[object]],
    **values: object,
) -> bytes:
    """One sheet named ``{prefix}.sheet``, each column titled ``{prefix}.{name}`` (``values``
    fill their placeholders, e.g. the currency of a money column)."""
    return write_table(
        translate(language, f"{prefix}.sheet"),
        [
            Column(translate(language, f"{prefix}.{name}", **values), width, kind)
            for name, width, kind in columns
        ],
        rows,
    )

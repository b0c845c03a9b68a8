"""Tickets and invoices as PDFs: built on first need, kept in S3, built again when missing."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ticketing.domain.banking import format_iban
from ticketing.domain.errors import Conflict, NotFound
from ticketing.domain.invoices import (
    due_date,
    invoice_number,
    missing_for_invoice,
    missing_message,
    retained_until,
    tax_totals,
    transfer_details,
)
from ticketing.domain.orders import Order, Position, parse_ticket_reference, secret_matches
from ticketing.i18n import Language, format_date, format_money, translate
from ticketing.services.throttle import DUMMY_SECRET, UNKNOWN_ORDER_NUMBER, Pause, Throttle

# The views are built only when a document is rendered: not paid for at a function's import.
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.documents.views import InvoiceTransfer, InvoiceView, TicketView
    from ticketing.domain.events import Event
    from ticketing.domain.parties import Organizer
    from ticketing.services.ports import (
        AccessStore,
        Attempts,
        DocumentStore,
        EventStore,
        LinkSecrets,
        OrderStore,
    )

PDF = "application/pdf"
# a download token's shape, for the comparison when there is no ticket to compare with
_DUMMY_TOKEN = f"{UNKNOWN_ORDER_NUMBER}.0000000.{DUMMY_SECRET}"


def ticket_view(
    order: Order, event: Event, position: Position, organizer_name: str = ""
) -> TicketView:
    from ticketing.documents.views import TicketView

    number = next(
        (i for i, p in enumerate(order.positions, 1) if p.position_id == position.position_id), 1
    )
    return TicketView(
        event_name=event.name,
        venue=event.venue,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        language=event.language,
        holder_name=position.holder_name,
        price_option_name=position.price_option_name,
        price=position.price if order.show_price else None,
        currency=order.currency,
        order_number=order.order_number,
        position_id=position.position_id,
        secret=position.secret,
        organizer_name=organizer_name,
        number=number,
        count=len(order.positions),
        answers=tuple((label, text) for label, text in position.printed_answers),
    )


def ticket_key(order: Order, position: Position) -> str:
    return f"tickets/{order.order_number}/{position.position_id}.pdf"


def ticket_filename(position: Position) -> str:
    return f"ticket-{position.position_id}.pdf"


def ticket_pdf(
    docs: DocumentStore, order: Order, event: Event, position: Position, organizer_name: str = ""
) -> bytes:
    """The ticket's PDF from S3, or rendered and stored now if it is missing."""
    key = ticket_key(order, position)
    data = docs.get(key)
    if data is None:
        data = store_ticket_pdf(docs, order, event, position, organizer_name)
    return data


def store_ticket_pdf(
    docs: DocumentStore, order: Order, event: Event, position: Position, organizer_name: str
) -> bytes:
    """The ticket rendered now and kept, over whatever was kept before."""
    from ticketing.documents.pdf import render_ticket

    view = ticket_view(order, event, position, organizer_name)
    data = render_ticket(view, created_at=order.created_at)
    docs.put(ticket_key(order, position), data, PDF)
    return data


def order_ticket_pdfs(
    docs: DocumentStore, order: Order, event: Event, organizer_name: str = ""
) -> list[tuple[Position, bytes]]:
    """Every ticket of the order as PDF. One listing finds which exist; only those are read,
    the others rendered and stored (a new order's first mail writes them all, reads none)."""
    stored = docs.keys_under(f"tickets/{order.order_number}/")
    pdfs = []
    for position in order.positions:
        key = ticket_key(order, position)
        data = docs.get(key) if key in stored else None
        if data is None:
            data = store_ticket_pdf(docs, order, event, position, organizer_name)
        pdfs.append((position, data))
    return pdfs


def ticket_download(
    orders: OrderStore,
    events: EventStore,
    docs: DocumentStore,
    token: str,
    organizers: AccessStore | None = None,
) -> str:
    """A presigned URL (minutes) for the ticket a download token stands for.

    An unknown order and a wrong token take the same work (``NotFound`` for both): the same
    read (of a number no order has, for a malformed token), one constant-time comparison (with
    a dummy token when there is nothing to compare), and the event only for a good token."""
    reference = parse_ticket_reference(token)
    order = orders.get(reference[0] if reference else UNKNOWN_ORDER_NUMBER)
    position = order.position(reference[1]) if order and reference else None
    stored = position.download_token if position is not None else _DUMMY_TOKEN
    valid = secret_matches(token.strip(), stored) and position is not None
    event = events.get(order.event_id) if valid and order is not None else None
    if order is None or position is None or event is None or not valid:
        raise NotFound("unknown ticket link", message_id="problem.ticket_link.unknown")
    key = ticket_key(order, position)
    if not docs.exists(key):
        ticket_pdf(docs, order, event, position, organizer_name(organizers, order))
    return docs.download_url(key, ticket_filename(position))


def organizer_name(organizers: AccessStore | None, order: Order) -> str:
    """The name of the order's organizer, for its tickets; empty when it cannot be read."""
    organizer = organizers.get_organizer(order.organizer_id) if organizers else None
    return organizer.name if organizer else ""


def open_ticket_link(deps: TicketLinks, client: str, token: str, pause: Pause = time.sleep) -> str:
    """:func:`ticket_download` behind the door's throttle: a wrong link counts against the
    client as a guess; a client that guessed too often is refused before any lookup.

    An unknown order and a wrong token take the same work: one read of the ticket's download
    token alone (of a number no order has, for a malformed token) and one constant-time
    comparison (with a dummy token when there is none); the order is read only on a match.
    """
    throttle = Throttle(deps.attempts, deps.clock, client, pause)
    throttle.refuse_if_blocked()
    reference = parse_ticket_reference(token)
    stored = deps.secrets.download_token(
        reference[0] if reference else UNKNOWN_ORDER_NUMBER, token.strip()
    )
    try:
        if not secret_matches(token.strip(), stored or _DUMMY_TOKEN) or stored is None:
            raise NotFound("unknown ticket link", message_id="problem.ticket_link.unknown")
        return ticket_download(deps.orders, deps.events, deps.docs, token, deps.organizers)
    except NotFound as unknown:
        raise throttle.missed(unknown) from None


@dataclass(frozen=True, slots=True)
class TicketLinks:
    """What opening a ticket's download link needs."""

    orders: OrderStore
    events: EventStore
    docs: DocumentStore
    secrets: LinkSecrets
    attempts: Attempts
    clock: Clock
    organizers: AccessStore | None = None  # for the organizer's name on a ticket rendered now


def invoice(
    orders: OrderStore,
    docs: DocumentStore,
    clock: Clock,
    order: Order,
    event: Event,
    organizer: Organizer,
) -> tuple[str, bytes]:
    """The order's invoice: its number taken once from the organizer's gap-free sequence, when
    the invoice is first built (paid or not: an invoice for a transfer is what the customer
    pays by). An organizer without the address and tax id §14 UStG asks for gets ``Conflict``
    naming what is missing, before any number is taken."""
    if order.invoice_number is not None:
        data = docs.get(invoice_key(order, order.invoice_number))
        if data is not None:
            return order.invoice_number, data
    missing = missing_for_invoice(organizer)
    if missing:
        refused = Conflict(missing_message(missing, organizer.organizer_id))
        refused.extensions["missing"] = missing
        raise refused
    now = clock.now()
    number = order.invoice_number or orders.assign_invoice_number(order, _numbering(now.year), now)
    key = invoice_key(order, number)
    data = docs.get(key)
    if data is None:
        from ticketing.documents.invoice_pdf import render_invoice

        invoiced = orders.get_header(order.order_number)
        invoice_date = invoiced.invoiced_at if invoiced and invoiced.invoiced_at else now
        data = render_invoice(invoice_view(order, event, organizer, number, invoice_date))
        # locked for the years the law asks: no bug, nor an erasure, deletes an issued invoice
        docs.put(key, data, PDF, until=retained_until(invoice_date))
    return number, data


def invoice_key(order: Order, number: str) -> str:
    return f"invoices/{order.organizer_id}/{number}.pdf"


def all_tickets_key(order: Order) -> str:
    return f"tickets/{order.order_number}/all.pdf"


def all_tickets_download(
    docs: DocumentStore, order: Order, event: Event, organizer_name: str = ""
) -> str:
    """A presigned URL (minutes) of one PDF with every ticket of the order."""
    key = all_tickets_key(order)
    if not docs.exists(key):
        store_all_tickets_pdf(docs, order, event, organizer_name)
    return docs.download_url(key, f"tickets-{order.order_number}.pdf")


def store_all_tickets_pdf(
    docs: DocumentStore, order: Order, event: Event, organizer_name: str
) -> None:
    """Every ticket of the order in one PDF, rendered now and kept over the one before."""
    from ticketing.documents.pdf import render_tickets

    views = [ticket_view(order, event, p, organizer_name) for p in order.positions]
    docs.put(all_tickets_key(order), render_tickets(views, created_at=order.created_at), PDF)


def _numbering(year: int) -> Callable[[int], str]:
    return lambda sequence: invoice_number(sequence, year)


def invoice_view(
    order: Order, event: Event, organizer: Organizer, number: str, date: datetime
) -> InvoiceView:
    from ticketing.documents.views import Address, InvoiceLine, InvoiceView, TaxRow

    groups: dict[tuple[str, Decimal, Decimal], int] = defaultdict(int)
    names: dict[str, str] = {}
    for position in order.positions:
        groups[(position.price_option, position.price, position.tax_rate)] += 1
        names[position.price_option] = position.price_option_name
    lines = tuple(
        InvoiceLine(
            description=f"{event.name}: {names[option]}",
            quantity=count,
            unit_gross=price,
            tax_rate=rate,
            gross=price * count,
        )
        for (option, price, rate), count in groups.items()
    )
    rows = tuple(TaxRow(t.tax_rate, t.net, t.tax, t.gross) for t in tax_totals(order))
    gross = sum((r.gross for r in rows), Decimal(0))
    if organizer.small_business:
        rows = ()  # §19 UStG: no VAT is charged, so none is shown; the total is what is paid
    customer = order.customer
    return InvoiceView(
        invoice_number=number,
        invoice_date=date,
        order_number=order.order_number,
        order_date=order.created_at,
        event_name=event.name,
        currency=order.currency,
        language=order.language,
        timezone=event.timezone,
        seller=Address(
            name=organizer.name,
            street=organizer.street,
            zip=organizer.zip,
            city=organizer.city,
            country=organizer.country,
            vat_id=organizer.vat_id,
            email=str(organizer.contact_email or organizer.email),
            tax_number=organizer.tax_number,
        ),
        buyer=Address(
            name=customer.full_name,
            street=customer.street,
            zip=customer.zip,
            city=customer.city,
            email=str(customer.email) if customer.email else None,
        ),
        lines=lines,
        tax_rows=rows,
        total_net=sum((r.net for r in rows), Decimal(0)) if rows else gross,
        total_tax=sum((r.tax for r in rows), Decimal(0)),
        total_gross=gross,
        payment_note=payment_note(order),
        service_starts=event.starts_at,
        service_ends=event.ends_at,
        small_business=organizer.small_business,
        payment_terms=payment_terms(order, event, organizer),
        transfer=_invoice_transfer(order, organizer),
    )


def payment_terms(order: Order, event: Event, organizer: Organizer) -> str | None:
    """ "Payable within 14 days, by 18 May 2026, ... reference 12BE-..." for an open transfer;
    "Paid on 4 May 2026." for a paid order; None otherwise (cash on site: the note says it)."""
    language = order.language
    if order.payment_status == "paid" and order.paid_at is not None and order.payment != "free":
        return translate(
            language, "pdf.paid_on", date=format_date(order.paid_at, event.timezone, language)
        )
    if order.payment != "transfer" or order.payment_status == "paid":
        return None
    due = format_date(due_date(order, organizer), event.timezone, language)
    return translate(
        language,
        "pdf.terms_transfer",
        days=organizer.payment_days,
        due=due,
        reference=order.order_number,
    )


def _invoice_transfer(order: Order, organizer: Organizer) -> InvoiceTransfer | None:
    from ticketing.documents.views import InvoiceTransfer

    details = transfer_details(order, organizer)
    if details is None:
        return None
    return InvoiceTransfer(
        details.account_holder, details.iban, details.bic, details.reference, details.amount
    )


def transfer_block(
    order: Order, event: Event, organizer: Organizer | None, language: Language | None = None
) -> dict[str, str] | None:
    """The transfer still to be made, formatted for the confirmation mail and the order page
    (``language``: the order's own by default); None unless the order is an open transfer
    and the organizer has given its bank details."""
    details = transfer_details(order, organizer) if organizer is not None else None
    if details is None:
        return None
    language = language or order.language
    return {
        "account_holder": details.account_holder,
        "iban": format_iban(details.iban),
        "bic": details.bic or "",
        "reference": details.reference,
        "amount": format_money(details.amount, details.currency, language),
        "due": format_date(details.due, event.timezone, language),
    }


def payment_note(order: Order, language: Language | None = None) -> str:
    """How the order is paid, in ``language`` (the order's own by default): "Überweisung:
    offen." / "Cash on site: paid."."""
    language = language or order.language
    if order.payment == "free":
        return translate(language, "payment.free")
    method = translate(language, f"payment.method.{order.payment}")
    state = "paid" if order.payment_status == "paid" else "open"
    return translate(language, f"payment.{state}", method=method)

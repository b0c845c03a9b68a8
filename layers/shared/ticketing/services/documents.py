"""Tickets and invoices as PDFs: built on first need, kept in S3, built again when missing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from ticketing.clock import Clock
from ticketing.documents.pdf import printed_language
from ticketing.documents.views import Address, InvoiceLine, InvoiceView, TaxRow, TicketView
from ticketing.domain.errors import NotFound
from ticketing.domain.events import Event
from ticketing.domain.invoices import invoice_number, tax_totals
from ticketing.domain.orders import Order, Position, parse_ticket_reference, secret_matches
from ticketing.domain.parties import Organizer
from ticketing.i18n import Language, translate
from ticketing.services.ports import DocumentStore, EventStore, OrderStore

PDF = "application/pdf"


def ticket_view(order: Order, event: Event, position: Position) -> TicketView:
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
    )


def ticket_key(order: Order, position: Position) -> str:
    return f"tickets/{order.order_number}/{position.position_id}.pdf"


def ticket_filename(position: Position) -> str:
    return f"ticket-{position.position_id}.pdf"


def ticket_pdf(docs: DocumentStore, order: Order, event: Event, position: Position) -> bytes:
    """The ticket's PDF from S3, or rendered and stored now if it is missing."""
    key = ticket_key(order, position)
    data = docs.get(key)
    if data is None:
        from ticketing.documents.pdf import render_ticket

        data = render_ticket(ticket_view(order, event, position), created_at=order.created_at)
        docs.put(key, data, PDF)
    return data


def order_ticket_pdfs(
    docs: DocumentStore, order: Order, event: Event
) -> list[tuple[Position, bytes]]:
    """Every ticket of the order as PDF. One listing finds which exist; only those are read,
    the others rendered and stored (a new order's first mail writes them all, reads none)."""
    from ticketing.documents.pdf import render_ticket

    stored = docs.keys_under(f"tickets/{order.order_number}/")
    pdfs = []
    for position in order.positions:
        key = ticket_key(order, position)
        data = docs.get(key) if key in stored else None
        if data is None:
            data = render_ticket(ticket_view(order, event, position), created_at=order.created_at)
            docs.put(key, data, PDF)
        pdfs.append((position, data))
    return pdfs


def ticket_download(orders: OrderStore, events: EventStore, docs: DocumentStore, token: str) -> str:
    """A presigned URL (minutes) for the ticket a download token stands for."""
    reference = parse_ticket_reference(token)
    order = orders.get(reference[0]) if reference else None
    position = order.position(reference[1]) if order and reference else None
    event = events.get(order.event_id) if order else None
    if (
        order is None
        or position is None
        or event is None
        or not secret_matches(token.strip(), position.download_token)
    ):
        raise NotFound("unknown ticket link")
    key = ticket_key(order, position)
    if not docs.exists(key):
        ticket_pdf(docs, order, event, position)
    return docs.download_url(key, ticket_filename(position))


def invoice(
    orders: OrderStore,
    docs: DocumentStore,
    clock: Clock,
    order: Order,
    event: Event,
    organizer: Organizer,
) -> tuple[str, bytes]:
    """The order's invoice: its number taken once from the organizer's gap-free sequence."""
    now = clock.now()
    number = order.invoice_number or orders.assign_invoice_number(order, _numbering(now.year), now)
    key = invoice_key(order, number)
    data = docs.get(key)
    if data is None:
        from ticketing.documents.pdf import render_invoice

        invoiced = orders.get_header(order.order_number)
        invoice_date = invoiced.invoiced_at if invoiced and invoiced.invoiced_at else now
        data = render_invoice(invoice_view(order, event, organizer, number, invoice_date))
        docs.put(key, data, PDF)
    return number, data


def invoice_key(order: Order, number: str) -> str:
    return f"invoices/{order.organizer_id}/{number}.pdf"


def all_tickets_download(docs: DocumentStore, order: Order, event: Event) -> str:
    """A presigned URL (minutes) of one PDF with every ticket of the order."""
    key = f"tickets/{order.order_number}/all.pdf"
    if not docs.exists(key):
        from ticketing.documents.pdf import render_tickets

        views = [ticket_view(order, event, p) for p in order.positions]
        docs.put(key, render_tickets(views, created_at=order.created_at), PDF)
    return docs.download_url(key, f"tickets-{order.order_number}.pdf")


def _numbering(year: int) -> Callable[[int], str]:
    return lambda sequence: invoice_number(sequence, year)


def invoice_view(
    order: Order, event: Event, organizer: Organizer, number: str, date: datetime
) -> InvoiceView:
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
            email=str(organizer.email),
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
        total_net=sum((r.net for r in rows), Decimal(0)),
        total_tax=sum((r.tax for r in rows), Decimal(0)),
        total_gross=sum((r.gross for r in rows), Decimal(0)),
        # the note is printed with the invoice, in the language the invoice is printed in
        payment_note=payment_note(order, printed_language(order.language)),
    )


def payment_note(order: Order, language: Language | None = None) -> str:
    """How the order is paid, in ``language`` (the order's own by default): "Überweisung:
    offen." / "Cash on site: paid."."""
    language = language or order.language
    if order.payment == "free":
        return translate(language, "payment.free")
    method = translate(language, f"payment.method.{order.payment}")
    state = "paid" if order.payment_status == "paid" else "open"
    return translate(language, f"payment.{state}", method=method)

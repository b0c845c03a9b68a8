"""The order confirmation: composed from the order when it is sent, tickets attached."""

from __future__ import annotations

from typing import Any

from ticketing.domain.errors import NotFound
from ticketing.i18n import format_datetime, format_money
from ticketing.links import self_service_url, ticket_url
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import Attachment
from ticketing.services.documents import PDF, order_ticket_pdfs, payment_note, ticket_filename
from ticketing.services.ports import DocumentStore, EventStore, OrderStore

# SES takes 10 MB per raw message; base64 grows attachments by a third.
MAX_ATTACHMENT_BYTES = 7 * 1024 * 1024


def compose(
    orders: OrderStore,
    events: EventStore,
    docs: DocumentStore,
    base_url: str,
    request: MailRequest,
) -> tuple[dict[str, Any], list[Attachment]]:
    """Template values and attachments for an order mail. Attachments give way to links when
    together they would pass 7 MB."""
    assert request.order_number is not None
    order = orders.get(request.order_number)
    event = events.get(order.event_id) if order else None
    if order is None or event is None:
        raise NotFound(f"no order {request.order_number}")
    tickets = [
        {
            "position_id": p.position_id,
            "holder": p.holder_name,
            "type": p.price_option_name,
            "url": ticket_url(p.download_token, base_url),
        }
        for p in order.positions
    ]
    attachments: list[Attachment] = []
    if request.template == "order_confirmation":
        size = 0
        for position, data in order_ticket_pdfs(docs, order, event):
            size += len(data)
            attachments.append(Attachment(ticket_filename(position), PDF, data))
        if size > MAX_ATTACHMENT_BYTES:
            attachments = []
    context = {
        "customer_name": order.customer.full_name,
        "event_name": event.name,
        "venue": event.venue,
        "starts_at": format_datetime(event.starts_at, event.timezone, order.language),
        "order_number": order.order_number,
        "quantity": order.quantity,
        "total": format_money(order.total, order.currency, order.language),
        "show_price": order.show_price,
        "payment_note": payment_note(order),
        "self_service_url": self_service_url(
            order.order_number, order.self_service_secret, base_url
        ),
        "tickets": tickets,
        "attached": bool(attachments),
        "delivery": order.delivery,
    }
    return context, attachments

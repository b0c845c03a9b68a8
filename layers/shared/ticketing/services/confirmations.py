"""Mail about an order: composed from the order when it is sent, its documents attached.

The organizer speaks: its name is the sender's display name (with the platform's address),
answers go to its contact address, and its signature and imprint end the mail. A paid order's
confirmation carries its invoice unless the organizer lacks what an invoice needs (then it goes
without: the customer's tickets matter more). Tickets sent by post are not attached. A
registration with an exhibitor's voucher says so and names the exhibitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ticketing.domain.emails import mailbox
from ticketing.domain.errors import Conflict, Forgotten, NotFound
from ticketing.i18n import format_datetime, format_money
from ticketing.links import self_service_url, ticket_url
from ticketing.mail.render import Attachment
from ticketing.observability import logger
from ticketing.services.calendars import calendar_attachment
from ticketing.services.documents import (
    PDF,
    invoice,
    order_ticket_pdfs,
    payment_note,
    ticket_filename,
    transfer_block,
)

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.domain.orders import Order
    from ticketing.domain.parties import Organizer
    from ticketing.mail.messages import MailRequest
    from ticketing.services.ports import AccessStore, DocumentStore, EventStore, OrderStore

# SES takes 10 MB per raw message; base64 grows attachments by a third.
MAX_ATTACHMENT_BYTES = 7 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Composing:
    """What composing an order's mail needs."""

    orders: OrderStore
    events: EventStore
    docs: DocumentStore
    access: AccessStore
    clock: Clock
    base_url: str


def compose(deps: Composing, request: MailRequest) -> tuple[dict[str, Any], list[Attachment]]:
    """Template values and attachments for an order mail. Attachments give way to links when
    together they would pass 7 MB."""
    assert request.order_number is not None
    order = deps.orders.get(request.order_number)
    event = deps.events.get(order.event_id) if order else None
    if order is None or event is None:
        raise NotFound(f"no order {request.order_number}")
    if order.erased and _for_the_customer(order, request):
        raise Forgotten(request.order_number)  # erased after the mail was queued
    organizer = deps.access.get_organizer(order.organizer_id)
    attachments: list[Attachment] = []
    if request.template == "order_confirmation":
        attachments = _attachments(deps, order, event, organizer)
    context = _values(order, event, deps.base_url)
    names = [a.filename for a in attachments]
    context["attached"] = any(name.startswith("ticket-") for name in names)
    context["invoice_attached"] = any(name.startswith("invoice-") for name in names)
    if organizer is not None:
        context.update(speaker(organizer))
    # an open transfer: where to pay, how much, by when, and the reference (issue 11)
    context["transfer"] = transfer_block(order, event, organizer)
    if order.voucher_code or order.exhibitor_id:
        exhibitor = deps.access.get_exhibitor(order.exhibitor_id) if order.exhibitor_id else None
        context["exhibitor_name"] = exhibitor.name if exhibitor else ""
        if request.template == "order_confirmation":
            context["variant"] = "voucher_registration"
    return context, attachments


def _for_the_customer(order: Order, request: MailRequest) -> bool:
    """Whether the mail goes to anyone but the order's submitter (staff who booked it)."""
    staff = mailbox(order.submitter.email) if order.submitter else None
    return any(mailbox(address) != staff for address in request.to)


def _values(order: Order, event: Event, base_url: str) -> dict[str, Any]:
    by_post = order.delivery == "post"
    tickets = [
        {
            "position_id": p.position_id,
            "holder": p.holder_name,
            "type": p.price_option_name,
            "url": ticket_url(p.download_token, base_url),
        }
        for p in order.positions
    ]
    return {
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
        # tickets sent by post are paper: no download links to a second copy either
        "tickets": [] if by_post else tickets,
        "delivery": order.delivery,
    }


def _attachments(
    deps: Composing, order: Order, event: Event, organizer: Organizer | None
) -> list[Attachment]:
    attachments: list[Attachment] = []
    if order.delivery != "post":
        name = organizer.name if organizer else ""
        for position, data in order_ticket_pdfs(deps.docs, order, event, name):
            attachments.append(Attachment(ticket_filename(position), PDF, data))
    bill = _invoice(deps, order, event, organizer)
    if bill is not None:
        attachments.append(bill)
    if sum(len(a.data) for a in attachments) > MAX_ATTACHMENT_BYTES:
        return []
    # the event for the customer's calendar (issue 11): a few hundred bytes, by post too
    attachments.append(calendar_attachment(order, event, organizer, deps.base_url))
    return attachments


def _invoice(
    deps: Composing, order: Order, event: Event, organizer: Organizer | None
) -> Attachment | None:
    """The invoice of an order that costs something; none when the organizer cannot issue
    one yet (its address or tax id missing: a 409 at the invoice route)."""
    if organizer is None or order.payment == "free" or order.total <= 0:
        return None
    try:
        number, data = invoice(deps.orders, deps.docs, deps.clock, order, event, organizer)
    except Conflict as missing:
        logger.warning(
            "confirmation sent without an invoice",
            extra={"order_number": order.order_number, "reason": str(missing)},
        )
        return None
    return Attachment(f"invoice-{number}.pdf", PDF, data)


def speaker(organizer: Organizer) -> dict[str, Any]:
    """The sender's name, where answers go, and the signature: the organizer's own."""
    locality = " ".join(part for part in (organizer.zip, organizer.city) if part)
    address = [line for line in (organizer.street, locality, organizer.country) if line]
    contact = str(organizer.contact_email or organizer.email)
    return {
        "sender_name": organizer.name,
        "reply_to": contact,
        "organizer": {
            "name": organizer.name,
            "address": address,
            "contact_email": contact,
            "website": str(organizer.website) if organizer.website else "",
            "imprint_url": str(organizer.imprint_url) if organizer.imprint_url else "",
            "privacy_url": str(organizer.privacy_url) if organizer.privacy_url else "",
        },
    }

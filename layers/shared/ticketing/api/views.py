"""How orders look in API answers (JSON), and the answer that carries an Excel file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response

from ticketing import links
from ticketing.domain.fields import format_rate
from ticketing.domain.money import format_amount

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.domain.events import Event
    from ticketing.domain.orders import Order
    from ticketing.services.ports import MailFailure
    from ticketing.services.ports_mail import WithheldMail

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def self_service_url(order: Order) -> str:
    """The order's private page, where its customer finds every document."""
    return links.self_service_url(order.order_number, order.self_service_secret)


def ticket_url(token: str) -> str:
    """One ticket's download link."""
    return links.ticket_url(token)


def order_summary(order: Order) -> dict[str, Any]:
    """A line of the booking list (seed 001: Bestellnummer, Kunde, Bestelldatum, PLZ, Anzahl)."""
    return {
        "order_number": order.order_number,
        "event_id": order.event_id,
        "customer": order.customer.full_name,
        "created_at": order.created_at.isoformat(),
        "zip": order.customer.zip,
        "quantity": order.quantity,
        "payment_status": order.payment_status,
        "delivery": order.delivery,
    }


def order_view(
    order: Order,
    event: Event | None = None,
    mail_failures: Sequence[MailFailure] = (),
    withheld: Sequence[WithheldMail] = (),
) -> dict[str, Any]:
    """The order as the API shows it, with its mail that could not be sent (parked) and the
    mail the mail policy withheld (a suppressed address, no consent: issue 15)."""
    body = order.model_dump(
        mode="json", exclude={"positions", "self_service_secret", "organizer_id"}
    )
    body["total"] = format_amount(order.total)
    body["self_service_url"] = self_service_url(order)
    body["positions"] = [
        {
            "id": p.position_id,
            "product": event.name if event else None,
            "type": p.price_option_name,
            "price_option": p.price_option,
            "price": format_amount(p.price),
            "tax_rate": format_rate(p.tax_rate),
            "holder": p.holder_name,
            "answers": p.answers,
            "checked_in_at": p.checked_in_at.isoformat() if p.checked_in_at else None,
            "check_in": "checked in" if p.checked_in_at else "not yet",
        }
        for p in order.positions
    ]
    body["mail_failures"] = [
        {
            "request_id": f.request_id,
            "template": f.template,
            "reason": f.reason,
            "at": f.at.isoformat(),
        }
        for f in mail_failures
    ]
    body["withheld_mails"] = [
        {
            "request_id": w.request_id,
            "template": w.template,
            "mail_class": w.mail_class,
            "address": w.address,
            "outcome": w.outcome,
            "reason": w.reason,
            "at": w.at.isoformat(),
        }
        for w in withheld
    ]
    return body


def xlsx_response(data: bytes, filename: str) -> Response[bytes]:
    return Response(
        status_code=200,
        content_type=XLSX,
        body=data,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

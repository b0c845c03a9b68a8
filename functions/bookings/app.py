"""Bookings outside the shop and the organizer's customer care on orders (seed 001)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ticketing import clock
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.api.caller import caller
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.api.views import (
    local_time,
    order_summary,
    order_view,
    ticket_url,
    xlsx_response,
)
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.orders import BookingRequest
from ticketing.services import bookings, orders

app = make_resolver()
order_store = DynamoOrderStore()
event_store = DynamoEventStore()
mail = SqsMailQueue()

Format = Literal["json", "xlsx"]


def _idempotency_key() -> str | None:
    key = app.current_event.headers.get("Idempotency-Key") or app.current_event.headers.get(
        "idempotency-key"
    )
    if key is not None and not 1 <= len(key.strip()) <= 200:
        raise InvalidRequest("Idempotency-Key must be 1 to 200 characters", "Idempotency-Key")
    return key.strip() if key else None


@app.post("/events/<event_id>/bookings")
def create_booking(event_id: str, request: BookingRequest) -> tuple[dict[str, Any], int]:
    order, event, created = bookings.book(
        order_store,
        event_store,
        mail,
        clock.current(),
        caller(app),
        event_id,
        request,
        _idempotency_key(),
    )
    return order_view(order, event), 201 if created else 200


@app.get("/events/<event_id>/orders")
@binary_answer
def booking_list(
    event_id: str,
    format: Annotated[Format, Query()] = "json",  # the contract's name
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> Any:
    principal = caller(app)
    if format == "xlsx":
        from ticketing.documents.excel import Column, write_table

        event, rows = orders.all_bookings(order_store, event_store, principal, event_id)
        german = event.language == "de"
        columns = [
            Column("Bestellnummer" if german else "Order number", 22),
            Column("Kunde" if german else "Customer", 30),
            Column("Bestelldatum" if german else "Booked at", 18, "datetime"),
            Column("PLZ" if german else "ZIP", 10),
            Column("Anzahl" if german else "Quantity", 10, "number"),
            Column("Zahlung" if german else "Payment", 12),
            Column("Versand" if german else "Delivery", 12),
        ]
        data = write_table(
            "Buchungsliste" if german else "Bookings",
            columns,
            (
                [
                    o.order_number,
                    o.customer.full_name,
                    local_time(event, o),
                    o.customer.zip,
                    o.quantity,
                    o.payment_status,
                    o.delivery,
                ]
                for o in rows
            ),
        )
        return xlsx_response(data, f"bookings-{event_id}.xlsx")
    _, page, next_cursor = orders.booking_list(
        order_store, event_store, principal, event_id, limit, cursor
    )
    return {"orders": [order_summary(o) for o in page], "next_cursor": next_cursor}


@app.get("/events/<event_id>/shipping-list")
def shipping_list(event_id: str) -> dict[str, Any]:
    """Orders to send by post, with the address to print (seed 001: "Versand per Post")."""
    _, rows = orders.all_bookings(order_store, event_store, caller(app), event_id)
    return {
        "orders": [
            {
                "order_number": o.order_number,
                "name": o.customer.full_name,
                "street": o.customer.street,
                "zip": o.customer.zip,
                "city": o.customer.city,
                "quantity": o.quantity,
                "fees": [f.model_dump(mode="json") for f in o.fees],
            }
            for o in rows
            if o.delivery == "post"
        ]
    }


@app.get("/orders")
def search_orders(q: Annotated[str, Query(max_length=200)] = "") -> dict[str, Any]:
    found = orders.search(order_store, caller(app), q)
    return {"orders": [order_summary(o) for o in found]}


@app.get("/orders/<order_number>")
def order_detail(order_number: str) -> dict[str, Any]:
    order, event = orders.order_detail(order_store, event_store, caller(app), order_number)
    return order_view(order, event)


@app.post("/orders/<order_number>/payment")
def mark_paid(order_number: str) -> dict[str, Any]:
    order = orders.mark_paid(order_store, clock.current(), caller(app), order_number)
    return order_view(order, event_store.get(order.event_id))


class Resend(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr | None = Field(
        default=None, description="A corrected address: the order's address becomes this one"
    )


@app.post("/orders/<order_number>/resend")
def resend(
    order_number: str, body: Annotated[Resend | None, Body()] = None
) -> tuple[dict[str, Any], int]:
    corrected = str(body.email) if body is not None and body.email is not None else None
    order = orders.resend_confirmation(
        order_store, mail, clock.current(), caller(app), order_number, corrected
    )
    return {"order_number": order.order_number, "to": order.mail_recipient, "queued": True}, 202


@app.get("/orders/<order_number>/links")
@binary_answer
def direct_links(
    order_number: str,
    format: Annotated[Format, Query()] = "json",  # the contract's name
) -> Any:
    """Seed 001 "Direkt-Links für den Kunden": one download link per ticket."""
    order, event = orders.order_detail(order_store, event_store, caller(app), order_number)
    links = [
        {
            "position_id": p.position_id,
            "holder": p.holder_name,
            "type": p.price_option_name,
            "url": ticket_url(p.download_token),
        }
        for p in order.positions
    ]
    if format == "xlsx":
        from ticketing.documents.excel import Column, write_table

        german = event.language == "de"
        data = write_table(
            "Direkt-Links" if german else "Direct links",
            [
                Column("Bestellnummer" if german else "Order number", 22),
                Column("Ticket-ID" if german else "Ticket ID", 12),
                Column("Inhaber" if german else "Holder", 28),
                Column("Typ" if german else "Type", 20),
                Column("Link", 90),
            ],
            (
                [order.order_number, link["position_id"], link["holder"], link["type"], link["url"]]
                for link in links
            ),
        )
        return xlsx_response(data, f"links-{order.order_number}.xlsx")
    return {"order_number": order.order_number, "links": links}


handler = lambda_handler(app)
__all__ = ["Response", "handler"]

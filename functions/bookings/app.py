"""Bookings outside the shop and the organizer's customer care on orders (seed 001)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.mail_failures import DynamoMailFailures
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.outbox import DynamoOutbox
from ticketing.adapters.person_index import DynamoPersonIndex
from ticketing.adapters.question_store import DynamoQuestionStore
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.adapters.withheld_mails import DynamoWithheldMails
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.api.views import (
    order_summary,
    order_view,
    ticket_url,
    xlsx_response,
)
from ticketing.domain.orders import Attendee, BookingRequest, Order
from ticketing.services import bookings, orders, positions
from ticketing.services.ordering import Ordering
from ticketing.services.ports_mail import WithheldMail

app = make_resolver()
order_store = DynamoOrderStore()
event_store = DynamoEventStore()
mail = SqsMailQueue()
outbox = DynamoOutbox()
transactions = DynamoTransactions()
people = DynamoPersonIndex()  # issue 17: the customer's entry, written with the order
idempotency = DynamoIdempotencyStore()
mail_failures = DynamoMailFailures()
access = DynamoAccessStore()
docs = S3DocumentStore()
withheld = DynamoWithheldMails()
questions = DynamoQuestionStore()

Format = Literal["json", "xlsx"]


def _withheld(order: Order) -> list[WithheldMail]:
    """Mail the mail policy withheld for the order (suppressed address, no consent)."""
    return withheld.for_order(order.order_number)


@app.post(
    "/events/<event_id>/bookings",
    summary="Book tickets outside the shop (free, cash or bank transfer)",
    responses={
        201: {"description": "The order, with its positions"},
        200: {"description": "The order placed before with the same Idempotency-Key"},
        409: {"description": "Sold out, or the first try with this Idempotency-Key still runs"},
    },
)
def create_booking(event_id: str, request: BookingRequest) -> tuple[dict[str, Any], int]:
    ordering = Ordering(order_store, outbox, mail, transactions, clock.current(), people)
    order, event, created = bookings.book(
        bookings.Booking(ordering, event_store, idempotency, questions),
        caller(app),
        event_id,
        request,
        idempotency_key(app),
    )
    if created:  # a new order's confirmation was only just queued
        return order_view(order, event), 201
    return order_view(
        order, event, mail_failures.for_order(order.order_number), _withheld(order)
    ), 200


@app.get(
    "/events/<event_id>/orders",
    summary="The booking list of an event",
    responses={200: answers.json_or_xlsx("The bookings, a page at a time")},
)
@binary_answer
def booking_list(
    event_id: str,
    format: Annotated[Format, Query()] = "json",  # the contract's name
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> Any:
    principal = caller(app)
    if format == "xlsx":
        from ticketing.documents.layouts import booking_list_workbook

        event, rows = orders.all_bookings(order_store, event_store, principal, event_id)
        asked = questions.get(event.event_id).questions  # read once the event is the caller's
        if any(q.scope != "order" for q in asked):
            # the tickets' answers are on the positions: one query per order (header + tickets)
            rows = (order_store.get(o.order_number) or o for o in rows)
        data = booking_list_workbook(
            event, rows, author=_author(event.organizer_id), questions=asked
        )
        return xlsx_response(data, f"bookings-{event_id}.xlsx")
    _, page, next_cursor = orders.booking_list(
        order_store, event_store, principal, event_id, limit, cursor
    )
    return {"orders": [order_summary(o) for o in page], "next_cursor": next_cursor}


@app.get(
    "/events/<event_id>/shipping-list",
    summary="Orders to send by post, with the address to print",
)
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


@app.get("/orders", summary="Find orders by order number or the customer's last name")
def search_orders(
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = orders.SEARCH_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict[str, Any]:
    found, next_cursor = orders.search_page(order_store, caller(app), q, limit, cursor)
    return {"orders": [order_summary(o) for o in found], "next_cursor": next_cursor}


@app.get(
    "/orders/<order_number>",
    summary="An order with its positions, and any of its mail that could not be sent",
)
def order_detail(order_number: str) -> dict[str, Any]:
    order, event = orders.order_detail(order_store, event_store, caller(app), order_number)
    return order_view(order, event, mail_failures.for_order(order.order_number), _withheld(order))


@app.post(
    "/orders/<order_number>/payment",
    summary="Mark an order as paid",
    responses={
        200: {"description": "The paid order"},
        409: {"description": "Paid before"},
    },
)
def mark_paid(order_number: str) -> dict[str, Any]:
    order = orders.mark_paid(order_store, clock.current(), caller(app), order_number)
    event = event_store.get(order.event_id)
    return order_view(order, event, mail_failures.for_order(order.order_number), _withheld(order))


class Resend(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    email: EmailStr | None = Field(
        default=None, description="A corrected address: the order's address becomes this one"
    )


@app.post(
    "/orders/<order_number>/resend",
    summary="Send the confirmation again, to a corrected address if one is given",
    responses={202: {"description": "The mail is queued"}},
)
def resend(
    order_number: str, body: Annotated[Resend | None, Body()] = None
) -> tuple[dict[str, Any], int]:
    corrected = str(body.email) if body is not None and body.email is not None else None
    order = orders.resend_confirmation(
        order_store, mail, clock.current(), caller(app), order_number, corrected
    )
    return {"order_number": order.order_number, "to": order.mail_recipient, "queued": True}, 202


@app.patch(
    "/orders/<order_number>/positions/<position_id>",
    summary="Change the name on one ticket; its PDF is rendered anew",
    responses={
        200: {"description": "The order, the ticket naming the new holder"},
        404: {"description": "No such order, or no such ticket in it"},
        409: {"description": "The ticket was already used at the entrance"},
    },
)
def rename_holder(order_number: str, position_id: str, body: Attendee) -> dict[str, Any]:
    deps = positions.Renaming(order_store, event_store, docs, access)
    order = positions.rename_holder(deps, caller(app), order_number, position_id, body)
    event = event_store.get(order.event_id)
    return order_view(order, event, mail_failures.for_order(order.order_number), _withheld(order))


@app.get(
    "/orders/<order_number>/links",
    summary="Direct download links, one per ticket",
    responses={200: answers.json_or_xlsx("The links")},
)
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
        from ticketing.documents.layouts import direct_links_workbook

        data = direct_links_workbook(event, order, author=_author(event.organizer_id))
        return xlsx_response(data, f"links-{order.order_number}.xlsx")
    return {"order_number": order.order_number, "links": links}


def _author(organizer_id: str) -> str:
    # an Excel file names its organizer as its author
    organizer = access.get_organizer(organizer_id)
    return organizer.name if organizer else ""


handler = lambda_handler(app)
__all__ = ["Response", "handler"]

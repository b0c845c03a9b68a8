"""Seed 001 "Buchung erstellen": staff book tickets for a customer outside the shop, with
the use case of ``POST /events/{event_id}/bookings``. The form carries a one-time key (the
API's Idempotency-Key): a double submit books once. "Fill in with my data" is a submit
button that gives the form back filled with the signed-in user's name and address, so it
works without JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ticketing.api.spoken import detail
from ticketing.console import booking_answers
from ticketing.console.backoffice_forms import (
    FORM_KEY,
    field_errors,
    nested,
    new_form_key,
    rule_error,
    typed,
)
from ticketing.console.pages.orders import STAFF, formats
from ticketing.console.registry import page
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.orders import BookingRequest
from ticketing.services import bookings, events
from ticketing.services.ordering import Ordering

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit
    from ticketing.domain.events import Event
    from ticketing.domain.questions import Question

BOOKING_FORM = "/console/events/{event_id}/bookings/new"
ORDER_PAGE = "/console/orders/{order_number}"
SUBMITTER = ("submitter.company", "submitter.email")
CUSTOMER = tuple(
    f"customer.{name}"
    for name in ("first_name", "last_name", "street", "zip", "city", "phone", "email")
)
ORDER = ("quantity", "price_option", "payment", "delivery")
PAYMENTS = ("free", "cash", "transfer")
DELIVERIES = ("email", "post")


def _form(
    visit: Visit, event: Event, values: dict[str, str], status: int = 200, **more: Any
) -> Answer:
    order_questions, ticket_questions = _asked(visit, event, values)
    return visit.render(
        "backoffice_booking.html",
        status,
        event=event,
        values=values,
        errors=more.pop("errors", {}),
        order_questions=order_questions,
        ticket_questions=ticket_questions,
        attendee_rows=booking_answers.rows(values, ticket_questions),
        payments=PAYMENTS,
        deliveries=DELIVERIES,
        action=BOOKING_FORM.format(event_id=event.event_id),
        **formats(visit, event.timezone),
    )


@page("GET", BOOKING_FORM, kinds=STAFF)
def booking_form(visit: Visit) -> Answer:
    event = events.get_event(visit.stores.events, visit.principal, visit.params["event_id"])
    organizer = visit.stores.access.get_organizer(event.organizer_id)
    values = {
        "submitter.company": organizer.name if organizer else "",
        "submitter.email": str(visit.user.email),
        "quantity": "1",
        "price_option": event.price_options[0].id,
        "show_price": "on",
        FORM_KEY: new_form_key(),
    }
    return _form(visit, event, values)


@page("POST", BOOKING_FORM, kinds=STAFF)
def book(visit: Visit) -> Answer:
    event = events.get_event(visit.stores.events, visit.principal, visit.params["event_id"])
    values = typed(visit.form, (*SUBMITTER, *CUSTOMER, *ORDER, "show_price", FORM_KEY))
    values[FORM_KEY] = values[FORM_KEY] or new_form_key()
    if "fill" in visit.form:  # "fill in with my data": the customer is the signed-in user
        first, _, last = visit.user.name.rpartition(" ")
        values.update(
            {
                "customer.first_name": first or last,
                "customer.last_name": last,
                "customer.email": str(visit.user.email),
            }
        )
        return _form(visit, event, values)
    order_questions, ticket_questions = _asked(visit, event, values)
    count = booking_answers.rows(values, ticket_questions)
    values.update(booking_answers.fields(visit.form, count))
    try:
        body = _request(values)
        body.update(booking_answers.body_parts(values, order_questions, ticket_questions, count))
        request = BookingRequest.model_validate(body)
        order, _, created = bookings.book(
            _booking(visit), visit.principal, event.event_id, request, values[FORM_KEY]
        )
    except ValidationError as invalid:
        return _form(visit, event, values, 422, errors=field_errors(visit.language, invalid))
    except InvalidRequest as refused:
        errors = {
            booking_answers.error_field(k): v
            for k, v in rule_error(visit.language, refused).items()
        }
        if refused.field == "Idempotency-Key":  # sent before with other data: a new form
            values[FORM_KEY] = new_form_key()
            errors = {"": visit.t("console.backoffice.form_used")}
        return _form(visit, event, values, 422, errors=errors)
    except Conflict as refused:  # sold out: said next to the quantity; the event over: above
        where = "quantity" if refused.message_id == "problem.booking.sold_out" else ""
        return _form(visit, event, values, 409, errors={where: detail(visit.language, refused)})
    number = order.order_number
    location = ORDER_PAGE.format(order_number=number)
    if not created:  # the same form sent twice: the first booking stands
        return visit.done(location, "console.backoffice.booked_before", number=number)
    said = {"number": number, "quantity": str(order.quantity), "name": order.customer.full_name}
    visit.record("ORDER", number, "activity.order.booked", **said)
    visit.record("EVENT", event.event_id, "activity.event.booked", **said)
    return visit.done(location, "console.backoffice.booked", **said)


def _asked(
    visit: Visit, event: Event, values: dict[str, str]
) -> tuple[list[Question], list[Question]]:
    """The event's questions the form asks (seed 002): the order's, and each ticket's."""
    form = visit.stores.questions.get(event.event_id)
    return booking_answers.asked(form, event, values.get("price_option", ""))


def _booking(visit: Visit) -> bookings.Booking:
    stores, office = visit.stores, visit.stores.backoffice
    ordering = Ordering(
        stores.orders,
        office.outbox,
        stores.mail,
        office.transactions,
        stores.clock,
        stores.privacy.erasure.people,  # issue 17: the customer's person-index entry
    )
    return bookings.Booking(ordering, stores.events, office.idempotency, stores.questions)


def _request(values: dict[str, str]) -> dict[str, Any]:
    """The API's booking body from the form's fields (empty optional fields left out)."""
    body: dict[str, Any] = {
        "submitter": nested(values, "submitter"),
        "customer": nested(values, "customer"),
        "price_option": values["price_option"],
        "show_price": values.get("show_price") == "on",
    }
    for name in ("payment", "delivery"):
        if values[name]:  # not chosen: "missing", as the API says
            body[name] = values[name]
    quantity = values["quantity"]
    if quantity:
        body["quantity"] = int(quantity) if quantity.isdigit() else quantity
    return body

"""Bookings outside the shop (seed 001, "Buchungen erstellen")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.answers import Answers, printed
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.identity import Principal, Role
from ticketing.domain.invoices import order_total
from ticketing.domain.orders import (
    BookingRequest,
    Order,
    initial_payment_status,
    new_self_service_secret,
    positions_for,
    postage_fees,
    unit_price_for,
)
from ticketing.observability import count
from ticketing.services.event_times import refuse_if_over
from ticketing.services.idempotency import Once
from ticketing.services.ordering import Ordering, Replayed, SoldOut, place_order
from ticketing.services.roles import owned_event, require

if TYPE_CHECKING:
    from ticketing.domain.events import Event, PriceOption
    from ticketing.services.ports import EventStore, IdempotencyStore
    from ticketing.services.ports_questions import QuestionStore


@dataclass(frozen=True, slots=True)
class Booking:
    ordering: Ordering
    events: EventStore
    idempotency: IdempotencyStore
    questions: QuestionStore


def book(
    deps: Booking,
    principal: Principal,
    event_id: str,
    request: BookingRequest,
    idempotency_key: str | None = None,
) -> tuple[Order, Event, bool]:
    """Create the order, take its places and ask for the confirmation mail.

    Returns the order, its event, and whether it was created now (False: a retry with the
    same Idempotency-Key, answered with the order made the first time).
    """
    require(principal, Role.ORGANIZER)
    event = owned_event(deps.events, principal, event_id)
    refuse_if_over(event, deps.ordering.clock.now(), "problem.booking.event_over")
    # the same body sent to another event is another booking
    once = Once.of(
        deps.idempotency,
        event.organizer_id,
        "booking",
        idempotency_key,
        f"{event_id}\n{request.model_dump_json()}",
    )
    earlier = once.earlier()
    if earlier is not None:
        return _first(deps, earlier), event, False
    option = _bookable(event, request)
    answers, per_ticket, printed = _answered(deps, event, request)
    now = deps.ordering.clock.now()
    unit_price = unit_price_for(request.payment, option.price)

    def build(number: str) -> Order:
        draft = Order.for_event(
            event,
            number,
            now,
            submitter=request.submitter,
            customer=request.customer,
            quantity=request.quantity,
            price_option=option.id,
            payment=request.payment,
            payment_status=initial_payment_status(request.payment),
            delivery=request.delivery,
            show_price=request.show_price,
            notify_customer=request.notify_customer,
            notify_submitter=request.notify_submitter,
            total=unit_price * request.quantity,
            fees=postage_fees(request.delivery),
            positions=positions_for(
                number,
                request.quantity,
                option.id,
                option.name,
                unit_price,
                option.tax_rate,
                request.customer.full_name,
                holder_names=[attendee.full_name for attendee in request.attendees],
            ),
            self_service_secret=new_self_service_secret(),
            answers=answers,
        )
        for position, own, lines in zip(draft.positions, per_ticket, printed, strict=True):
            position.answers, position.printed_answers = own, lines
        return draft.model_copy(update={"total": order_total(draft)})

    try:
        order = place_order(deps.ordering, event, build, once=once)
    except Replayed as twin:
        return _first(deps, twin.order_number), event, False
    except SoldOut:
        fresh = deps.events.get(event_id)
        raise sold_out(fresh.remaining if fresh else 0, request.quantity) from None
    count("BookingsPlaced")
    return order, event, True


def _bookable(event: Event, request: BookingRequest) -> PriceOption:
    """The price option booked, once the request fits the event."""
    option = event.price_option(request.price_option)
    if option is None:
        choices = ", ".join(o.id for o in event.price_options)
        raise InvalidRequest(
            f"unknown price option {request.price_option!r}; choose one of: {choices}",
            field="price_option",
            message_id="problem.booking.unknown_price_option",
            params={"option": repr(request.price_option), "choices": choices},
        )
    if request.delivery == "email" and request.notify_customer and not request.customer.email:
        raise InvalidRequest(
            "delivery by e-mail needs the customer's e-mail address "
            "(or notify_customer false to send it to the submitter)",
            field="customer.email",
            message_id="problem.booking.email_needed",
        )
    if request.attendees and len(request.attendees) != request.quantity:
        raise InvalidRequest(
            f"attendees names {len(request.attendees)} people for {request.quantity} tickets: "
            "give one per ticket, or none to name the customer on every ticket",
            field="attendees",
            message_id="problem.booking.attendees_count",
            params={"attendees": len(request.attendees), "quantity": request.quantity},
        )
    if request.quantity > event.remaining:
        raise sold_out(event.remaining, request.quantity)
    return option


def _answered(
    deps: Booking, event: Event, request: BookingRequest
) -> tuple[Answers, list[Answers], list[list[tuple[str, str]]]]:
    """The booking's answers to the order's questions, each ticket's, and what each ticket
    prints of them (422 naming the first answer refused)."""
    from ticketing.services.questions import order_answers, ticket_answers

    form = deps.questions.get(event.event_id)
    given = [attendee.answers for attendee in request.attendees]
    answers = order_answers(form, request.answers)
    per_ticket = ticket_answers(form, event, request.price_option, given, request.quantity)
    lines = [printed(form.questions, {**answers, **own}, event.language) for own in per_ticket]
    return answers, per_ticket, lines


def sold_out(left: int, quantity: int) -> Conflict:
    """Too few places left: one answer (409) whether seen before booking or lost in a race."""
    refused = Conflict(
        f"only {left} tickets are left for this event; {quantity} were asked for",
        message_id="problem.booking.sold_out",
        params={"left": left, "quantity": quantity},
    )
    refused.extensions.update(remaining=left, requested=quantity)
    return refused


def _first(deps: Booking, order_number: str) -> Order:
    first = deps.ordering.orders.get(order_number)
    if first is None:
        raise Conflict("the booking for this Idempotency-Key is still being written; retry")
    return first

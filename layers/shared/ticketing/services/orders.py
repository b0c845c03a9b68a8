"""The organizer's customer care on orders: find, read, mark paid, resend, direct links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.orders import Order, normalize_order_number, search_key
from ticketing.services.events import decode_cursor, encode_cursor
from ticketing.services.ordering import confirmation_request
from ticketing.services.roles import owned_event, require

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.services.ports import EventStore, MailQueue, OrderPages, OrderStore

SEARCH_LIMIT = 50


def owned_order(orders: OrderStore, principal: Principal, order_number: str) -> Order:
    """The whole order (with positions) if the caller's tenant owns it; NotFound otherwise."""
    require(principal, Role.ORGANIZER)
    number = normalize_order_number(order_number)
    order = orders.get(number) if number else None
    if order is None or not principal.owns(order.organizer_id):
        raise NotFound(f"no order {order_number}")
    return order


def search(orders: OrderStore, principal: Principal, query: str) -> list[Order]:
    """The first page of :func:`search_page`."""
    found, _ = search_page(orders, principal, query, SEARCH_LIMIT, None)
    return found


def search_page(
    orders: OrderStore, principal: Principal, query: str, limit: int, cursor: str | None
) -> tuple[list[Order], str | None]:
    """Seed 001: by order number, or by the customer's last name (at least two letters; case
    and accents do not matter, so ``muller`` finds ``Müller``); a page of ``limit`` orders
    after ``cursor``, and the cursor to the next page (None on the last)."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    number = normalize_order_number(query)
    if number is not None:
        order = orders.get_header(number)
        if order is None or not principal.owns(order.organizer_id) or cursor:
            return [], None
        return [order], None
    key = search_key(query)
    if len(key) < 2:
        raise InvalidRequest(
            "type an order number or at least two letters of the last name", field="q"
        )
    found, last = orders.search_last_name(principal.organizer_id, key, limit, decode_cursor(cursor))
    return found, encode_cursor(last)


def booking_list(
    orders: OrderStore,
    events: EventStore,
    principal: Principal,
    event_id: str,
    limit: int,
    cursor: str | None,
) -> tuple[Event, list[Order], str | None]:
    """A page of the event's bookings, newest first."""
    require(principal, Role.ORGANIZER)
    event = owned_event(events, principal, event_id)
    page, last = orders.list_for_event(event_id, limit, decode_cursor(cursor))
    return event, page, encode_cursor(last)


def all_bookings(
    orders: OrderStore, events: EventStore, principal: Principal, event_id: str
) -> tuple[Event, Iterator[Order]]:
    """Every booking of the event, newest first, read page by page (for Excel lists)."""
    require(principal, Role.ORGANIZER)
    event = owned_event(events, principal, event_id)
    return event, every_order(orders, event_id)


def every_order(orders: OrderPages, event_id: str) -> Iterator[Order]:
    """All orders of an event, newest first, one page in memory at a time."""
    cursor: dict[str, object] | None = None
    while True:
        page, cursor = orders.list_for_event(event_id, 500, cursor)
        yield from page
        if cursor is None:
            return


def order_detail(
    orders: OrderStore, events: EventStore, principal: Principal, order_number: str
) -> tuple[Order, Event]:
    order = owned_order(orders, principal, order_number)
    event = events.get(order.event_id)
    if event is None:
        raise NotFound(f"no order {order_number}")
    return order, event


def mark_paid(orders: OrderStore, clock: Clock, principal: Principal, order_number: str) -> Order:
    """Cash or transfer received: open -> paid, once."""
    order = owned_order(orders, principal, order_number)
    if order.payment_status == "paid" or not orders.mark_paid(order.order_number, clock.now()):
        raise Conflict(f"order {order.order_number} is already paid")
    fresh = orders.get(order.order_number)
    assert fresh is not None
    return fresh


def resend_confirmation(
    orders: OrderStore,
    mail: MailQueue,
    clock: Clock,
    principal: Principal,
    order_number: str,
    corrected_email: str | None = None,
) -> Order:
    """Seed 001 "Mail erneut versenden": the confirmation again, with its documents; to a
    corrected address if one is given (the order keeps it, and a record of the change)."""
    order = owned_order(orders, principal, order_number)
    if corrected_email is not None:
        corrected_email = valid_email(corrected_email)
    if corrected_email is not None and corrected_email != order.mail_recipient:
        orders.change_email(order, corrected_email, clock.now(), principal.key_id)
        fresh = orders.get(order.order_number)
        assert fresh is not None
        order = fresh
    stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
    # asked for by a person who waits for the answer: a queue failure is reported, not parked
    mail.enqueue(confirmation_request(order, f"resend-{order.order_number}-{stamp}", "resend"))
    return order


def valid_email(text: str) -> str:
    """``text`` as an e-mail address (as the API's body checks it); 422 on ``email`` if not."""
    from pydantic import EmailStr, TypeAdapter, ValidationError

    try:
        return str(TypeAdapter(EmailStr).validate_python(text.strip()))
    except ValidationError:
        raise InvalidRequest(
            "email must be an e-mail address such as name@example.org",
            field="email",
            message_id="problem.field.email",
        ) from None

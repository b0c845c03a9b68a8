"""Bookings outside the shop (seed 001, "Buchungen erstellen")."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

from ticketing.clock import Clock
from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.events import Event
from ticketing.domain.identity import Principal, Role
from ticketing.domain.invoices import order_total
from ticketing.domain.orders import (
    BookingRequest,
    Order,
    initial_payment_status,
    new_order_number,
    new_self_service_secret,
    order_prefix,
    positions_for,
    postage_fees,
    unit_price_for,
)
from ticketing.mail.messages import MailRequest
from ticketing.observability import logger
from ticketing.services.ports import (
    CapacityExhausted,
    EventStore,
    IdempotentReplay,
    MailQueue,
    OrderNumberTaken,
    OrderStore,
)
from ticketing.services.roles import require

NUMBER_ATTEMPTS = 5


def owned_event(events: EventStore, principal: Principal, event_id: str) -> Event:
    event = events.get(event_id)
    if event is None or not principal.owns(event.organizer_id):
        raise NotFound(f"no event {event_id}")
    return event


def confirmation_request(order: Order, request_id: str) -> MailRequest:
    return MailRequest(
        template="order_confirmation",
        to=[order.mail_recipient],
        language=order.language,
        request_id=request_id,
        order_number=order.order_number,
    )


def book(
    orders: OrderStore,
    events: EventStore,
    mail: MailQueue,
    clock: Clock,
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
    event = owned_event(events, principal, event_id)
    # The key and the request it stands for, event included: the same body sent to another
    # event is another booking.
    request_hash = hashlib.sha256(f"{event_id}\n{request.model_dump_json()}".encode()).hexdigest()
    if idempotency_key is not None:
        # A retry is answered before any check: the places it took may be the last ones.
        earlier = orders.replay(event.organizer_id, idempotency_key)
        if earlier is not None:
            return _replayed(orders, event, earlier[0], earlier[1], request_hash)
    option = event.price_option(request.price_option)
    if option is None:
        choices = ", ".join(o.id for o in event.price_options)
        raise InvalidRequest(
            f"unknown price option {request.price_option!r}; choose one of: {choices}",
            field="price_option",
        )
    if request.delivery == "email" and request.notify_customer and not request.customer.email:
        raise InvalidRequest(
            "delivery by e-mail needs the customer's e-mail address "
            "(or notify_customer false to send it to the submitter)",
            field="customer.email",
        )
    if request.quantity > event.remaining:
        raise InvalidRequest(
            f"only {event.remaining} tickets are left for this event", field="quantity"
        )
    now = clock.now()
    booked_on = now.astimezone(ZoneInfo(event.timezone)).date()
    unit_price = unit_price_for(request.payment, option.price)

    for _ in range(NUMBER_ATTEMPTS):
        number = new_order_number(order_prefix(event.organizer_id), booked_on)
        positions = positions_for(
            number,
            request.quantity,
            option.id,
            option.name,
            unit_price,
            option.tax_rate,
            request.customer.full_name,
        )
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
            total=unit_price * request.quantity,
            fees=postage_fees(request.delivery),
            positions=positions,
            self_service_secret=new_self_service_secret(),
        )
        order = draft.model_copy(update={"total": order_total(draft)})
        confirmation = confirmation_request(order, f"confirm-{number}")
        pending = orders.outbox_entry(
            order, confirmation.request_id, confirmation.model_dump_json()
        )
        try:
            orders.place(order, event.capacity, idempotency_key, request_hash, pending)
        except OrderNumberTaken:
            continue
        except CapacityExhausted:
            fresh = events.get(event_id)
            left = fresh.remaining if fresh else 0
            raise Conflict(
                f"the event sold out meanwhile: {left} tickets are left, "
                f"{request.quantity} were asked for"
            ) from None
        except IdempotentReplay as replay:
            # a concurrent twin with the same key won the race
            return _replayed(orders, event, replay.order_number, replay.request_hash, request_hash)
        hand_over(orders, mail, confirmation, pending)
        return order, event, True
    raise Conflict("could not find a free order number; please retry")


def _replayed(
    orders: OrderStore, event: Event, order_number: str, stored_hash: str, request_hash: str
) -> tuple[Order, Event, bool]:
    if stored_hash != request_hash:
        raise InvalidRequest(
            "this Idempotency-Key was used for a different booking; use a new key",
            field="Idempotency-Key",
        )
    first = orders.get(order_number)
    if first is None:
        raise Conflict("the booking for this Idempotency-Key is still being written; retry")
    return first, event, False


def hand_over(
    orders: OrderStore, mail: MailQueue, request: MailRequest, pending: dict[str, object]
) -> None:
    """Queue the mail and clear its pending entry. Should the queue fail, the entry stays and
    the mail recovery schedule queues it later: the order exists, the mail is not lost."""
    try:
        mail.enqueue(request)
    except Exception:  # noqa: BLE001 - whatever failed, the pending entry keeps the mail
        logger.exception("mail queue unavailable; the recovery schedule will send it")
        return
    try:
        orders.remove_pending(dict(pending))
    except Exception:  # noqa: BLE001
        # harmless: the sweeper queues it again and the mailer drops the repeat
        logger.exception("pending mail entry not removed")

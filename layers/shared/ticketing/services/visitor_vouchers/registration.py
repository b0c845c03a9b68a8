"""A visitor redeems a voucher by registering online: a free ticket in their own name."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ticketing.domain.emails import mailbox
from ticketing.domain.errors import Conflict, Expired, NotFound
from ticketing.domain.events import Event
from ticketing.domain.orders import Customer, Order, new_self_service_secret, positions_for
from ticketing.domain.visitor_vouchers import Registration, RegistrationForm, VisitorVoucher
from ticketing.domain.voucher_codes import canonical
from ticketing.observability import count
from ticketing.services.ordering import Ordering, SoldOut, place_order
from ticketing.services.ports import (
    Attempts,
    EventStore,
    ExhibitorFigures,
    Part,
    VisitorVoucherStore,
    WriteRefused,
)
from ticketing.services.throttle import Pause, Throttle

UNKNOWN_CODE = "This voucher code is not valid. Please check it for typos."
USED = "This voucher code has already been used."
FREE = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class RegistrationDesk:
    """What a registration needs."""

    ordering: Ordering
    vouchers: VisitorVoucherStore
    figures: ExhibitorFigures
    events: EventStore
    attempts: Attempts


@dataclass(frozen=True, slots=True)
class Registered:
    order: Order
    event: Event


def register(
    deps: RegistrationDesk,
    client: str,
    typed_code: str,
    form: RegistrationForm,
    pause: Pause = time.sleep,
) -> Registered:
    """Redeem the voucher ``typed_code`` for the person of ``form``, once.

    Unknown, malformed and other events' codes answer alike; each of those counts against
    the client as a possible guess. A visitor told that their code is used is not guessing.
    """
    code = canonical(typed_code)
    if code is None:
        raise NotFound(UNKNOWN_CODE)  # a typo: refused before any lookup
    throttle = Throttle(deps.attempts, deps.ordering.clock, client, pause)
    now = throttle.now
    voucher = deps.vouchers.get_voucher(code)
    event = deps.events.get(voucher.event_id) if voucher else None
    if (
        voucher is None
        or event is None
        or (form.event_id is not None and form.event_id != voucher.event_id)
    ):
        raise throttle.missed(NotFound(UNKNOWN_CODE))
    _check_usable(voucher, now)
    option = event.price_option(event.voucher_price_option or "") or event.price_options[0]
    customer = Customer(
        first_name=form.first_name,
        last_name=form.last_name,
        email=form.email,
        company=form.company,
    )

    def build(number: str) -> Order:
        return Order.for_event(
            event,
            number,
            now,
            customer=customer,
            quantity=1,
            price_option=option.id,
            payment="free",
            payment_status="paid",
            delivery="email",
            show_price=False,
            notify_customer=True,
            total=FREE,
            positions=positions_for(
                number, 1, option.id, option.name, FREE, option.tax_rate, customer.full_name
            ),
            self_service_secret=new_self_service_secret(),
            voucher_code=code,
            exhibitor_id=voucher.exhibitor_id,
        )

    def redeemed_with(order: Order) -> list[Part]:
        registration = Registration(
            code=code,
            first_name=form.first_name,
            last_name=form.last_name,
            email=str(form.email),
            company=form.company,
            order_number=order.order_number,
            redeemed_at=now,
        )
        return [
            *deps.vouchers.registration(voucher, registration, mailbox(str(form.email))),
            deps.figures.counted(voucher.exhibitor_id, "redeemed", 1),
            throttle.guard(),
        ]

    try:
        order = place_order(deps.ordering, event, build, also=redeemed_with)
    except SoldOut:
        raise Conflict("The event is fully booked; no more tickets can be issued.") from None
    except WriteRefused as refused:
        raise _refusal(deps, throttle, code, refused) from None
    count("Registrations")
    return Registered(order, event)


def _check_usable(voucher: VisitorVoucher, now: datetime) -> None:
    if voucher.state == "redeemed":
        raise Conflict(USED)
    if voucher.state == "expired" or voucher.valid_until <= now:
        raise _expired(voucher)
    if voucher.valid_from is not None and now < voucher.valid_from:
        raise Conflict(
            "This voucher is not yet valid; it can be redeemed from "
            f"{voucher.valid_from:%Y-%m-%d %H:%M}."
        )


def _refusal(
    deps: RegistrationDesk, throttle: Throttle, code: str, refused: WriteRefused
) -> Exception:
    if "attempts" in refused.labels:
        return throttle.refused()
    if "claim" in refused.labels:
        return Conflict(
            "This e-mail address already has a voucher ticket for this event: "
            "one person can redeem one voucher."
        )
    # the voucher changed meanwhile: used by another visitor, or expired by the sweep
    now_voucher = deps.vouchers.get_voucher(code)
    if now_voucher is not None and now_voucher.state == "expired":
        return _expired(now_voucher)
    return Conflict(USED)


def _expired(voucher: VisitorVoucher) -> Expired:
    return Expired(f"This voucher expired on {voucher.valid_until:%Y-%m-%d}.")

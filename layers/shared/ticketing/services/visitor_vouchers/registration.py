"""A visitor redeems a voucher by registering online: a free ticket in their own name."""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ticketing.domain.answers import Answers, checked_answers, printed
from ticketing.domain.emails import mailbox
from ticketing.domain.errors import Conflict, Expired, NotFound
from ticketing.domain.orders import Customer, Order, new_self_service_secret, positions_for
from ticketing.domain.visitor_vouchers import (
    Registration,
    RegistrationForm,
    VisitorVoucher,
    namesake,
)
from ticketing.domain.voucher_codes import canonical
from ticketing.observability import count
from ticketing.services.event_times import refuse_if_over
from ticketing.services.ordering import Ordering, SoldOut, place_order
from ticketing.services.parts import Part, WriteRefused
from ticketing.services.throttle import Pause, Throttle

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from ticketing.domain.events import Event
    from ticketing.services.ports import Attempts, EventStore, ExhibitorFigures, VisitorVoucherStore
    from ticketing.services.ports_questions import QuestionStore

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
    questions: QuestionStore


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
        raise NotFound(UNKNOWN_CODE, message_id="problem.voucher.unknown")  # a typo
    throttle = Throttle(deps.attempts, deps.ordering.clock, client, pause)
    throttle.refuse_if_blocked()
    now = throttle.now
    voucher = deps.vouchers.get_voucher(code)
    event = deps.events.get(voucher.event_id) if voucher else None
    if (
        voucher is None
        or event is None
        or (form.event_id is not None and form.event_id != voucher.event_id)
    ):
        raise throttle.missed(NotFound(UNKNOWN_CODE, message_id="problem.voucher.unknown"))
    _check_usable(voucher, now)
    refuse_if_over(event, now, "problem.voucher.event_over")
    asked = deps.questions.get(event.event_id)
    answers = checked_answers(asked.of_order(), form.answers, "answers")
    lines = printed(asked.questions, answers, event.language)
    build = _free_ticket(event, voucher, form, now, (answers, lines))

    named = namesake(form.first_name, form.last_name, form.company)
    earlier = [deps.vouchers.namesake(voucher.event_id, named)]  # as it is for this commit

    def redeemed_with(order: Order) -> list[Part]:
        registration = Registration(
            code=code,
            first_name=form.first_name,
            last_name=form.last_name,
            email=str(form.email),
            company=form.company,
            order_number=order.order_number,
            redeemed_at=now,
            possible_duplicate=earlier[0] is not None,
            contact_consent=form.contact_consent,
            answers=answers,
        )
        claimant = mailbox(str(form.email))
        return [
            *deps.vouchers.registration(voucher, registration, claimant, named),
            deps.figures.counted(voucher.exhibitor_id, "redeemed", 1),
            *throttle.guard(),
        ]

    for last_try in (False, True):
        try:
            order = place_order(deps.ordering, event, build, also=redeemed_with)
            break
        except SoldOut:
            raise Conflict(
                "The event is fully booked; no more tickets can be issued.",
                message_id="problem.voucher.fully_booked",
            ) from None
        except WriteRefused as refused:
            if refused.labels != ["namesake"] or last_try:
                raise _refusal(deps, throttle, code, refused) from None
            # a namesake registered meanwhile: this one is a possible duplicate after all
            earlier[0] = deps.vouchers.namesake(voucher.event_id, named)
    if earlier[0] is not None:
        # the earlier registration is flagged after the commit (a second write, not in it)
        deps.vouchers.mark_possible_duplicate(earlier[0])
    count("Registrations")
    return Registered(order, event)


def _free_ticket(
    event: Event,
    voucher: VisitorVoucher,
    form: RegistrationForm,
    now: datetime,
    answered: tuple[Answers, list[tuple[str, str]]],
) -> Callable[[str], Order]:
    """How the visitor's free, personal ticket is built once its number is drawn."""
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
            positions=[
                p.model_copy(update={"printed_answers": answered[1]})
                for p in positions_for(
                    number, 1, option.id, option.name, FREE, option.tax_rate, customer.full_name
                )
            ],
            self_service_secret=new_self_service_secret(),
            voucher_code=voucher.code,
            exhibitor_id=voucher.exhibitor_id,
            answers=answered[0],
        )

    return build


def _check_usable(voucher: VisitorVoucher, now: datetime) -> None:
    if voucher.state == "redeemed":
        raise Conflict(USED, message_id="problem.voucher.used")
    if voucher.state == "expired" or voucher.valid_until <= now:
        raise _expired(voucher)
    if voucher.valid_from is not None and now < voucher.valid_from:
        raise Conflict(
            "This voucher is not yet valid; it can be redeemed from "
            f"{voucher.valid_from:%Y-%m-%d %H:%M}.",
            message_id="problem.voucher.not_yet_valid",
            params={"valid_from": voucher.valid_from},
        )


def _refusal(
    deps: RegistrationDesk, throttle: Throttle, code: str, refused: WriteRefused
) -> Exception:
    # the voucher and the claim first: a part another commit holds at the moment is named too
    # (DynamoDB's TransactionConflict), and a visitor's own used code is no guess to refuse
    if "attempts" in refused.labels and not {"voucher", "claim"} & set(refused.labels):
        return throttle.refused()
    if "claim" in refused.labels:
        return Conflict(
            "This e-mail address already has a voucher ticket for this event: "
            "one person can redeem one voucher.",
            message_id="problem.voucher.claim_taken",
        )
    # the voucher changed meanwhile: used by another visitor, or expired by the sweep
    now_voucher = deps.vouchers.get_voucher(code)
    if now_voucher is not None and now_voucher.state == "expired":
        return _expired(now_voucher)
    return Conflict(USED, message_id="problem.voucher.used")


def _expired(voucher: VisitorVoucher) -> Expired:
    return Expired(
        f"This voucher expired on {voucher.valid_until:%Y-%m-%d}.",
        message_id="problem.voucher.expired",
        params={"date": voucher.valid_until.date()},
    )

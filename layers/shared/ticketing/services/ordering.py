"""Placing an order: the one routine that bookings and voucher registrations share.

An order is placed in one commit: its places (within capacity), its number (free), its
positions, its pending confirmation mail (and the submitter's copy, when asked for), the
idempotency record, and whatever the caller adds (a visitor voucher registered, a claim, a
guard against guessing). After the commit the
confirmation is handed to the mail queue; should that fail, the pending entry stays and the
recovery schedule queues it later: the order exists, its mail is not lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.domain.errors import Conflict
from ticketing.domain.orders import Order, new_order_number, order_prefix
from ticketing.mail.messages import MailClass, MailRequest
from ticketing.services.outbox import hand_over
from ticketing.services.parts import Part, WriteRefused

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.services.idempotency import Once
    from ticketing.services.ports import MailQueue, OrderStore, Outbox, Transactions
    from ticketing.services.ports_privacy import PersonIndex

NUMBER_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Ordering:
    """What placing an order needs."""

    orders: OrderStore
    outbox: Outbox
    mail: MailQueue
    transactions: Transactions
    clock: Clock
    # issue 17: the customer's entry in the person index, written with the order
    people: PersonIndex | None = None


class SoldOut(Exception):
    """The event has fewer places left than the order asks for."""


class Replayed(Exception):
    """A concurrent request with the same Idempotency-Key placed the order first."""

    def __init__(self, order_number: str) -> None:
        super().__init__(order_number)
        self.order_number = order_number


def confirmation_request(
    order: Order, request_id: str, mail_class: MailClass = "confirmation"
) -> MailRequest:
    return MailRequest(
        template="order_confirmation",
        mail_class=mail_class,
        organizer_id=order.organizer_id,
        to=[order.mail_recipient],
        language=order.language,
        request_id=request_id,
        order_number=order.order_number,
    )


def copy_request(order: Order) -> MailRequest | None:
    """The submitter's copy of the confirmation, when it asked for one."""
    recipient = order.copy_recipient
    if recipient is None:
        return None
    return MailRequest(
        template="order_confirmation",
        organizer_id=order.organizer_id,
        to=[recipient],
        language=order.language,
        request_id=f"copy-{order.order_number}",
        order_number=order.order_number,
    )


def place_order(
    deps: Ordering,
    event: Event,
    build: Callable[[str], Order],
    also: Callable[[Order], Sequence[Part]] | None = None,
    once: Once | None = None,
) -> Order:
    """Place the order ``build`` makes for a free order number, all or nothing.

    ``also`` gives the caller's own parts for the order (a voucher registered with it).
    Raises ``SoldOut``, ``Replayed`` (a twin with the same key won), or ``WriteRefused``
    naming those of the caller's parts whose conditions failed.
    """
    booked_on = deps.clock.now().astimezone(ZoneInfo(event.timezone)).date()
    for _ in range(NUMBER_ATTEMPTS):
        order = build(new_order_number(order_prefix(event.organizer_id), booked_on))
        extra = list(also(order)) if also else []
        own = {part.label for part in extra}
        confirmation = confirmation_request(order, f"confirm-{order.order_number}")
        mails = [confirmation, *filter(None, [copy_request(order)])]
        pending = [deps.outbox.pending(m, order.created_at, order.order_number) for m in mails]
        claim = once.claim(order.order_number, order.created_at) if once else []
        person = _person_entry(deps, order)
        try:
            parts = deps.orders.placement(order, event.capacity)
            outgoing = [deps.outbox.part_of(p) for p in pending]
            deps.transactions.commit([*parts, *outgoing, *extra, *claim, *person])
        except WriteRefused as refused:
            twin = once.after(refused) if once else None
            if twin is not None:
                raise Replayed(twin) from None
            mine = [label for label in refused.labels if label in own]
            if mine:
                raise WriteRefused(mine) from None
            if "capacity" in refused.labels:
                raise SoldOut() from None
            if "order" in refused.labels:
                continue  # the order number was taken: draw another
            raise
        for mail in pending:
            hand_over(deps.outbox, deps.mail, mail)
        return order
    raise Conflict("could not find a free order number; please retry")


def _person_entry(deps: Ordering, order: Order) -> list[Part]:
    """The order under its customer's address in the person index (erasure reads it)."""
    if deps.people is None or order.customer.email is None:
        return []
    return [deps.people.entry(order.organizer_id, str(order.customer.email), order.order_number)]

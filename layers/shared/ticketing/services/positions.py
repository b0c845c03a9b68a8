"""One ticket of an order: the organizer changes the name it carries (issue 11).

A ticket is valid only for the person it names, so a change of attendee is a change of name on
that ticket alone: one conditional write on its position item (refused once the ticket was
used at the entrance), then its PDF is rendered anew over the kept one, so that the next
download and the next mail show the new name. The order's "all tickets" PDF, where one was
kept, is rendered anew as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import Conflict, NotFound
from ticketing.services.documents import (
    all_tickets_key,
    organizer_name,
    store_all_tickets_pdf,
    store_ticket_pdf,
)
from ticketing.services.orders import owned_order

if TYPE_CHECKING:
    from ticketing.domain.identity import Principal
    from ticketing.domain.orders import Attendee, Order
    from ticketing.services.ports import AccessStore, DocumentStore, EventStore, OrderStore


@dataclass(frozen=True, slots=True)
class Renaming:
    """What changing a ticket's name needs."""

    orders: OrderStore
    events: EventStore
    docs: DocumentStore
    access: AccessStore


def rename_holder(
    deps: Renaming, principal: Principal, order_number: str, position_id: str, name: Attendee
) -> Order:
    """The ticket ``position_id`` of the order names ``name`` from now on; returns the order."""
    order = owned_order(deps.orders, principal, order_number)
    position = order.position(position_id)
    if position is None:
        raise NotFound(f"no ticket {position_id} in order {order.order_number}")
    event = deps.events.get(order.event_id)
    if event is None:
        raise NotFound(f"no order {order_number}")
    if position.holder_name != name.full_name and (
        position.checked_in_at is not None
        or not deps.orders.rename_holder(order, position_id, name.full_name)
    ):
        raise Conflict(
            f"ticket {position_id} was already used at the entrance; its name stays",
            message_id="problem.position.checked_in",
        )
    fresh = deps.orders.get(order.order_number)
    assert fresh is not None
    renamed = fresh.position(position_id)
    assert renamed is not None
    organizer = organizer_name(deps.access, fresh)
    store_ticket_pdf(deps.docs, fresh, event, renamed, organizer)
    if deps.docs.exists(all_tickets_key(fresh)):
        store_all_tickets_pdf(deps.docs, fresh, event, organizer)
    return fresh

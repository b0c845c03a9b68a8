"""Seed 000 "Was wird mir in Rechnung gestellt?": who registered, and what an exhibitor pays.

An exhibitor is billed only for vouchers used at the fair (checked in), also after it
cancelled its stand.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.visitor_vouchers import Registration, Statement, statement_total
from ticketing.services.roles import owned_event, require
from ticketing.services.visitor_vouchers.batches import exhibitor_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ticketing.domain.events import Event
    from ticketing.domain.parties import Exhibitor
    from ticketing.services.ports import (
        AccessStore,
        EventStore,
        ExhibitorFigures,
        VisitorVoucherStore,
    )


@dataclass(frozen=True, slots=True)
class Billing:
    figures: ExhibitorFigures
    access: AccessStore
    events: EventStore


def registrations(
    vouchers: VisitorVoucherStore, principal: Principal, event_id: str
) -> Iterator[Registration]:
    """Who registered the exhibitor's codes, already before the fair."""
    require(principal, Role.EXHIBITOR)
    if principal.scope != event_id:
        raise NotFound(f"no event {event_id}")
    for voucher in vouchers.redemptions(principal.subject_id):
        if voucher.event_id == event_id and voucher.registration is not None:
            yield voucher.registration


def statement_for(figures: ExhibitorFigures, event: Event, exhibitor: Exhibitor) -> Statement:
    counted = figures.figures(exhibitor.exhibitor_id)
    option = event.price_option(event.voucher_price_option or "")
    unit = option.price if option else Decimal("0.00")
    return Statement(
        exhibitor_id=exhibitor.exhibitor_id,
        exhibitor_name=exhibitor.name,
        event_id=event.event_id,
        cancelled=exhibitor.cancelled_at is not None,
        issued=counted["issued"],
        redeemed=counted["redeemed"],
        used=counted["used"],
        billable=counted["used"],
        unit_price=unit,
        currency=event.currency,
        total=statement_total(counted["used"], unit),
    )


def statement(deps: Billing, principal: Principal, event_id: str) -> Statement:
    """The exhibitor's own statement for its event."""
    exhibitor = exhibitor_of(deps.access, principal)
    event = deps.events.get(event_id)
    if event is None or exhibitor.event_id != event_id:
        raise NotFound(f"no event {event_id}")
    return statement_for(deps.figures, event, exhibitor)


def statements(deps: Billing, principal: Principal, event_id: str) -> tuple[Event, list[Statement]]:
    """Every exhibitor's statement of an event, for the organizer."""
    require(principal, Role.ORGANIZER)
    event = owned_event(deps.events, principal, event_id)
    assert principal.organizer_id is not None
    exhibitors = [
        e for e in deps.access.list_exhibitors(principal.organizer_id) if e.event_id == event_id
    ]
    return event, [statement_for(deps.figures, event, e) for e in exhibitors]

"""Retention (issue 17): every order of an event loses its customer ``retention_days`` after
the event ended (default 90), the way an erasure does, unless the organizer holds the event.

Scheduled daily. An event is marked once its orders are done; a run cut short resumes the
next day (erasing an order again changes nothing more).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ticketing.domain.erasure import ERASED, no_counts
from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.services.erasure import ErasureDesk, erase_order
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.domain.events import Event
    from ticketing.services.ports_privacy import RetentionEvents


@dataclass(frozen=True, slots=True)
class RetentionDesk:
    events: RetentionEvents
    erasure: ErasureDesk


@dataclass
class RetentionRun:
    events: list[str] = field(default_factory=list)
    held: int = 0
    counts: dict[str, int] = field(default_factory=no_counts)


def due(event: Event, now: datetime) -> bool:
    return (
        not event.legal_hold
        and event.retained_at is None
        and event.ends_at + timedelta(days=event.retention_days) <= now
    )


def run_retention(deps: RetentionDesk, now: datetime) -> RetentionRun:
    """Anonymize the orders of every event whose retention ended; what it did, by kind."""
    run = RetentionRun()
    for event in deps.events.ended_before(now):
        if event.legal_hold and event.retained_at is None:
            run.held += 1
        if not due(event, now):
            continue
        for number in deps.events.order_numbers(event.event_id):
            order = deps.erasure.orders.get(number)
            if order is None or order.customer.last_name == ERASED:
                continue
            for kind, n in erase_order(deps.erasure, order).items():
                run.counts[kind] += n
        deps.events.mark_retained(event.event_id, now)
        run.events.append(event.event_id)
    return run


def set_retention(
    deps: RetentionDesk,
    principal: Principal,
    event_id: str,
    retention_days: int | None,
    legal_hold: bool | None,
) -> Event:
    """The organizer sets how long an event's orders keep their customers, or holds them."""
    require(principal, Role.ORGANIZER)
    event = deps.erasure.events.get(event_id)
    if event is None or event.organizer_id != principal.organizer_id:
        raise NotFound(f"no event {event_id}")
    changed = event.model_copy(
        update={
            "retention_days": event.retention_days if retention_days is None else retention_days,
            "legal_hold": event.legal_hold if legal_hold is None else legal_hold,
        }
    )
    deps.events.set_retention(event_id, changed.retention_days, changed.legal_hold)
    return changed

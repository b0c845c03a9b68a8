"""Events: an organizer's products, with their price options."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import InvalidRequest, NotFound
from ticketing.domain.events import Event, EventDraft
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.services.idempotency import Once
from ticketing.services.roles import require

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.services.ports import EventStore, IdempotencyStore


@dataclass(frozen=True, slots=True)
class EventDesk:
    store: EventStore
    idempotency: IdempotencyStore
    clock: Clock


def create_event(
    deps: EventDesk, principal: Principal, draft: EventDraft, idempotency_key: str | None = None
) -> tuple[Event, bool]:
    """A new event of the caller's tenant, and whether it was made now (False: a retry with
    the same Idempotency-Key, answered with the event made the first time)."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    once = Once.of(
        deps.idempotency, principal.organizer_id, "event", idempotency_key, draft.model_dump_json()
    )
    earlier = once.earlier()
    if earlier is not None:
        return get_event(deps.store, principal, earlier), False
    now = deps.clock.now()
    _refuse_if_past(draft, now)
    event = Event(
        **draft.model_dump(),
        event_id=new_id("evt"),
        organizer_id=principal.organizer_id,
        created_at=now,
    )
    twin = once.write(event.event_id, now, lambda claim: deps.store.add(event, also=claim))
    if twin is not None:
        return get_event(deps.store, principal, twin), False
    return event, True


def _refuse_if_past(draft: EventDraft, now: datetime) -> None:
    """No event that is over before it is made (422 on ``ends_at``)."""
    if draft.ends_at <= now:
        raise InvalidRequest(
            "ends_at is in the past; an event must end in the future",
            field="ends_at",
            message_id="problem.event.ends_in_past",
        )


def get_event(store: EventStore, principal: Principal, event_id: str) -> Event:
    """An event its organizer (or its exhibitors, or staff) may see; anyone else gets NotFound."""
    require(principal, Role.ORGANIZER, Role.EXHIBITOR, Role.REVIEWER)
    event = store.get(event_id)
    visible = event is not None and principal.owns(event.organizer_id)
    if visible and principal.role is Role.EXHIBITOR:
        visible = principal.scope == event_id
    if event is None or not visible:
        raise NotFound(f"no event {event_id}")
    return event


def list_events(
    store: EventStore, principal: Principal, limit: int, cursor: str | None
) -> tuple[list[Event], str | None]:
    """A page of the organizer's events by start date, and an opaque cursor to the next one."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    events, last = store.list_for(principal.organizer_id, limit, decode_cursor(cursor))
    return events, encode_cursor(last)


def encode_cursor(key: dict[str, object] | None) -> str | None:
    if key is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode()


def decode_cursor(cursor: str | None) -> dict[str, object] | None:
    if not cursor:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidRequest("cursor is not one this API handed out", field="cursor") from None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InvalidRequest("cursor is not one this API handed out", field="cursor")
    return value

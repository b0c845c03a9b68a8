"""Which role may call a use case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.domain.errors import NotAllowed, NotFound

if TYPE_CHECKING:
    from ticketing.domain.events import Event
    from ticketing.domain.identity import Principal, Role
    from ticketing.services.ports import EventStore


def require(principal: Principal, *roles: Role) -> None:
    """Refuse a caller whose role is not among ``roles``.

    403 rather than 404: which routes exist is no secret; which objects exist is.
    """
    if principal.role not in roles:
        allowed = " or ".join(r.value for r in roles)
        raise NotAllowed(
            f"this needs a key with role {allowed}; yours has role {principal.role.value}"
        )


def owned_event(events: EventStore, principal: Principal, event_id: str) -> Event:
    """The caller's event; another tenant's answers as missing (404, not 403)."""
    event = events.get(event_id)
    if event is None or not principal.owns(event.organizer_id):
        raise NotFound(f"no event {event_id}")
    return event

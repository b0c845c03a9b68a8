"""Who invites a visitor who opens the redemption page with a code: the event and the exhibitor.

The page is public, so it shows no more than those two names, and only for a code that
exists; an unknown code shows what the page without a code shows. Looking a code up is a
door like registering with it: an unknown code counts against the client as a possible guess,
and a client refused for guessing is shown nothing (rather than an error: the page itself
always opens).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import NotFound, TooManyAttempts
from ticketing.domain.voucher_codes import canonical
from ticketing.services.throttle import Pause, Throttle

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import AccessStore, Attempts, EventStore, VisitorVoucherStore


@dataclass(frozen=True, slots=True)
class Invitation:
    event_name: str
    exhibitor_name: str
    event_id: str = ""  # whose questions the page asks (seed 002)


@dataclass(frozen=True, slots=True)
class Invitations:
    """What looking up who invites needs."""

    vouchers: VisitorVoucherStore
    events: EventStore
    access: AccessStore
    attempts: Attempts
    clock: Clock


def who_invites(
    deps: Invitations, client: str, typed_code: str | None, pause: Pause = time.sleep
) -> Invitation | None:
    """The event and the exhibitor of the code ``typed_code``; None for no code, a typo, an
    unknown code, or a client refused for guessing."""
    code = canonical((typed_code or "")[:64])
    if code is None:
        return None  # a typo (or no code) costs no lookup
    throttle = Throttle(deps.attempts, deps.clock, client, pause)
    try:
        throttle.refuse_if_blocked()
    except TooManyAttempts:
        return None
    voucher = deps.vouchers.get_voucher(code)
    event = deps.events.get(voucher.event_id) if voucher else None
    exhibitor = deps.access.get_exhibitor(voucher.exhibitor_id) if voucher else None
    if voucher is None or event is None or exhibitor is None:
        throttle.missed(NotFound("unknown code"))
        return None
    return Invitation(event_name=event.name, exhibitor_name=exhibitor.name, event_id=event.event_id)

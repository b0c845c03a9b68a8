"""A merchant as its organizer sees it: its terminals and their locks, a terminal revoked,
and what the merchant is to be paid for a period (its settlement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ticketing.domain.errors import InvalidRequest, NotFound
from ticketing.domain.gift_redemptions import Settlement, settle
from ticketing.domain.identity import Principal, Role
from ticketing.services.roles import require
from ticketing.services.terminal_guard import WINDOW_SECONDS

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.gift_parties import Merchant, Terminal
    from ticketing.services.ports import AccessStore
    from ticketing.services.ports_terminal import RedemptionStore, TerminalLocks, TerminalRevocation

MAX_PERIOD_DAYS = 400


@dataclass(frozen=True, slots=True)
class TerminalView:
    terminal: Terminal
    locked_until: datetime | None  # None: not locked now
    recent_failures: int


@dataclass(frozen=True, slots=True)
class MerchantView:
    merchant: Merchant
    terminals: list[TerminalView]


def _own_merchant(store: AccessStore, principal: Principal, merchant_id: str) -> Merchant:
    require(principal, Role.ORGANIZER)
    merchant = store.get_merchant(merchant_id)
    if merchant is None or not principal.owns(merchant.organizer_id):
        raise NotFound(f"no merchant {merchant_id}", message_id="problem.merchant.unknown")
    return merchant


def show_merchant(
    store: AccessStore, locks: TerminalLocks, clock: Clock, principal: Principal, merchant_id: str
) -> MerchantView:
    """The merchant with its terminals: which are revoked, which are locked and until when."""
    merchant = _own_merchant(store, principal, merchant_id)
    now_ms = int(clock.now().timestamp() * 1000)
    views = []
    for terminal in store.list_terminals(merchant_id):
        state = locks.state(terminal.terminal_id, now_ms, WINDOW_SECONDS * 1000)
        locked = state.locked_until > now_ms
        views.append(
            TerminalView(
                terminal,
                datetime.fromtimestamp(state.locked_until / 1000, UTC) if locked else None,
                len(state.failures),
            )
        )
    return MerchantView(merchant, views)


def revoke_terminal(
    store: AccessStore,
    revocation: TerminalRevocation,
    clock: Clock,
    principal: Principal,
    merchant_id: str,
    terminal_id: str,
) -> Terminal:
    """The terminal's key stops working at once; the terminal stays listed, revoked."""
    merchant = _own_merchant(store, principal, merchant_id)
    return revocation.revoke_terminal(
        merchant.merchant_id, terminal_id, merchant.organizer_id, clock.now()
    )


def settlement(
    store: AccessStore,
    redemptions: RedemptionStore,
    principal: Principal,
    merchant_id: str,
    start: datetime,
    end: datetime,
) -> Settlement:
    """The merchant's redemptions with ``start <= redeemed_at < end``: face value, rate and
    amount payable of each; reversed ones are listed and not payable."""
    merchant = _own_merchant(store, principal, merchant_id)
    if end <= start:
        raise InvalidRequest("to must be after from", field="to")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidRequest(
            f"a settlement covers at most {MAX_PERIOD_DAYS} days; ask for a shorter period",
            field="to",
        )
    found = redemptions.for_merchant(merchant_id, start, end)
    return settle(
        merchant.merchant_id,
        merchant.name,
        (start, end),
        found,
        city=merchant.city,
        category=merchant.category,
    )

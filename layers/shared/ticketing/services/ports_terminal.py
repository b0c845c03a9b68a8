"""Ports of the merchants' terminals: their locks and their revocation (issue 14).

Kept apart from ``services/ports.py`` (which is at its size limit); the gift vouchers a
terminal validates and redeems are in ``services/ports_gift.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.domain.gift_parties import Merchant, Terminal
    from ticketing.domain.gift_redemptions import Redemption
    from ticketing.domain.gift_vouchers import Campaign
    from ticketing.services.ports import Part


class MerchantLookup(Protocol):
    """The one read of ``AccessStore`` a terminal needs (a handler may keep it a minute)."""

    def get_merchant(self, merchant_id: str) -> Merchant | None: ...


class CampaignLookup(Protocol):
    """The one read of ``CampaignStore`` a terminal needs (a handler may keep it a minute)."""

    def get_campaign(self, campaign_id: str) -> Campaign | None: ...


@dataclass(frozen=True, slots=True)
class LockState:
    """A terminal's latest failures (epoch milliseconds, oldest first) and until when it is
    locked (epoch milliseconds; 0: not locked)."""

    failures: list[int]
    locked_until: int = 0


class TerminalLocks(Protocol):
    """Failed validations and redemptions per terminal (``services/terminal_guard.py``)."""

    def state(self, terminal_id: str, now: int, window: int) -> LockState:
        """The failures within ``window`` before ``now`` and the lock (one read)."""
        ...

    def record_failure(
        self, terminal_id: str, now: int, window: int, limit: int, lock: int
    ) -> LockState:
        """One failure at ``now``; the ``limit``-th within ``window`` locks the terminal for
        ``lock`` milliseconds from now (a locked terminal's failures do not extend it)."""
        ...

    def unlocked(self, terminal_id: str, now: int) -> Part:
        """The part that holds only while the terminal is not locked at ``now``."""
        ...


class TerminalRevocation(Protocol):
    def revoke_terminal(
        self, merchant_id: str, terminal_id: str, organizer_id: str, at: datetime
    ) -> Terminal:
        """The terminal marked revoked and its key revoked, together, once: NotFound for
        none (or another tenant's), Conflict when it was revoked before."""
        ...


class RedemptionStore(Protocol):
    """The redemptions of gift vouchers at terminals, by id and by merchant and time."""

    def recording(self, redemption: Redemption) -> Part:
        """The new redemption record (``redemption``), to join the voucher's commit."""
        ...

    def get_redemption(self, redemption_id: str) -> Redemption | None: ...

    def reversing(self, redemption: Redemption, at: datetime, by: str) -> Part:
        """Mark it reversed, once (``redemption``: it was reversed before)."""
        ...

    def for_merchant(self, merchant_id: str, start: datetime, end: datetime) -> list[Redemption]:
        """The merchant's redemptions with ``start <= redeemed_at < end``, oldest first."""
        ...

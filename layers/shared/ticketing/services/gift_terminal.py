"""A merchant's terminal validates and redeems gift vouchers (seed 004: 鉴权, 消费确认).

Validation reads the voucher with its ledger (one query) and says what it is worth and
whether this merchant may accept it now; it consumes nothing. Redemption is one transaction:
the voucher's state change (on the condition that nothing changed it since it was read), its
ledger entry, the campaign's sharded counters, the redemption record and the Idempotency-Key.
A reversal within 15 minutes, by a terminal of the same merchant, undoes it the same way.

Unknown and malformed codes answer alike (404) and count against the terminal as possible
guesses (``services/terminal_guard.py``); a malformed one is refused before any lookup.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ticketing.domain.errors import Conflict, DomainError, Expired, NotAllowed, NotFound
from ticketing.domain.gift_redemptions import Redemption, payable
from ticketing.domain.gift_vouchers import (
    Campaign,
    GiftVoucher,
    LedgerEntry,
    canonical,
    redeemed_change,
    refusal,
)
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.observability import count
from ticketing.services.idempotency import Once
from ticketing.services.parts import WriteRefused
from ticketing.services.roles import require
from ticketing.services.terminal_guard import TerminalGuard

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.domain.gift_parties import Merchant
    from ticketing.services.ports import IdempotencyStore, Transactions
    from ticketing.services.ports_gift import GiftVoucherStore
    from ticketing.services.ports_terminal import (
        CampaignLookup,
        MerchantLookup,
        RedemptionStore,
        TerminalLocks,
    )
    from ticketing.services.throttle import Pause

UNKNOWN = "This code is not a valid gift voucher code. Please check it."
Reason = Literal["redeemed", "expired", "not_yet_valid", "category", "city", "not_set_up"]


@dataclass(frozen=True, slots=True)
class TerminalDesk:
    """What a terminal's validations, redemptions and reversals need."""

    clock: Clock
    merchants: MerchantLookup
    campaigns: CampaignLookup
    gifts: GiftVoucherStore
    redemptions: RedemptionStore
    locks: TerminalLocks
    transactions: Transactions
    idempotency: IdempotencyStore


@dataclass(frozen=True, slots=True)
class Validation:
    voucher: GiftVoucher
    campaign: Campaign
    state: str
    reason: Reason | None
    redeemed: LedgerEntry | None  # where and when it was used, for a used one

    @property
    def acceptable(self) -> bool:
        return self.reason is None


@dataclass(frozen=True, slots=True)
class Redeemed:
    redemption: Redemption
    created: bool  # False: the answer to a retry with the same Idempotency-Key


def _merchant(desk: TerminalDesk, principal: Principal) -> Merchant:
    require(principal, Role.TERMINAL)
    merchant = desk.merchants.get_merchant(principal.scope or "")
    if merchant is None or not principal.owns(merchant.organizer_id):
        raise NotFound("this terminal's merchant is gone")
    return merchant


def _known(
    desk: TerminalDesk, principal: Principal, guard: TerminalGuard, typed: str
) -> tuple[GiftVoucher, Campaign]:
    """The voucher of ``typed`` and its campaign; a malformed code is refused before the
    lock is even read (a typo costs no lookup), an unknown one after."""
    code = canonical(typed)
    if code is None:
        raise guard.missed(NotFound(UNKNOWN, message_id="problem.terminal.unknown"))
    guard.refuse_if_locked()
    voucher = desk.gifts.get_voucher(code)
    campaign = None if voucher is None else desk.campaigns.get_campaign(voucher.campaign_id)
    if voucher is None or campaign is None or not principal.owns(voucher.organizer_id):
        raise guard.missed(NotFound(UNKNOWN, message_id="problem.terminal.unknown"))
    return voucher, campaign


def reason_against(
    voucher: GiftVoucher, campaign: Campaign, merchant: Merchant, now: datetime
) -> Reason | None:
    """Why ``merchant`` may not accept ``voucher`` at ``now``, or None when it may."""
    state = voucher.state(now)
    if state in ("redeemed", "expired", "not_yet_valid"):
        return state
    refused = refusal(campaign.accept, merchant.category, merchant.city)
    if refused is not None:
        return refused
    if merchant.settlement_rate is None:
        return "not_set_up"  # no rate agreed: nothing it could be paid
    return None


def validate(
    desk: TerminalDesk, principal: Principal, typed_code: str, pause: Pause = time.sleep
) -> Validation:
    """What the code is worth and whether this merchant may accept it now."""
    merchant = _merchant(desk, principal)
    guard = TerminalGuard(desk.locks, desk.clock, principal.subject_id, pause)
    voucher, campaign = _known(desk, principal, guard, typed_code)
    reason = reason_against(voucher, campaign, merchant, guard.now)
    # the hotline sees where and when a code was shown to a cashier (a recording entry)
    desk.gifts.append(
        voucher,
        LedgerEntry(
            kind="validated",
            at=guard.now,
            by=principal.key_id,
            seq=voucher.version,
            merchant_id=merchant.merchant_id,
            terminal_id=principal.subject_id,
            detail={"merchant_name": merchant.name, "outcome": reason or "acceptable"},
        ),
    )
    count("GiftValidations")
    return Validation(
        voucher, campaign, voucher.state(guard.now), reason, voucher.open_redemption()
    )


def redeem(
    desk: TerminalDesk,
    principal: Principal,
    typed_code: str,
    idempotency_key: str | None,
    pause: Pause = time.sleep,
) -> Redeemed:
    """Redeem the code at this terminal's merchant, once."""
    merchant = _merchant(desk, principal)
    guard = TerminalGuard(desk.locks, desk.clock, principal.subject_id, pause)
    voucher, campaign = _known(desk, principal, guard, typed_code)
    once = Once.of(
        desk.idempotency, principal.subject_id, "gift-redemption", idempotency_key, voucher.code
    )
    now = guard.now
    reason = reason_against(voucher, campaign, merchant, now)
    if reason == "redeemed":
        earlier = once.earlier()  # only a used code asks: the first try costs no read
        if earlier is not None:
            return _again(desk, earlier)
    if reason is not None:
        raise refusal_error(reason, voucher, campaign)
    assert merchant.settlement_rate is not None
    redemption = Redemption(
        redemption_id=new_id("red"),
        code=voucher.code,
        campaign_id=voucher.campaign_id,
        organizer_id=voucher.organizer_id,
        merchant_id=merchant.merchant_id,
        merchant_name=merchant.name,
        city=merchant.city,
        category=merchant.category,
        terminal_id=principal.subject_id,
        tier=voucher.tier,
        value=voucher.value,
        currency=voucher.currency,
        settlement_rate=merchant.settlement_rate,
        payable=payable(voucher.value, merchant.settlement_rate),
        redeemed_at=now,
    )
    entry = LedgerEntry(
        kind="redeemed",
        at=now,
        by=principal.key_id,
        seq=voucher.version + 1,
        merchant_id=merchant.merchant_id,
        terminal_id=principal.subject_id,
        redemption_id=redemption.redemption_id,
        detail={"merchant_name": merchant.name, "city": merchant.city or ""},
    )
    change = redeemed_change(voucher, _dimensions(redemption), now, campaign.timezone)
    parts = [
        *desk.gifts.change(voucher, entry),
        *desk.gifts.counted(change),
        desk.redemptions.recording(redemption),
        *guard.guard(),
    ]
    try:
        twin = once.write(
            redemption.redemption_id, now, lambda claim: desk.transactions.commit([*parts, *claim])
        )
    except WriteRefused as refused:
        raise _refused_at_commit(desk, guard, voucher, campaign, merchant, refused) from None
    if twin is not None:
        return _again(desk, twin)
    count("GiftRedemptions")
    return Redeemed(redemption, created=True)


def _dimensions(redemption: Redemption) -> dict[str, str | None]:
    return {
        "merchant_id": redemption.merchant_id,
        "city": redemption.city,
        "category": redemption.category,
    }


def _again(desk: TerminalDesk, redemption_id: str) -> Redeemed:
    redemption = desk.redemptions.get_redemption(redemption_id)
    if redemption is None:
        raise Conflict("the first request with this Idempotency-Key is still running; retry")
    return Redeemed(redemption, created=False)


def _refused_at_commit(
    desk: TerminalDesk,
    guard: TerminalGuard,
    voucher: GiftVoucher,
    campaign: Campaign,
    merchant: Merchant,
    refused: WriteRefused,
) -> Exception:
    if "voucher" in refused.labels:
        # another terminal redeemed it meanwhile (or it expired): say what it is now
        now_voucher = desk.gifts.get_voucher(voucher.code) or voucher
        reason = reason_against(now_voucher, campaign, merchant, guard.now) or "redeemed"
        return refusal_error(reason, now_voucher, campaign)
    if "terminal_lock" in refused.labels:
        return guard.refused()
    return Conflict("the redemption could not be written; please try again")


def refusal_error(reason: Reason, voucher: GiftVoucher, campaign: Campaign) -> DomainError:
    """The problem a redemption answers for ``reason`` (the words are in the catalogue)."""
    error: DomainError
    if reason == "redeemed":
        used = voucher.open_redemption()
        name = used.detail.get("merchant_name", "") if used else ""
        at = used.at if used else None
        error = Conflict(
            f"This voucher was already redeemed at {name} on {at:%Y-%m-%d %H:%M}.",
            message_id="problem.terminal.used",
            params={"merchant": name, "at": at},
        )
        error.extensions.update(
            merchant={"merchant_id": used.merchant_id if used else None, "name": name},
            redeemed_at=at.isoformat() if at else None,
        )
    elif reason == "expired":
        error = Expired(
            f"This voucher expired on {voucher.valid_until:%Y-%m-%d}.",
            message_id="problem.terminal.expired",
            params={"date": voucher.valid_until},
        )
    elif reason == "not_yet_valid":
        error = Conflict(
            f"This voucher can be redeemed from {voucher.valid_from:%Y-%m-%d %H:%M}.",
            message_id="problem.terminal.not_yet_valid",
            params={"valid_from": voucher.valid_from},
        )
    else:
        error = NotAllowed(
            f"This merchant does not accept the vouchers of {campaign.name}.",
            message_id=f"problem.terminal.not_accepted.{reason}",
            params={"campaign": campaign.name},
        )
    error.extensions["reason"] = reason
    return error


def reverse(desk: TerminalDesk, principal: Principal, redemption_id: str) -> Redemption:
    """Put the voucher back: within 15 minutes of the redemption, by a terminal of the same
    merchant, once. The counters go down in the same transaction."""
    merchant = _merchant(desk, principal)
    now = desk.clock.now()
    redemption = desk.redemptions.get_redemption(redemption_id)
    if redemption is None or redemption.merchant_id != merchant.merchant_id:
        raise NotFound(
            f"no redemption {redemption_id}", message_id="problem.terminal.no_redemption"
        )
    if redemption.reversed_at is not None:
        raise Conflict(
            "This redemption was reversed before.", message_id="problem.terminal.reversed"
        )
    if now > redemption.reversible_until():
        raise Conflict(
            "A redemption can only be reversed within 15 minutes.",
            message_id="problem.terminal.reversal_too_late",
        )
    voucher = desk.gifts.get_voucher(redemption.code)
    campaign = desk.campaigns.get_campaign(redemption.campaign_id)
    current = None if voucher is None else voucher.open_redemption()
    if voucher is None or campaign is None or current is None:
        raise Conflict(
            "This redemption was reversed before.", message_id="problem.terminal.reversed"
        )
    if current.redemption_id != redemption_id:
        raise Conflict(
            "This redemption was reversed before.", message_id="problem.terminal.reversed"
        )
    entry = LedgerEntry(
        kind="reversed",
        at=now,
        by=principal.key_id,
        seq=voucher.version + 1,
        merchant_id=merchant.merchant_id,
        terminal_id=principal.subject_id,
        redemption_id=redemption_id,
        detail={"merchant_name": merchant.name},
    )
    back = redeemed_change(
        voucher, _dimensions(redemption), redemption.redeemed_at, campaign.timezone, sign=-1
    )
    try:
        desk.transactions.commit(
            [
                *desk.gifts.change(voucher, entry),
                *desk.gifts.counted(back),
                desk.redemptions.reversing(redemption, now, principal.subject_id),
            ]
        )
    except WriteRefused:
        raise Conflict(
            "This redemption was reversed before.", message_id="problem.terminal.reversed"
        ) from None
    count("GiftReversals")
    return redemption.model_copy(update={"reversed_at": now, "reversed_by": principal.subject_id})

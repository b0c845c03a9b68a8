"""Seed 004: the programme issues an e-gift voucher for a points transaction.

One transaction takes one from the tier (never beyond its quantity), writes the voucher, its
``issued`` ledger entry, the programme's reference (a retry answers the first voucher), the
page token, the counters and the pending delivery. The SMS and the mail go out after it is
committed: a delivery that fails never loses the voucher (``delivery``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.gift_vouchers import (
    Campaign,
    GiftVoucher,
    IssueRequest,
    LedgerEntry,
    issued_change,
    new_code,
)
from ticketing.domain.ids import random_token
from ticketing.observability import count
from ticketing.services.gift_vouchers.campaigns import own_campaign
from ticketing.services.parts import Part, WriteRefused

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.domain.identity import Principal
    from ticketing.services.ports import Transactions
    from ticketing.services.ports_gift import CampaignStore, GiftVoucherStore
    from ticketing.services.ports_privacy import PersonIndex

TOKEN_CHARS = 26  # 130 bits: a page link nobody guesses
_DRAWS = 5  # a code or token that exists already is drawn again (65 bits: never in practice)


@dataclass(frozen=True, slots=True)
class IssueDesk:
    campaigns: CampaignStore
    gifts: GiftVoucherStore
    tx: Transactions
    clock: Clock
    people: PersonIndex | None = None  # issue 17: the recipient's entry, with the voucher


def issue(
    desk: IssueDesk, principal: Principal, campaign_id: str, request: IssueRequest
) -> tuple[GiftVoucher, bool]:
    """The voucher, and whether it was issued now (False: the reference was issued before)."""
    campaign = own_campaign(desk.campaigns, principal, campaign_id)
    earlier = desk.gifts.code_of_ref(campaign_id, request.external_ref)
    if earlier is not None:
        return _same(desk, earlier, request), False
    tier = campaign.tier(request.tier)
    if tier is None:
        raise InvalidRequest(
            f"the campaign has no tier {request.tier}",
            "tier",
            message_id="problem.gift.no_tier",
            params={"tier": request.tier},
        )
    now = desk.clock.now()
    if now >= campaign.valid_until:
        raise Conflict("the campaign has ended", message_id="problem.gift.campaign_over")
    for _ in range(_DRAWS):
        voucher = _voucher(campaign, request, now)
        entry = LedgerEntry(
            kind="issued", at=now, by=principal.key_id, seq=1, detail={"tier": tier.id}
        )
        parts = [
            desk.campaigns.take_from_tier(campaign_id, tier.id),
            *desk.gifts.issuing(voucher, entry),
            *desk.gifts.counted(issued_change(voucher, campaign.timezone)),
            desk.gifts.pending_delivery(voucher),
            *_person_entry(desk, voucher),
        ]
        try:
            desk.tx.commit(parts)
        except WriteRefused as refused:
            if "external_ref" in refused.labels:  # a concurrent retry issued it first
                code = desk.gifts.code_of_ref(campaign_id, request.external_ref)
                if code is not None:
                    return _same(desk, code, request), False
            if "tier" in refused.labels:
                raise Conflict(
                    f"tier {tier.id} is used up ({tier.quantity} issued)",
                    message_id="problem.gift.tier_used_up",
                    params={"tier": tier.id, "quantity": tier.quantity or 0},
                ) from None
            if refused.labels and set(refused.labels) <= {"code", "token"}:
                continue
            raise
        count("GiftVouchersIssued")
        return voucher.model_copy(update={"ledger": [entry], "version": 1}), True
    raise Conflict("no free code was found; please retry")  # pragma: no cover


def _person_entry(desk: IssueDesk, voucher: GiftVoucher) -> list[Part]:
    """The recipient's person index entry (issue 17), when the voucher names an address."""
    email = voucher.recipient.email
    if desk.people is None or email is None:
        return []
    return [desk.people.entry(voucher.organizer_id, email, voucher.code, "gift")]


def _voucher(campaign: Campaign, request: IssueRequest, now: datetime) -> GiftVoucher:
    tier = campaign.tier(request.tier)
    assert tier is not None
    return GiftVoucher(
        code=new_code(),
        campaign_id=campaign.campaign_id,
        organizer_id=campaign.organizer_id,
        issuer_id=campaign.issuer_id,
        tier=tier.id,
        value=tier.value,
        currency=campaign.currency,
        language=campaign.language,
        timezone=campaign.timezone,
        valid_from=campaign.valid_from,
        valid_until=campaign.valid_until,
        recipient=request.recipient,
        external_ref=request.external_ref,
        token=random_token(TOKEN_CHARS),
        issued_at=now,
    )


def _same(desk: IssueDesk, code: str, request: IssueRequest) -> GiftVoucher:
    """The voucher first issued for ``request``'s reference; a different tier or recipient
    under the same reference is refused (the programme's transaction means one voucher)."""
    voucher = desk.gifts.get_voucher(code)
    if voucher is None:  # pragma: no cover - written in the same transaction as the reference
        raise NotFound(f"no voucher for external_ref {request.external_ref}")
    if voucher.tier != request.tier or voucher.recipient != request.recipient:
        raise Conflict(
            f"external_ref {request.external_ref} was issued before with another tier or "
            "recipient; a points transaction gets one voucher",
            message_id="problem.gift.external_ref_reused",
            params={"external_ref": request.external_ref},
        )
    return voucher

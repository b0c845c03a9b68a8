"""Seed 004: the member's page of a gift voucher (``/g/{token}``): what it is worth, until
when, whether it is still good, and which merchants near the member accept it, so that
finding one needs no call to the hotline.

The page is public: its token (130 random bits) is the only key, and an unknown token shows
the same "not found" page as any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.gift_vouchers import Campaign, GiftState, GiftVoucher, accepts

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.gift_parties import Merchant
    from ticketing.services.ports import AccessStore
    from ticketing.services.ports_gift import CampaignStore, GiftVoucherStore

MAX_TOKEN = 64


@dataclass(frozen=True, slots=True)
class GiftPageDeps:
    gifts: GiftVoucherStore
    campaigns: CampaignStore
    access: AccessStore
    clock: Clock


@dataclass(frozen=True, slots=True)
class GiftPage:
    voucher: GiftVoucher
    campaign: Campaign
    state: GiftState
    city: str | None  # the recipient's, whose merchants are listed
    merchants: list[Merchant]


def gift_page(deps: GiftPageDeps, token: str) -> GiftPage | None:
    if not token or len(token) > MAX_TOKEN or not token.isalnum():
        return None
    code = deps.gifts.code_of_token(token)
    voucher = deps.gifts.get_voucher(code) if code else None
    campaign = deps.campaigns.get_campaign(voucher.campaign_id) if voucher else None
    if voucher is None or campaign is None:
        return None
    city = voucher.recipient.city
    return GiftPage(
        voucher=voucher,
        campaign=campaign,
        state=voucher.state(deps.clock.now()),
        city=city,
        merchants=accepting_merchants(deps.access, campaign, city),
    )


def accepting_merchants(
    access: AccessStore, campaign: Campaign, city: str | None
) -> list[Merchant]:
    """The tenant's merchants the campaign accepts, in ``city`` when given (by name)."""
    found = [
        m
        for m in access.list_merchants(campaign.organizer_id)
        # a merchant without a settlement rate accepts no gift vouchers
        if getattr(m, "settlement_rate", None) is not None
        and accepts(campaign.accept, m.category, m.city)
        and (city is None or (m.city or "").casefold() == city.casefold())
    ]
    return sorted(found, key=lambda m: (m.city or "", m.category or "", m.name))

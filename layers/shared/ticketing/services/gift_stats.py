"""A campaign's statistics for the programme: issued and redeemed, by tier, city, category,
merchant or day, exact at any moment (the sharded counters, summed; ``ports_gift``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ticketing.domain.gift_vouchers import Campaign, Counters, StatsBy
from ticketing.services.gift_vouchers.campaigns import readable_campaign
from ticketing.services.ports_gift import TOTAL, CampaignStore, GiftVoucherStore

if TYPE_CHECKING:
    from ticketing.domain.identity import Principal

# issued vouchers are counted by these too (a voucher is issued to a tier, a recipient's city
# and a day); merchants and categories only redeem
ISSUED_BY: frozenset[str] = frozenset({"tier", "city", "day"})


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    counters: Counters


@dataclass(frozen=True, slots=True)
class CampaignStats:
    campaign: Campaign
    by: StatsBy
    totals: Counters
    groups: list[Group]

    @property
    def counts_issued(self) -> bool:
        return self.by in ISSUED_BY


def campaign_stats(
    campaigns: CampaignStore,
    gifts: GiftVoucherStore,
    principal: Principal,
    campaign_id: str,
    by: StatsBy,
) -> CampaignStats:
    """The issuer of the campaign, its tenant's organizer or the reviewer."""
    campaign = readable_campaign(campaigns, principal, campaign_id)
    totals = gifts.counters(campaign_id, TOTAL).get("", Counters())
    groups = [
        Group(key, counted)
        for key, counted in sorted(gifts.counters(campaign_id, by).items())
        # a group every one of whose redemptions was reversed (and which issued none) is gone
        if counted.issued or counted.redeemed or counted.value_redeemed != Decimal(0)
    ]
    return CampaignStats(campaign, by, totals, groups)

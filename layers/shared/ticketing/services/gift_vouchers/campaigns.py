"""Seed 004: campaigns of e-gift vouchers, their tiers and quantities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import InvalidRequest, NotFound
from ticketing.domain.gift_vouchers import Campaign, CampaignChange, CampaignDraft, Tier
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.observability import count
from ticketing.services.idempotency import Once
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import AccessStore, IdempotencyStore
    from ticketing.services.ports_gift import CampaignStore


@dataclass(frozen=True, slots=True)
class CampaignDesk:
    campaigns: CampaignStore
    access: AccessStore
    idempotency: IdempotencyStore
    clock: Clock


def create_campaign(
    desk: CampaignDesk, principal: Principal, draft: CampaignDraft, key: str | None = None
) -> tuple[Campaign, bool]:
    """An issuer's new campaign; a retry with the same Idempotency-Key answers the first."""
    require(principal, Role.ISSUER)
    issuer = desk.access.get_issuer(principal.subject_id)
    if issuer is None or issuer.organizer_id != principal.organizer_id:
        raise NotFound("no such issuer")
    once = Once.of(desk.idempotency, issuer.issuer_id, "campaign", key, draft.model_dump_json())
    earlier = once.earlier()
    if earlier is not None:
        return readable_campaign(desk.campaigns, principal, earlier), False
    campaign = Campaign(
        **draft.model_dump(exclude={"tiers"}),
        tiers=[Tier(**t.model_dump()) for t in draft.tiers],
        campaign_id=new_id("cmp"),
        organizer_id=issuer.organizer_id,
        issuer_id=issuer.issuer_id,
        created_at=desk.clock.now(),
    )
    twin = once.write(
        campaign.campaign_id,
        campaign.created_at,
        lambda claim: desk.campaigns.add_campaign(campaign, claim),
    )
    if twin is not None:
        return readable_campaign(desk.campaigns, principal, twin), False
    count("GiftCampaignsCreated")
    return campaign, True


def readable_campaign(store: CampaignStore, principal: Principal, campaign_id: str) -> Campaign:
    """The issuer reads its own campaigns; the tenant's organizer and the reviewer read every
    one; anyone else finds none."""
    require(principal, Role.ISSUER, Role.ORGANIZER, Role.REVIEWER)
    campaign = store.get_campaign(campaign_id)
    if campaign is None or not principal.owns(campaign.organizer_id):
        raise NotFound(f"no campaign {campaign_id}")
    if principal.role is Role.ISSUER and campaign.issuer_id != principal.subject_id:
        raise NotFound(f"no campaign {campaign_id}")
    return campaign


def own_campaign(store: CampaignStore, principal: Principal, campaign_id: str) -> Campaign:
    """A campaign its issuer may change and issue from."""
    require(principal, Role.ISSUER)
    return readable_campaign(store, principal, campaign_id)


def change_campaign(
    desk: CampaignDesk, principal: Principal, campaign_id: str, change: CampaignChange
) -> Campaign:
    """Quantities per tier (from the programme's data), the name or the window."""
    campaign = own_campaign(desk.campaigns, principal, campaign_id)
    valid_from = change.valid_from or campaign.valid_from
    valid_until = change.valid_until or campaign.valid_until
    if valid_until <= valid_from:
        raise InvalidRequest(
            "valid_until must be after valid_from",
            "valid_until",
            message_id="problem.gift.window",
        )
    for tier in change.tiers or []:
        if campaign.tier(tier.id) is None:
            raise InvalidRequest(
                f"the campaign has no tier {tier.id}",
                "tiers",
                message_id="problem.gift.no_tier",
                params={"tier": tier.id},
            )
        known = campaign.tier(tier.id)
        if known and tier.quantity is not None and tier.quantity < known.issued:
            _below_issued(tier.id, known.issued)
    desk.campaigns.change_campaign(campaign_id, change.name, change.valid_from, change.valid_until)
    for tier in change.tiers or []:
        if not desk.campaigns.set_quantity(campaign_id, tier.id, tier.quantity):
            now = desk.campaigns.get_campaign(campaign_id)
            done = now.tier(tier.id) if now else None
            _below_issued(tier.id, done.issued if done else 0)
    return readable_campaign(desk.campaigns, principal, campaign_id)


def _below_issued(tier_id: str, issued: int) -> None:
    raise InvalidRequest(
        f"tier {tier_id} has {issued} vouchers issued already; its quantity cannot be lower",
        "tiers",
        message_id="problem.gift.quantity_below_issued",
        params={"tier": tier_id, "issued": issued},
    )

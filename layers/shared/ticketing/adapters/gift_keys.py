"""The key functions of e-gift vouchers (seed 004); their items are in the table of
``adapters/keys.py`` (kept apart so that ``keys.py`` stays within 400 lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.adapters.keys import OUTBOX_SHARDS, Key, utc_key

if TYPE_CHECKING:
    from datetime import datetime


def campaign_partition(campaign_id: str) -> str:
    """A gift campaign's item and its tiers' counter items."""
    return f"CAMPAIGN#{campaign_id}"


TIER_PREFIX = "TIER#"


def campaign(campaign_id: str) -> Key:
    return {"PK": campaign_partition(campaign_id), "SK": "CAMPAIGN"}


def campaign_tier(campaign_id: str, tier_id: str) -> Key:
    return {"PK": campaign_partition(campaign_id), "SK": f"{TIER_PREFIX}{tier_id}"}


def tenant_campaigns(organizer_id: str) -> str:
    return f"ORG#{organizer_id}#CAMPAIGNS"


def gift_partition(code: str) -> str:
    """A gift voucher's item and its ledger entries, read together in one query."""
    return f"GIFT#{code}"


GIFT_VOUCHER = "VOUCHER"
LEDGER_PREFIX = "LEDGER#"


def gift_voucher(code: str) -> Key:
    return {"PK": gift_partition(code), "SK": GIFT_VOUCHER}


def gift_ledger(code: str, at: datetime, seq: int, suffix: str) -> Key:
    return {"PK": gift_partition(code), "SK": f"{LEDGER_PREFIX}{utc_key(at)}#{seq:03d}#{suffix}"}


def campaign_phone(campaign_id: str, digits: str) -> str:
    return f"CAMPAIGN#{campaign_id}#PHONE#{digits}"


def external_ref(campaign_id: str, ref_hash: str) -> Key:
    return {"PK": f"EXTREF#{campaign_id}#{ref_hash}", "SK": "EXTREF"}


def gift_link(token: str) -> Key:
    return {"PK": f"GIFTLINK#{token}", "SK": "LINK"}


TOTALS_GROUP = "#"


def stats_partition(campaign_id: str, by: str, shard: int) -> str:
    return f"STATS#{campaign_id}#{by}#{shard}"


def stats(campaign_id: str, by: str, shard: int, group: str) -> Key:
    return {"PK": stats_partition(campaign_id, by, shard), "SK": group or TOTALS_GROUP}


def gift_delivery_partition(shard: int) -> str:
    return f"GIFTSEND#{shard}"


def gift_delivery(code: str, issued_at: datetime) -> Key:
    shard = sum(code.encode()) % OUTBOX_SHARDS
    return {"PK": gift_delivery_partition(shard), "SK": f"{utc_key(issued_at)}#{code}"}


def bulk_issue(bulk_id: str) -> Key:
    return {"PK": f"BULK#{bulk_id}", "SK": "BULK"}


def complaint(complaint_id: str) -> Key:
    """A hotline complaint about a gift voucher (``adapters/complaint_store.py``)."""
    return {"PK": f"COMPLAINT#{complaint_id}", "SK": "COMPLAINT"}


def tenant_complaints(organizer_id: str, status: str) -> str:
    return f"ORG#{organizer_id}#COMPLAINTS#{status}"

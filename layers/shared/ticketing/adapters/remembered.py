"""What a terminal reads besides the voucher, kept for a minute per Lambda instance.

A validation needs the terminal's merchant (name, city, category, rate) and the voucher's
campaign (what it accepts, its time zone); neither changes between two customers at a till,
so a busy terminal pays one read per validation: the voucher with its ledger. A voucher's
state is never kept: it is read, and redemption's condition guards it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Generic, TypeVar

from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.gift_store import DynamoCampaignStore

if TYPE_CHECKING:
    from collections.abc import Callable

    from ticketing.domain.gift_parties import Merchant
    from ticketing.domain.gift_vouchers import Campaign

T = TypeVar("T")


class _Kept(Generic[T]):
    def __init__(self, read: Callable[[str], T | None], seconds: float) -> None:
        self._read = read
        self._seconds = seconds
        self._kept: dict[str, tuple[float, T]] = {}

    def get(self, key: str) -> T | None:
        kept = self._kept.get(key)
        if kept is not None and time.monotonic() - kept[0] < self._seconds:
            return kept[1]
        found = self._read(key)
        if found is not None:
            if len(self._kept) > 10_000:  # a long-lived instance does not grow without end
                self._kept.clear()
            self._kept[key] = (time.monotonic(), found)
        return found


class RememberedMerchants:
    def __init__(self, store: DynamoAccessStore | None = None, seconds: float = 60.0) -> None:
        self._kept = _Kept((store or DynamoAccessStore()).get_merchant, seconds)

    def get_merchant(self, merchant_id: str) -> Merchant | None:
        return self._kept.get(merchant_id)


class RememberedCampaigns:
    def __init__(self, store: DynamoCampaignStore | None = None, seconds: float = 60.0) -> None:
        self._kept = _Kept((store or DynamoCampaignStore()).get_campaign, seconds)

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        return self._kept.get(campaign_id)

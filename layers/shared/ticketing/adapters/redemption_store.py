"""Redemptions of gift vouchers at terminals in DynamoDB: one item each, on the index of its
merchant by time (``MERCHANT#<id>#REDEMPTIONS`` / ``<redeemed_at>#<id>``) for settlements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Put, Table, Update
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.gift_redemptions import Redemption
from ticketing.services.parts import Part

if TYPE_CHECKING:
    from datetime import datetime


class DynamoRedemptionStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def recording(self, redemption: Redemption) -> Part:
        item = to_item(
            redemption,
            "gift_redemption",
            **keys.redemption(redemption.redemption_id),
            GSI1PK=keys.merchant_redemptions(redemption.merchant_id),
            GSI1SK=f"{keys.utc_key(redemption.redeemed_at)}#{redemption.redemption_id}",
        )
        return Part("redemption", Put(item, condition="attribute_not_exists(PK)"))

    def get_redemption(self, redemption_id: str) -> Redemption | None:
        item = self.table.get(keys.redemption(redemption_id), consistent=True)
        return None if item is None else from_item(Redemption, item)

    def reversing(self, redemption: Redemption, at: datetime, by: str) -> Part:
        return Part(
            "redemption",
            Update(
                keys.redemption(redemption.redemption_id),
                "SET reversed_at = :at, reversed_by = :by",
                condition="attribute_exists(PK) AND attribute_not_exists(reversed_at)",
                values={":at": at.isoformat(), ":by": by},
            ),
        )

    def for_merchant(self, merchant_id: str, start: datetime, end: datetime) -> list[Redemption]:
        found: list[Redemption] = []
        cursor: dict[str, Any] | None = None
        # [start, end): every key of a moment before ``end`` sorts below "<end>" itself
        low, high = keys.utc_key(start), keys.utc_key(end)
        while True:
            items, cursor = self.table.query_index(
                keys.merchant_redemptions(merchant_id),
                limit=1000,
                start_after=cursor,
                sort_between=(low, high),
            )
            found.extend(
                from_item(Redemption, i)
                for i in items
                if str(i[keys.GSI1SK]) < high  # BETWEEN includes a key equal to "<end>#..."
            )
            if cursor is None:
                return found

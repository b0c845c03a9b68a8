"""The registrations of one exhibitor's codes, page by page, for a notification's fan-out
(issue 16 item 5): the exhibitor's redemptions index ``EXHIBITOR#<id>#REDEEMED`` on GSI1."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Table
from ticketing.adapters.records import from_item
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.visitor_vouchers import Registration, VisitorVoucher

if TYPE_CHECKING:
    from ticketing.services.ports import Cursor


class DynamoRegistrantPages:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def registrants(
        self, exhibitor_id: str, limit: int, cursor: Cursor | None
    ) -> tuple[list[Registration], Cursor | None]:
        partition = keys.exhibitor_redemptions(exhibitor_id)
        if cursor is not None and cursor.get(keys.GSI1PK) != partition:
            raise InvalidRequest("cursor is not one this API handed out", field="cursor")
        items, last = self.table.query_index(partition, limit=limit, start_after=cursor)
        vouchers = (from_item(VisitorVoucher, i) for i in items)
        return [v.registration for v in vouchers if v.registration is not None], last

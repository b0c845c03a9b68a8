"""Hotline complaints about gift vouchers in DynamoDB: one item each, on the index of its
tenant and status (``ORG#<org>#COMPLAINTS#<status>`` / ``<created_at>#<id>``); answering
replaces the item on the condition that it is still open, which moves it to the answered list."""

from __future__ import annotations

from typing import Any

from ticketing.adapters import gift_keys, keys
from ticketing.adapters.dynamo import Put, Table
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.gift_complaints import Complaint, ComplaintStatus
from ticketing.services.parts import Part

MAX_LISTED = 1000


def _item(complaint: Complaint) -> dict[str, Any]:
    return to_item(
        complaint,
        "gift_complaint",
        **gift_keys.complaint(complaint.complaint_id),
        GSI1PK=gift_keys.tenant_complaints(complaint.organizer_id, complaint.status),
        GSI1SK=f"{keys.utc_key(complaint.created_at)}#{complaint.complaint_id}",
    )


class DynamoComplaintStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def recording(self, complaint: Complaint) -> Part:
        return Part("complaint", Put(_item(complaint), condition="attribute_not_exists(PK)"))

    def get_complaint(self, complaint_id: str) -> Complaint | None:
        item = self.table.get(gift_keys.complaint(complaint_id), consistent=True)
        return None if item is None else from_item(Complaint, item)

    def answering(self, answered: Complaint) -> Part:
        return Part(
            "complaint",
            Put(
                _item(answered),
                condition="attribute_exists(PK) AND #status = :open",
                names={"#status": "status"},
                values={":open": "open"},
            ),
        )

    def list_complaints(self, organizer_id: str, status: ComplaintStatus) -> list[Complaint]:
        found: list[Complaint] = []
        cursor: dict[str, Any] | None = None
        while len(found) < MAX_LISTED:
            items, cursor = self.table.query_index(
                gift_keys.tenant_complaints(organizer_id, status),
                limit=MAX_LISTED - len(found),
                start_after=cursor,
            )
            found.extend(from_item(Complaint, i) for i in items)
            if cursor is None:
                break
        return found

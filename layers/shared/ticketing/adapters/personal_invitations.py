"""A person's invitations (issue 17) in DynamoDB: the batch's listing loses the names and the
address (the marker stands there), the exhibitor's invited-address item (keyed by the
address) goes, and the voucher keeps its code taken with the marker as its recipient, in one
transaction; the address's rows of the uploaded list go from its job's chunks. The
invitation's code, batch, times and mail state stay."""

from __future__ import annotations

from typing import Any

from ticketing.adapters import invitation_keys as ik
from ticketing.adapters import keys
from ticketing.adapters.dynamo import Put, Table, request_token, serialize
from ticketing.adapters.records import from_item
from ticketing.domain.erasure import ERASED, no_counts
from ticketing.domain.invitations import Invitation


class DynamoPersonalInvitations:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def invitation(self, batch_id: str, code: str) -> Invitation | None:
        item = self.table.get(ik.invitation(batch_id, code), consistent=True)
        return None if item is None else from_item(Invitation, item)

    def erase_invitation(self, batch_id: str, code: str) -> dict[str, int]:
        counts = no_counts()
        item = self.table.get(ik.invitation(batch_id, code), consistent=True)
        if item is None or item.get("email") == ERASED:
            return counts
        self._drop_rows(batch_id, str(item["job_id"]), str(item["address"]))
        name = self.table.name
        listing = {
            "TableName": name,
            "Key": serialize(ik.invitation(batch_id, code)),
            "UpdateExpression": "SET first_name = :m, last_name = :m, email = :m, address = :m "
            "REMOVE salutation, company",
            "ConditionExpression": "email = :email",
            "ExpressionAttributeValues": serialize({":m": ERASED, ":email": item["email"]}),
        }
        invitee = {
            "TableName": name,
            "Key": serialize(ik.invitee(str(item["exhibitor_id"]), str(item["address"]))),
        }
        voucher = {
            "TableName": name,
            "Key": serialize(keys.voucher(code)),
            "UpdateExpression": "SET invited = :m",
            "ConditionExpression": "attribute_exists(invited)",
            "ExpressionAttributeValues": serialize({":m": ERASED}),
        }
        writes: list[Any] = [{"Update": listing}, {"Delete": invitee}, {"Update": voucher}]
        self.table.client.transact_write_items(
            TransactItems=writes, ClientRequestToken=request_token()
        )
        counts["invitations"] = 1
        return counts

    def _drop_rows(self, batch_id: str, job_id: str, address: str) -> None:
        """The uploaded list's rows of the address go from its job's chunks (before the
        listing loses the address: a retry finds them again). Reads the job's chunks, not the
        organizer's: at most a list's rows / RECIPIENTS_PER_ITEM items."""
        prefix = ik.job_rows(batch_id, job_id, 0)["SK"].rsplit("#", 1)[0] + "#"
        for chunk in self.table.query_partition(keys.batch_partition(batch_id), prefix, True):
            rows = chunk.get("rows", [])
            kept = [r for r in rows if r.get("address") != address]
            if len(kept) != len(rows):
                self.table.write(Put({**chunk, "rows": kept}))

"""A batch's invitation counter item, read alone: the voucher-batch API answers a batch's counts
with it, without the invitation store and its models (cold start)."""

from __future__ import annotations

from ticketing.adapters import invitation_keys as ik
from ticketing.adapters.dynamo import Table
from ticketing.domain.voucher_counts import Counts


def read_counts(table: Table, batch_id: str) -> Counts:
    """Assigned and invited, from the batch's counter item (one consistent read)."""
    item = table.get(ik.counts(batch_id), consistent=True) or {}
    return Counts(assigned=int(item.get("assigned", 0)), invited=int(item.get("invited", 0)))


class DynamoInvitationCounts:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def counts(self, batch_id: str) -> Counts:
        return read_counts(self.table, batch_id)

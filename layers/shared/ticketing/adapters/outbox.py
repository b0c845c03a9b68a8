"""Pending mail (the outbox): a mail written in the same transaction as its change.

A use case commits the entry with its change and hands the mail to the queue afterwards;
should the queue be down, the entry stays and the recovery schedule queues it later.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Put, Table
from ticketing.mail.messages import MailRequest
from ticketing.services.parts import Part, PendingMail


class DynamoOutbox:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def pending(self, request: MailRequest, created_at: datetime, shard_by: str) -> PendingMail:
        created = created_at.astimezone(UTC).isoformat()
        shard = sum(shard_by.encode()) % keys.OUTBOX_SHARDS
        entry: dict[str, object] = {
            **keys.outbox(shard, created, request.request_id),
            "kind": "outbox",
            "payload": request.model_dump_json(),
        }
        return PendingMail(entry, request)

    def part_of(self, pending: PendingMail) -> Part:
        return Part("mail", Put(pending.entry))

    def pending_mail(self, older_than: datetime, limit: int = 100) -> list[PendingMail]:
        cutoff = older_than.astimezone(UTC).isoformat()
        found: list[PendingMail] = []
        for shard in range(keys.OUTBOX_SHARDS):
            for item in self.table.query_partition(keys.outbox_partition(shard), limit=limit):
                if str(item["SK"]) < cutoff:
                    request = MailRequest.model_validate_json(str(item["payload"]))
                    found.append(PendingMail(item, request))
        return found[:limit]

    def remove(self, pending: PendingMail) -> None:
        self.table.delete({"PK": str(pending.entry["PK"]), "SK": str(pending.entry["SK"])})

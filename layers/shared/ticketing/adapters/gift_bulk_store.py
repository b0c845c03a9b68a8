"""Bulk issues of gift vouchers: their progress item (DynamoDB), their queue (SQS) and their
uploaded lists (S3, under ``gift-bulk/``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ticketing.adapters import aws, gift_keys
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.dynamo import ConditionFailed, Put, Table, Update
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.gift_bulk import BulkIssue, BulkStatus, RowError
from ticketing.settings import settings

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime


class DynamoBulkStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def add_bulk(self, bulk: BulkIssue) -> None:
        item = to_item(bulk, "gift_bulk", **gift_keys.bulk_issue(bulk.bulk_id))
        self.table.write(Put(item, condition="attribute_not_exists(PK)"))

    def get_bulk(self, bulk_id: str) -> BulkIssue | None:
        item = self.table.get(gift_keys.bulk_issue(bulk_id), consistent=True)
        return None if item is None else from_item(BulkIssue, item)

    def move_bulk(
        self, bulk_id: str, before: BulkStatus, after: BulkStatus, at: datetime, rows: int = 0
    ) -> bool:
        extra = ", #rows = :rows" if rows else ""
        try:
            self.table.write(
                Update(
                    gift_keys.bulk_issue(bulk_id),
                    f"SET #status = :after, progress_at = :at{extra}",
                    condition="#status = :before",
                    names={"#status": "status", **({"#rows": "rows"} if rows else {})},
                    values={
                        ":after": after,
                        ":before": before,
                        ":at": at.isoformat(),
                        **({":rows": rows} if rows else {}),
                    },
                )
            )
        except ConditionFailed:
            return False
        return True

    def advance(
        self,
        bulk_id: str,
        start: int,
        end: int,
        counts: tuple[int, int, int],
        errors: Sequence[RowError],
        at: datetime,
        done: bool,
    ) -> bool:
        done_part = ", #status = :done, finished_at = :at" if done else ""
        try:
            self.table.write(
                Update(
                    gift_keys.bulk_issue(bulk_id),
                    "SET next_row = :end, progress_at = :at, "
                    f"#errors = list_append(if_not_exists(#errors, :none), :errors){done_part} "
                    "ADD issued :issued, repeated :repeated, failed :failed",
                    condition="next_row = :start",
                    names={"#errors": "errors", **({"#status": "status"} if done else {})},
                    values={
                        ":end": end,
                        ":start": start,
                        ":at": at.isoformat(),
                        ":none": [],
                        ":errors": [e.model_dump(mode="json", exclude_none=True) for e in errors],
                        ":issued": counts[0],
                        ":repeated": counts[1],
                        ":failed": counts[2],
                        **({":done": "done"} if done else {}),
                    },
                )
            )
        except ConditionFailed:
            return False
        return True


class SqsBulkQueue:
    def __init__(self, queue_url: str | None = None) -> None:
        self._queue_url = queue_url

    def enqueue_bulk(self, bulk_id: str, start_row: int) -> None:
        aws.sqs().send_message(
            QueueUrl=self._queue_url or settings().gift_bulk_queue_url,
            MessageBody=json.dumps({"bulk_id": bulk_id, "start_row": start_row}),
        )


class S3GiftFiles(S3DocumentStore):
    def upload_url(self, key: str, content_type: str, seconds: int = 900) -> str:
        """A presigned PUT of the list (the uploader sends this Content-Type)."""
        return aws.s3().generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type},
            ExpiresIn=min(seconds, 900),
        )

"""Erasure records (``ERASURE#<id>``), the keyed hash of an erased address (``ERASED#…``),
and the erasure queue (SQS)."""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING

from ticketing.adapters import aws, privacy_keys
from ticketing.adapters.dynamo import ConditionFailed, Put, Table, Update
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.erasure import Erasure
from ticketing.services.parts import Part
from ticketing.settings import settings

if TYPE_CHECKING:
    from datetime import datetime


class DynamoErasureStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def start(self, erasure: Erasure) -> None:
        write = self.starting(erasure).write
        assert isinstance(write, Put)
        self.table.write(write)

    def starting(self, erasure: Erasure) -> Part:
        item = to_item(erasure, "erasure", **privacy_keys.erasure(erasure.erasure_id))
        return Part("erasure", Put(item, condition="attribute_not_exists(PK)"))

    def get(self, erasure_id: str) -> Erasure | None:
        item = self.table.get(privacy_keys.erasure(erasure_id), consistent=True)
        return None if item is None else from_item(Erasure, item)

    def running(self, erasure_id: str) -> None:
        with contextlib.suppress(ConditionFailed):
            self.table.write(
                Update(
                    privacy_keys.erasure(erasure_id),
                    "SET #state = :running",
                    condition="#state = :queued",
                    names={"#state": "state"},
                    values={":running": "running", ":queued": "queued"},
                )
            )

    def finish(self, erasure: Erasure, at: datetime) -> None:
        done = Update(
            privacy_keys.erasure(erasure.erasure_id),
            "SET #state = :done, #finished = :at",
            condition="#state <> :done",
            names={"#state": "state", "#finished": "finished_at"},
            values={":done": "done", ":at": at.isoformat()},
        )
        marker = Put(
            {
                **privacy_keys.erased(erasure.organizer_id, erasure.erased),
                "kind": "erased_address",
                "erased_at": at.isoformat(),
            }
        )
        with contextlib.suppress(ConditionFailed):
            self.table.transact([done, marker])

    def erased_before(self, organizer_id: str, erased: str) -> bool:
        return (
            self.table.get(privacy_keys.erased(organizer_id, erased), consistent=True) is not None
        )


class SqsErasureQueue:
    def __init__(self, queue_url: str | None = None) -> None:
        self._queue_url = queue_url

    def send(self, erasure_id: str) -> None:
        aws.sqs().send_message(
            QueueUrl=self._queue_url or settings().erasure_queue_url,
            MessageBody=json.dumps({"erasure_id": erasure_id}),
        )

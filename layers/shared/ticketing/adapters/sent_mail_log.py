"""Which mail requests were already delivered, so a redelivered SQS message sends nothing; the
marker is written with the person index's records of the mail (issue 17) in one commit."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionFailed, Put, Table

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.adapters.dynamo import Write
    from ticketing.services.ports import Part

KEEP_FOR = timedelta(days=30)


class DynamoSentMailLog:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def was_sent(self, request_id: str) -> bool:
        return self.table.get(keys.mail_sent(request_id), consistent=True) is not None

    def mark_sent(self, request_id: str, at: datetime, also: Sequence[Part] = ()) -> None:
        marker = {
            **keys.mail_sent(request_id),
            "kind": "mail_sent",
            "sent_at": at.isoformat(),
            keys.TTL_ATTRIBUTE: int((at + KEEP_FOR).timestamp()),
        }
        # a concurrent delivery may have marked it first (and recorded it under its people);
        # both sends already happened
        with contextlib.suppress(ConditionFailed):
            if not also:
                self.table.put_new(marker)
                return
            new = Put(marker, condition="attribute_not_exists(PK)")
            self.table.transact([new, *(cast("Write", part.write) for part in also)])


class DynamoReminderLog:
    """Which reminders went out: taking a reminder is one conditional put, so it goes once."""

    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def take(self, what: str, at: datetime) -> bool:
        try:
            self.table.put_new(
                {
                    **keys.reminder(what),
                    "kind": "reminder",
                    "sent_at": at.isoformat(),
                    keys.TTL_ATTRIBUTE: int((at + timedelta(days=60)).timestamp()),
                }
            )
        except ConditionFailed:
            return False
        return True

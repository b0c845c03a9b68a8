"""Which mail requests were already delivered, so a redelivered SQS message sends nothing."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionFailed, Table

KEEP_FOR = timedelta(days=30)


class DynamoSentMailLog:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def was_sent(self, request_id: str) -> bool:
        return self.table.get(keys.mail_sent(request_id), consistent=True) is not None

    def mark_sent(self, request_id: str, at: datetime) -> None:
        # a concurrent delivery may have marked it first; both sends already happened
        with contextlib.suppress(ConditionFailed):
            self.table.put_new(
                {
                    **keys.mail_sent(request_id),
                    "kind": "mail_sent",
                    "sent_at": at.isoformat(),
                    keys.TTL_ATTRIBUTE: int((at + KEEP_FOR).timestamp()),
                }
            )


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

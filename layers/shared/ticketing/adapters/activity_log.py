"""The activity log of orders and events in DynamoDB: one item per action, in time order."""

from __future__ import annotations

import secrets
from datetime import datetime

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Table
from ticketing.services.ports_console import Activity, Subject


class DynamoActivityLog:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def record(self, activity: Activity) -> None:
        pk = keys.activity(activity.subject, activity.subject_id)
        # the random tail keeps two actions of one moment apart
        sk = f"{keys.utc_key(activity.at)}#{secrets.token_hex(4)}"
        item: dict[str, object] = {
            "PK": pk,
            "SK": sk,
            "kind": "activity",
            "at": activity.at.isoformat(),
            "who": activity.who,
            "message_id": activity.message_id,
            "params": dict(activity.params),
        }
        if activity.user_id:
            item["user_id"] = activity.user_id
        self.table.put_new(item)

    def of(self, subject: Subject, subject_id: str, limit: int = 100) -> list[Activity]:
        pk = keys.activity(subject, subject_id)
        items = self.table.query_partition(pk, limit=limit)
        return [
            Activity(
                subject=subject,
                subject_id=subject_id,
                at=datetime.fromisoformat(str(i["at"])),
                who=str(i["who"]),
                message_id=str(i["message_id"]),
                params={str(k): str(v) for k, v in dict(i.get("params") or {}).items()},
                user_id=str(i["user_id"]) if i.get("user_id") else None,
            )
            for i in items
        ]

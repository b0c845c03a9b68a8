"""Parked mail: requests no retry would send, kept with their reason and shown on their order."""

from __future__ import annotations

from datetime import datetime, timedelta

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Put, Table
from ticketing.services.parts import MailFailure

KEEP_FOR = timedelta(days=365)  # as long as an organizer looks back at an order


class DynamoMailFailures:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def park(self, failure: MailFailure) -> None:
        """Keep ``failure``; parking the same request again keeps its latest reason."""
        about = failure.order_number or failure.request_id
        item: dict[str, object] = {
            **keys.mail_failure(about, failure.request_id),
            "kind": "mail_failure",
            "request_id": failure.request_id,
            "template": failure.template,
            "reason": failure.reason,
            "at": failure.at.isoformat(),
            keys.TTL_ATTRIBUTE: int((failure.at + KEEP_FOR).timestamp()),
        }
        if failure.order_number is not None:
            item["order_number"] = failure.order_number
        self.table.write(Put(item))

    def for_order(self, order_number: str) -> list[MailFailure]:
        items = self.table.iter_partition(keys.mail_failures_partition(order_number))
        found = [
            MailFailure(
                request_id=str(item["request_id"]),
                template=str(item["template"]),
                reason=str(item["reason"]),
                at=datetime.fromisoformat(str(item["at"])),
                order_number=order_number,
            )
            for item in items
        ]
        return sorted(found, key=lambda failure: failure.at)

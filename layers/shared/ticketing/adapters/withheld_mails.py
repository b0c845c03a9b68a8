"""The mail the policy withheld (issue 15), recorded per order for the organizer's view of
it. Apart from the consent store, so that showing an order loads no consent models (cold
start). Keys in ``adapters/mail_keys.py``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from ticketing.adapters import keys, mail_keys
from ticketing.adapters.dynamo import Put, Table
from ticketing.services.ports_mail import WithheldMail

KEEP_WITHHELD = timedelta(days=365)  # as long as an organizer looks back at an order


class DynamoWithheldMails:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def record(self, withheld: WithheldMail) -> None:
        about = withheld.order_number or withheld.request_id
        item: dict[str, Any] = {
            k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in asdict(withheld).items()
            if v is not None
        }
        item.update(mail_keys.withheld(about, withheld.request_id, withheld.address))
        item["kind"] = "withheld_mail"
        item[keys.TTL_ATTRIBUTE] = int((withheld.at + KEEP_WITHHELD).timestamp())
        self.table.write(Put(item))

    def for_order(self, order_number: str) -> list[WithheldMail]:
        found = [
            WithheldMail(
                request_id=str(item["request_id"]),
                template=str(item["template"]),
                mail_class=str(item["mail_class"]),
                address=str(item["address"]),
                outcome=item["outcome"],
                reason=str(item["reason"]),
                at=datetime.fromisoformat(str(item["at"])),
                order_number=order_number,
            )
            for item in self.table.iter_partition(mail_keys.withheld_partition(order_number))
        ]
        return sorted(found, key=lambda withheld: withheld.at)

"""Mail policy in DynamoDB (issue 15): consent, suppressed addresses and consent link tokens
(the mail the policy withheld: ``adapters/withheld_mails.py``). Keys in
``adapters/mail_keys.py``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from ticketing.adapters import keys, mail_keys
from ticketing.adapters.dynamo import ConditionFailed, Put, Table, Update
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.consent import Channel, Consent, ConsentKind, Suppression
from ticketing.services.ports_mail import MailToken


class DynamoConsentStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def get(self, organizer_id: str, address: str) -> Consent:
        item = self.table.get(mail_keys.consent(organizer_id, address), consistent=True)
        if item is None:
            return Consent(organizer_id=organizer_id, address=address)
        return from_item(Consent, item)

    def change(
        self,
        organizer_id: str,
        address: str,
        what: ConsentKind,
        value: bool,
        at: datetime,
        channel: Channel,
    ) -> Consent:
        """One update: the value, the defaults of a new item, and the change appended."""
        entry = {"what": what, "value": value, "at": at.isoformat(), "channel": channel}
        other = "marketing" if what == "reminders" else "reminders"
        item = self.table.write(
            Update(
                mail_keys.consent(organizer_id, address),
                "SET #what = :value, #other = if_not_exists(#other, :default), "
                "organizer_id = :org, address = :address, kind = :kind, "
                "history = list_append(if_not_exists(history, :none), :entry)",
                names={"#what": what, "#other": other},
                values={
                    ":value": value,
                    ":default": other == "reminders",
                    ":org": organizer_id,
                    ":address": address,
                    ":kind": "consent",
                    ":none": [],
                    ":entry": [entry],
                },
            )
        )
        assert item is not None
        return from_item(Consent, item)


class DynamoSuppressionStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def get(self, address: str) -> Suppression | None:
        item = self.table.get(mail_keys.suppression(address), consistent=True)
        return None if item is None else from_item(Suppression, item)

    def suppress(self, suppression: Suppression) -> None:
        key = mail_keys.suppression(suppression.address)
        self.table.write(Put(to_item(suppression, "suppression", **key)))


class DynamoMailTokens:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def put(self, token: MailToken) -> None:
        item: dict[str, Any] = {
            k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in asdict(token).items()
            if v is not None
        }
        item["expires_at_iso"] = item.pop("expires_at")  # the TTL attribute is epoch seconds
        item["kind"] = "mail_token"
        item[keys.TTL_ATTRIBUTE] = int((token.expires_at + timedelta(days=1)).timestamp())
        # an update that must create the item: the portal may update, not put (least privilege)
        names = {f"#a{i}": name for i, name in enumerate(item)}
        self.table.write(
            Update(
                mail_keys.mail_token(token.digest),
                "SET " + ", ".join(f"#a{i} = :a{i}" for i in range(len(item))),
                condition="attribute_not_exists(PK)",
                names=names,
                values={f":a{i}": value for i, value in enumerate(item.values())},
            )
        )

    def peek(self, digest: str) -> MailToken | None:
        item = self.table.get(mail_keys.mail_token(digest), consistent=True)
        return None if item is None else _token(item)

    def use(self, digest: str, now: datetime) -> MailToken | None:
        try:
            item = self.table.write(
                Update(
                    mail_keys.mail_token(digest),
                    "SET used_at = :now",
                    condition="attribute_exists(PK) AND attribute_not_exists(used_at) "
                    "AND expires_at_iso > :now",
                    values={":now": now.isoformat()},
                )
            )
        except ConditionFailed:
            return None
        return None if item is None else _token(item)


def _token(item: dict[str, Any]) -> MailToken:
    used = item.get("used_at")
    return MailToken(
        digest=str(item["digest"]),
        purpose=item["purpose"],
        organizer_id=str(item["organizer_id"]),
        address=str(item["address"]),
        expires_at=datetime.fromisoformat(str(item["expires_at_iso"])),
        order_number=None if item.get("order_number") is None else str(item["order_number"]),
        used_at=None if used is None else datetime.fromisoformat(str(used)),
    )

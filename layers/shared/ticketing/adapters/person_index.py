"""The person index in DynamoDB: ``PERSON#<org>#<hmac>`` with an entry per item of theirs
(an order, a gift voucher issued to them, a complaint about it, an invitation), written in that
item's own commit (services/ordering.py, services/gift_vouchers/issuing.py, services/hotline.py),
and a record per mail sent to them (``MAIL#<request_id>``), written with the mailer's sent-marker
(services/mail.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ticketing.adapters import keys, privacy_keys
from ticketing.adapters.dynamo import Put, Table
from ticketing.domain.persons import EntryKind, erased_digest, person_digest
from ticketing.services.parts import Part
from ticketing.settings import settings

if TYPE_CHECKING:
    from ticketing.adapters.dynamo import Item
    from ticketing.domain.erasure import PersonEntry, SentMail

# as long as the parked and withheld mails of an order (adapters/mail_failures.py)
KEEP_MAIL_RECORDS = timedelta(days=365)


class DynamoPersonIndex:
    def __init__(self, table: Table | None = None, secret: bytes | None = None) -> None:
        self.table = table or Table()
        self._secret = secret

    @property
    def secret(self) -> bytes:
        return self._secret or settings().person_index_key

    def person(self, organizer_id: str, email: str) -> str:
        return person_digest(self.secret, organizer_id, email)

    def erased_hash(self, organizer_id: str, email: str) -> str:
        return erased_digest(self.secret, organizer_id, email)

    def entry(
        self, organizer_id: str, email: str, order_number: str, kind: EntryKind = "order"
    ) -> Part:
        return Part("person", Put(self.entry_item(organizer_id, email, order_number, kind)))

    def entry_item(self, organizer_id: str, email: str, ref: str, kind: EntryKind) -> Item:
        """The entry as an item (the backfill puts it on its own, conditionally)."""
        digest = self.person(organizer_id, email)
        return {
            **privacy_keys.person_entry(organizer_id, digest, kind, ref),
            "kind": "person_entry",
            "entry_kind": kind,
            "ref": ref,
        }

    def sent(self, organizer_id: str, email: str, request_id: str, mail: SentMail) -> Part:
        item = {
            **self.entry_item(organizer_id, email, request_id, "mail"),
            **mail.model_dump(mode="json", exclude_none=True),
            keys.TTL_ATTRIBUTE: int((mail.sent_at + KEEP_MAIL_RECORDS).timestamp()),
        }
        return Part("person", Put(item))

    def entries(self, organizer_id: str, person: str) -> list[PersonEntry]:
        items = self.table.query_partition(
            privacy_keys.person(organizer_id, person), consistent=True
        )
        return [_entry(i) for i in items]


def _entry(item: Item) -> PersonEntry:
    # the erasure's models load only where entries are read (export, erasure: cold start)
    from ticketing.domain.erasure import PersonEntry, SentMail

    kind = item.get("entry_kind", "order")
    mail = SentMail.model_validate(item) if kind == "mail" else None
    return PersonEntry.model_validate({"kind": kind, "ref": str(item["ref"]), "mail": mail})

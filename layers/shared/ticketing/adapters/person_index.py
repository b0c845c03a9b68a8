"""The person index in DynamoDB: ``PERSON#<org>#<hmac>`` with an entry per item of theirs
(an order, a gift voucher issued to them, a complaint about it), written in that item's own
commit (services/ordering.py, services/gift_vouchers/issuing.py, services/hotline.py)."""

from __future__ import annotations

from ticketing.adapters import privacy_keys
from ticketing.adapters.dynamo import Put, Table
from ticketing.domain.erasure import EntryKind, PersonEntry, erased_digest, person_digest
from ticketing.services.ports import Part
from ticketing.settings import settings


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
        digest = self.person(organizer_id, email)
        item = {
            **privacy_keys.person_entry(organizer_id, digest, kind, order_number),
            "kind": "person_entry",
            "entry_kind": kind,
            "ref": order_number,
        }
        return Part("person", Put(item))

    def entries(self, organizer_id: str, person: str) -> list[PersonEntry]:
        items = self.table.query_partition(
            privacy_keys.person(organizer_id, person), consistent=True
        )
        return [
            PersonEntry.model_validate({"kind": i.get("entry_kind", "order"), "ref": str(i["ref"])})
            for i in items
        ]

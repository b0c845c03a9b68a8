"""A person's data on an order and what hangs on it, replaced by the marker in DynamoDB.

Every write is idempotent: the header and positions are set to their erased form, the voucher
registration's names replaced, the claim and namesake removed in the same commit as the
registration changes (so a retry finds the original names only if nothing was done yet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.adapters import keys, mail_keys, privacy_keys
from ticketing.adapters.dynamo import Item, Put, Table, Update, Write, request_token, serialize
from ticketing.adapters.records import from_item
from ticketing.domain.consent import address_key
from ticketing.domain.emails import mailbox
from ticketing.domain.erasure import ERASED, Erasure, PersonEntry, no_counts
from ticketing.domain.visitor_vouchers import VisitorVoucher, namesake

if TYPE_CHECKING:
    from ticketing.domain.orders import Order

_PERSON_IN_POSITION = ("answers", "attendee", "first_name", "last_name", "email", "phone")
# partitions of an order that hold its recipients' addresses
_MAIL_PARTITIONS = ("MAILFAILED#{}", "MAILWITHHELD#{}", "ACTIVITY#ORDER#{}")


class DynamoPersonalData:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def voucher_of(self, order: Order) -> VisitorVoucher | None:
        if order.voucher_code is None:
            return None
        item = self.table.get(keys.voucher(order.voucher_code), consistent=True)
        return None if item is None else from_item(VisitorVoucher, item)

    def erase_order(self, order: Order) -> dict[str, int]:
        counts = no_counts()
        number = order.order_number
        self.table.write(
            Update(
                keys.order(number),
                "SET #customer = :customer, #changes = :none, #erased = :yes "
                "REMOVE GSI2PK, GSI2SK, #answers",
                condition="attribute_exists(PK)",
                names={
                    "#customer": "customer",
                    "#changes": "email_changes",
                    "#erased": "erased",
                    "#answers": "answers",
                },
                values={
                    ":customer": {"first_name": ERASED, "last_name": ERASED},
                    ":none": [],
                    ":yes": True,
                },
            )
        )
        counts["orders"] = 1
        counts["search_entries"] = 1
        for item in self.table.query_partition(keys.order_partition(number), keys.POSITIONS_PREFIX):
            positions = [_erased_position(p) for p in item.get("positions", [])]
            self.table.write(Put({**item, "positions": positions}))
            counts["positions"] += len(positions)
        if order.voucher_code is not None:
            for kind, n in self._erase_registration(order.voucher_code).items():
                counts[kind] += n
        for pattern in _MAIL_PARTITIONS:
            for item in self.table.query_partition(pattern.format(number)):
                self.table.delete({"PK": item["PK"], "SK": item["SK"]})
                counts["mail_records"] += 1
        return counts

    def _erase_registration(self, code: str) -> dict[str, int]:
        item = self.table.get(keys.voucher(code), consistent=True)
        registration = (item or {}).get("registration")
        if item is None or not registration or registration.get("email") == ERASED:
            return {"voucher_registrations": 1} if registration else {}
        event_id = str(item["event_id"])
        writes: list[Write | dict[str, Any]] = [
            Update(
                keys.voucher(code),
                "SET #r.#first = :m, #r.#last = :m, #r.#email = :m REMOVE #r.#company, #r.#answers",
                condition="#r.#email = :email",
                names={
                    "#r": "registration",
                    "#first": "first_name",
                    "#last": "last_name",
                    "#email": "email",
                    "#company": "company",
                    "#answers": "answers",
                },
                values={":m": ERASED, ":email": registration["email"]},
            ),
            _delete(keys.claim(event_id, mailbox(str(registration["email"])))),
        ]
        digest = namesake(
            str(registration["first_name"]),
            str(registration["last_name"]),
            registration.get("company"),
        )
        named = self.table.get(keys.namesake(event_id, digest), consistent=True)
        if named is not None:
            if named.get("code") == code or int(named.get("count", 1)) <= 1:
                writes.append(_delete(keys.namesake(event_id, digest)))
            else:
                writes.append(
                    Update(
                        keys.namesake(event_id, digest),
                        "ADD #count :less",
                        names={"#count": "count"},
                        values={":less": -1},
                    )
                )
        self._transact(writes)
        return {"voucher_registrations": 1, "claims": 1, "namesakes": int(named is not None)}

    def forget(self, erasure: Erasure, entry: PersonEntry, counts: dict[str, int]) -> bool:
        adds = [k for k, n in counts.items() if n]
        expression = "SET #state = :running"
        if adds:
            expression += " ADD " + ", ".join(f"#counts.#{k} :{k}" for k in adds)
        names = {"#state": "state", "#counts": "counts", **{f"#{k}": k for k in adds}}
        values: dict[str, Any] = {":running": "running", **{f":{k}": counts[k] for k in adds}}
        key = privacy_keys.person_entry(erasure.organizer_id, erasure.person, entry.kind, entry.ref)
        delete = _delete(key, condition="attribute_exists(PK)")
        update = Update(
            privacy_keys.erasure(erasure.erasure_id), expression, names=names, values=values
        )
        try:
            self._transact([delete, update])
        except self.table.client.exceptions.TransactionCanceledException:
            return False
        return True

    def erase_consent(self, organizer_id: str, email: str) -> int:
        key = mail_keys.consent(organizer_id, address_key(email))
        response = self.table.client.delete_item(
            TableName=self.table.name, Key=serialize(key), ReturnValues="ALL_OLD"
        )
        return int(bool(response.get("Attributes")))

    def _transact(self, writes: list[Write | dict[str, Any]]) -> None:
        """One transaction that may delete (``Table.transact`` puts and updates only)."""
        items = [op if isinstance(op, dict) else _one(op) for op in writes]
        for item in items:
            next(iter(item.values()))["TableName"] = self.table.name
        self.table.client.transact_write_items(
            TransactItems=items,  # type: ignore[arg-type]
            ClientRequestToken=request_token(),
        )


def _one(op: Write) -> dict[str, Any]:
    assert isinstance(op, Update)
    body: dict[str, Any] = {
        "TableName": "",
        "Key": serialize(op.key),
        "UpdateExpression": op.expression,
    }
    if op.condition:
        body["ConditionExpression"] = op.condition
    if op.names:
        body["ExpressionAttributeNames"] = dict(op.names)
    if op.values:
        body["ExpressionAttributeValues"] = serialize(op.values)
    return {"Update": body}


def _delete(key: keys.Key, condition: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": "", "Key": serialize(key)}
    if condition:
        body["ConditionExpression"] = condition
    return {"Delete": body}


def _erased_position(position: Item) -> Item:
    kept = {k: v for k, v in position.items() if k not in _PERSON_IN_POSITION}
    return {**kept, "holder_name": ERASED}

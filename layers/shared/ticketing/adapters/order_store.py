"""Orders in DynamoDB: a header item plus position items of up to 100 tickets each.

Placing an order is one transaction (services/ordering.py): the event's ``sold`` counter rises
under a condition that keeps it within capacity, the header and every position item are
written, with the pending mail and whatever the use case adds (an idempotency record, a
registered voucher). A 500-ticket order is 1 + 1 + 5 + 1 + 1 = 9 items, well inside 100.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from ticketing.adapters import event_figures, keys
from ticketing.adapters.dynamo import (
    ConditionFailed,
    Item,
    Put,
    Table,
    Update,
)
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.orders import POSITIONS_PER_ITEM, Order, Position, search_key
from ticketing.services.parts import AlreadyCheckedIn, Part, WriteRefused

_POSITION_NAMES = {
    "#positions": "positions",
    "#checked": "checked_in_at",
    "#id": "position_id",
    "#secret": "secret",
}


class DynamoOrderStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    # writing ---------------------------------------------------------------------------------

    def placement(self, order: Order, capacity: int) -> list[Part]:
        """The parts that write a new order and take its places.

        ``capacity``: the event's ``sold`` counter rises under a condition that keeps it
        within capacity; ``order``: the header (its number must be free); ``positions``: up
        to 100 tickets per item.
        """
        limit = capacity - order.quantity
        if limit < 0:
            raise WriteRefused(["capacity"])
        reserve = Update(
            keys.event(order.event_id),
            "SET #sold = if_not_exists(#sold, :zero) + :quantity",
            condition="attribute_exists(PK) AND #capacity = :capacity "
            "AND (attribute_not_exists(#sold) OR #sold <= :limit)",
            # both are DynamoDB reserved words
            names={"#sold": "sold", "#capacity": "capacity"},
            values={
                ":zero": 0,
                ":quantity": order.quantity,
                ":capacity": capacity,
                ":limit": limit,
            },
        )
        parts = [
            # the booked price option's dashboard figures rise in the same update
            Part("capacity", event_figures.with_booking(reserve, order)),
            Part("order", Put(self._header(order), condition="attribute_not_exists(PK)")),
        ]
        for chunk, start in enumerate(range(0, len(order.positions), POSITIONS_PER_ITEM)):
            positions = order.positions[start : start + POSITIONS_PER_ITEM]
            item = {
                **keys.order_positions(order.order_number, chunk),
                "kind": "order_positions",
                "positions": [p.model_dump(mode="json", exclude_none=True) for p in positions],
            }
            parts.append(Part("positions", Put(item)))
        return parts

    @staticmethod
    def _header(order: Order) -> Item:
        name_key = search_key(order.customer.last_name) or "_"
        created = order.created_at.astimezone(UTC).isoformat()
        return to_item(
            order.model_copy(update={"positions": []}),
            "order",
            **keys.order(order.order_number),
            GSI1PK=keys.event_orders(order.event_id),
            GSI1SK=f"{created}#{order.order_number}",
            GSI2PK=keys.name_search(order.organizer_id, name_key),
            GSI2SK=f"{name_key}#{created}#{order.order_number}",
        )

    def mark_paid(self, order_number: str, at: datetime) -> bool:
        """Open -> paid, once. False when the order was not open."""
        try:
            self.table.write(
                Update(
                    keys.order(order_number),
                    "SET #status = :paid, #paid_at = :at",
                    condition="#status = :open",
                    names={"#status": "payment_status", "#paid_at": "paid_at"},
                    values={":paid": "paid", ":open": "open", ":at": at.isoformat()},
                )
            )
        except ConditionFailed:
            return False
        return True

    def change_email(self, order: Order, email: str, at: datetime, by: str) -> None:
        """Correct the address the order's mail goes to, and keep the change on the order."""
        change = {
            "previous": order.mail_recipient,
            "current": email,
            "at": at.isoformat(),
            "by": by,
        }
        self.table.write(
            Update(
                keys.order(order.order_number),
                "SET #customer.#email = :email, #notify = :yes, "
                "#changes = list_append(if_not_exists(#changes, :none), :change)",
                condition="attribute_exists(PK)",
                names={
                    "#customer": "customer",
                    "#email": "email",
                    "#notify": "notify_customer",
                    "#changes": "email_changes",
                },
                values={":email": email, ":yes": True, ":none": [], ":change": [change]},
            )
        )

    def set_reminders(self, order_number: str, reminders: bool, at: datetime) -> None:
        """Seed 003: the holder's reminder consent, with a record of the change."""
        self.table.write(
            Update(
                keys.order(order_number),
                "SET #reminders = :on, #changes = list_append(if_not_exists(#changes, :none), :c)",
                condition="attribute_exists(PK)",
                names={"#reminders": "reminders", "#changes": "consent_changes"},
                values={
                    ":on": reminders,
                    ":none": [],
                    ":c": [{"reminders": reminders, "at": at.isoformat()}],
                },
            )
        )

    def take_portal_mail(self, order_number: str, now: datetime, per_day: int) -> bool:
        """One of the order's self-service mails of the last 24 hours, if fewer than
        ``per_day`` went out; a single conditional write on the list of send times."""
        key = keys.portal_mails(order_number)
        for _ in range(3):
            item = self.table.get(key, consistent=True)
            sent = [str(t) for t in (item or {}).get("sent", [])]
            recent = [t for t in sent if datetime.fromisoformat(t) > now - timedelta(hours=24)]
            if len(recent) >= per_day:
                return False
            condition = "attribute_not_exists(#sent)" if item is None else "#sent = :before"
            values: dict[str, Any] = {
                ":after": [*recent, now.isoformat()],
                ":expires": int((now + timedelta(days=2)).timestamp()),
            }
            if item is not None:
                values[":before"] = sent
            try:
                self.table.write(
                    Update(
                        key,
                        "SET #sent = :after, #expires = :expires",
                        condition=condition,
                        names={"#sent": "sent", "#expires": keys.TTL_ATTRIBUTE},
                        values=values,
                    )
                )
                return True
            except ConditionFailed:
                continue  # another request took one meanwhile: count again
        return False

    # reading ---------------------------------------------------------------------------------

    def get(self, order_number: str) -> Order | None:
        items = self.table.query_partition(keys.order_partition(order_number), consistent=True)
        header = next((i for i in items if i["SK"] == keys.ORDER_HEADER), None)
        if header is None:
            return None
        positions: list[dict[str, Any]] = []
        for item in sorted(
            (i for i in items if i["SK"].startswith(keys.POSITIONS_PREFIX)), key=_sk
        ):
            positions.extend(item.get("positions", []))
        order = from_item(Order, header)
        return order.model_copy(update={"positions": [from_item(Position, p) for p in positions]})

    def get_header(self, order_number: str) -> Order | None:
        item = self.table.get(keys.order(order_number))
        return None if item is None else from_item(Order, item)

    def list_for_event(
        self, event_id: str, limit: int, cursor: dict[str, object] | None
    ) -> tuple[list[Order], dict[str, object] | None]:
        """A page of an event's orders, newest first, without their positions."""
        partition = keys.event_orders(event_id)
        if cursor is not None and cursor.get(keys.GSI1PK) != partition:
            raise InvalidRequest("cursor is not one this API handed out", field="cursor")
        items, last = self.table.query_index(
            partition, limit=limit, start_after=cursor, newest_first=True
        )
        return [from_item(Order, i) for i in items], last

    def search_last_name(
        self, organizer_id: str, name_key: str, limit: int, cursor: dict[str, object] | None = None
    ) -> tuple[list[Order], dict[str, object] | None]:
        """A page of the organizer's orders whose last name starts with ``name_key``."""
        partition = keys.name_search(organizer_id, name_key)
        # DynamoDB refuses a start key outside the query (another prefix, keys missing)
        if cursor is not None and (
            set(cursor) != {"PK", "SK", keys.GSI2PK, keys.GSI2SK}
            or cursor[keys.GSI2PK] != partition
            or not str(cursor[keys.GSI2SK]).startswith(name_key)
        ):
            raise InvalidRequest("cursor is not one this API handed out", field="cursor")
        items, last = self.table.query_index(
            partition,
            limit=limit,
            start_after=cursor,
            index=keys.GSI2,
            sort_prefix=name_key,
            newest_first=True,
        )
        return [from_item(Order, i) for i in items], last

    # check-in --------------------------------------------------------------------------------

    def check_in(self, order: Order, position_id: str, secret: str, at: datetime) -> None:
        """Mark one position checked in, once; AlreadyCheckedIn carries the first time."""
        index = next(i for i, p in enumerate(order.positions) if p.position_id == position_id)
        chunk, offset = divmod(index, POSITIONS_PER_ITEM)
        path = f"#positions[{offset}]"
        mark = Update(
            keys.order_positions(order.order_number, chunk),
            f"SET {path}.#checked = :at",
            condition=f"attribute_not_exists({path}.#checked) "
            f"AND {path}.#id = :id AND {path}.#secret = :secret",
            names=_POSITION_NAMES,
            values={":at": at.isoformat(), ":id": position_id, ":secret": secret},
        )
        # a check-in shard of the event rises with the mark; a visitor voucher used at the
        # fair: the exhibitor's redemption list shows it and the statement bills it, too
        used = _voucher_used(order, at) if order.voucher_code and order.exhibitor_id else []
        try:
            event_figures.transact(self.table, [mark, *used], order.event_id, 1)
        except ConditionFailed:
            current = self.get(order.order_number)
            position = current.position(position_id) if current else None
            if position is not None and position.checked_in_at is not None:
                raise AlreadyCheckedIn(position.checked_in_at) from None
            raise

    def rename_holder(self, order: Order, position_id: str, holder_name: str) -> bool:
        """The name on one ticket, unless it was checked in; one conditional write."""
        index = next(i for i, p in enumerate(order.positions) if p.position_id == position_id)
        chunk, offset = divmod(index, POSITIONS_PER_ITEM)
        path = f"#positions[{offset}]"
        try:
            self.table.write(
                Update(
                    keys.order_positions(order.order_number, chunk),
                    f"SET {path}.#holder = :name",
                    condition=f"{path}.#id = :id AND attribute_not_exists({path}.#checked)",
                    names={
                        "#positions": "positions",
                        "#id": "position_id",
                        "#checked": "checked_in_at",
                        "#holder": "holder_name",
                    },
                    values={":name": holder_name, ":id": position_id},
                )
            )
        except ConditionFailed:
            return False
        return True

    def check_in_all(self, order: Order, at: datetime) -> int:
        """Check in every position not yet checked in; returns how many this call checked in."""
        if order.voucher_code:
            for p in order.positions:
                if p.checked_in_at is None:
                    with contextlib.suppress(AlreadyCheckedIn):
                        self.check_in(order, p.position_id, p.secret, at)
                        return 1
            return 0
        done = 0
        for chunk, start in enumerate(range(0, len(order.positions), POSITIONS_PER_ITEM)):
            positions = order.positions[start : start + POSITIONS_PER_ITEM]
            pending = [i for i, p in enumerate(positions) if p.checked_in_at is None]
            if not pending:
                continue
            sets = ", ".join(f"#positions[{i}].#checked = :at" for i in pending)
            guards = " AND ".join(
                f"attribute_not_exists(#positions[{i}].#checked)" for i in pending
            )
            mark = Update(
                keys.order_positions(order.order_number, chunk),
                f"SET {sets}",
                condition=guards,
                names={"#positions": "positions", "#checked": "checked_in_at"},
                values={":at": at.isoformat()},
            )
            try:
                event_figures.transact(self.table, [mark], order.event_id, len(pending))
                done += len(pending)
            except ConditionFailed:
                # a scanner checked one in meanwhile: read again and take the rest
                fresh = self.get(order.order_number)
                if fresh is not None:
                    done += self.check_in_all(fresh, at)
                return done
        return done

    # invoices --------------------------------------------------------------------------------

    def assign_invoice_number(
        self, order: Order, number_for: Any, at: datetime, attempts: int = 10
    ) -> str:
        """Take the organizer's next invoice number for this order, gap-free.

        The counter rises and the order takes the number in one transaction, so a number is
        never used twice nor skipped; a race with another invoice simply retries.
        """
        for _ in range(attempts):
            current = self.get_header(order.order_number)
            if current is not None and current.invoice_number:
                return current.invoice_number
            sequence_key = keys.invoice_sequence(order.organizer_id)
            counter = self.table.get(sequence_key, consistent=True)
            last = int(counter["last"]) if counter else 0
            number = str(number_for(last + 1))
            condition = "attribute_not_exists(#last)" if last == 0 else "#last = :last"
            values: dict[str, Any] = {":next": last + 1}
            if last:
                values[":last"] = last
            try:
                self.table.transact(
                    [
                        Update(
                            sequence_key,
                            "SET #last = :next",
                            condition=condition,
                            names={"#last": "last"},
                            values=values,
                        ),
                        Update(
                            keys.order(order.order_number),
                            "SET #number = :number, #at = :at",
                            condition="attribute_exists(PK) AND attribute_not_exists(#number)",
                            names={"#number": "invoice_number", "#at": "invoiced_at"},
                            values={":number": number, ":at": at.isoformat()},
                        ),
                    ]
                )
                return number
            except ConditionFailed:
                continue
        raise RuntimeError("could not take an invoice number; too many concurrent invoices")


def _voucher_used(order: Order, at: datetime) -> list[Update]:
    assert order.voucher_code is not None
    assert order.exhibitor_id is not None
    return [
        Update(
            keys.voucher(order.voucher_code),
            "SET #registration.#checked = :at",
            condition="attribute_exists(#registration)",
            names={"#registration": "registration", "#checked": "checked_in_at"},
            values={":at": at.isoformat()},
        ),
        Update(
            keys.exhibitor_figures(order.exhibitor_id),
            "ADD #used :one",
            names={"#used": "used"},
            values={":one": 1},
        ),
    ]


def _sk(item: Item) -> str:
    return str(item["SK"])

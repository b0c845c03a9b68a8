"""Orders in memory (``OrderStore``, ``PortalMails``): a header, positions in chunks of 100.

Placing an order hands out the same parts as the DynamoDB store: ``capacity`` (the event's
``sold`` rises only within its capacity, and only if the capacity is still the one the use
case read), ``order`` (the number is free) and ``positions``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tests.fakes.database import FakeDatabase, FakeTransactions, FakeWrite, page_of
from tests.fakes.events import booked, checked_in
from ticketing.domain.orders import (
    POSITIONS_PER_ITEM,
    ConsentChange,
    EmailChange,
    Order,
    Position,
    search_key,
)
from ticketing.services.ports import AlreadyCheckedIn, Cursor, Part, WriteRefused


class FakeOrderStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    # writing ---------------------------------------------------------------------------------

    def placement(self, order: Order, capacity: int) -> list[Part]:
        limit = capacity - order.quantity
        if limit < 0:
            raise WriteRefused(["capacity"])
        db, number = self.db, order.order_number

        def room() -> bool:
            event = db.events.get(order.event_id)
            return event is not None and event.capacity == capacity and event.sold <= limit

        def take() -> None:
            event = db.events[order.event_id]
            db.events[order.event_id] = event.model_copy(
                update={"sold": event.sold + order.quantity}
            )
            booked(db, order.event_id, order.price_option, order.quantity, order.total)

        def header() -> None:
            db.orders[number] = order.model_copy(update={"positions": []})

        parts = [
            Part("capacity", FakeWrite(("event", order.event_id), room, take)),
            Part("order", FakeWrite(("order", number), lambda: number not in db.orders, header)),
        ]
        for chunk, start in enumerate(range(0, len(order.positions), POSITIONS_PER_ITEM)):
            positions = list(order.positions[start : start + POSITIONS_PER_ITEM])
            parts.append(
                Part(
                    "positions",
                    FakeWrite(
                        ("positions", number, chunk), apply=_put(db, number, chunk, positions)
                    ),
                )
            )
        return parts

    def mark_paid(self, order_number: str, at: datetime) -> bool:
        """Open -> paid, once. False when the order was not open."""
        with self.db.lock:
            order = self.db.orders.get(order_number)
            if order is None or order.payment_status != "open":
                return False
            self.db.orders[order_number] = order.model_copy(
                update={"payment_status": "paid", "paid_at": at}
            )
            return True

    def change_email(self, order: Order, email: str, at: datetime, by: str) -> None:
        change = EmailChange(previous=order.mail_recipient, current=email, at=at, by=by)
        with self.db.lock:
            stored = self._header(order.order_number)
            customer = stored.customer.model_copy(update={"email": email})
            self.db.orders[order.order_number] = stored.model_copy(
                update={
                    "customer": customer,
                    "notify_customer": True,
                    "email_changes": [*stored.email_changes, change],
                }
            )

    def set_reminders(self, order_number: str, reminders: bool, at: datetime) -> None:
        with self.db.lock:
            stored = self._header(order_number)
            change = ConsentChange(reminders=reminders, at=at)
            self.db.orders[order_number] = stored.model_copy(
                update={
                    "reminders": reminders,
                    "consent_changes": [*stored.consent_changes, change],
                }
            )

    def take_portal_mail(self, order_number: str, now: datetime, per_day: int) -> bool:
        with self.db.lock:
            sent = self.db.portal_mails.get(order_number, [])
            recent = [t for t in sent if t > now - timedelta(hours=24)]
            if len(recent) >= per_day:
                return False
            self.db.portal_mails[order_number] = [*recent, now]
            return True

    def _header(self, order_number: str) -> Order:
        stored = self.db.orders.get(order_number)
        if stored is None:
            raise WriteRefused(["order"])  # DynamoDB: attribute_exists(PK) fails
        return stored

    # reading ---------------------------------------------------------------------------------

    def get(self, order_number: str) -> Order | None:
        with self.db.lock:
            header = self.db.orders.get(order_number)
            if header is None:
                return None
            chunks = sorted(k for k in self.db.positions if k[0] == order_number)
            positions = [p for k in chunks for p in self.db.positions[k]]
        return header.model_copy(update={"positions": positions})

    def get_header(self, order_number: str) -> Order | None:
        return self.db.orders.get(order_number)

    def list_for_event(
        self, event_id: str, limit: int, cursor: Cursor | None
    ) -> tuple[list[Order], Cursor | None]:
        """A page of an event's orders, newest first, without their positions."""
        rows = [
            (f"{o.created_at.astimezone(UTC).isoformat()}#{o.order_number}", o)
            for o in self.db.orders.values()
            if o.event_id == event_id
        ]
        rows.sort(key=lambda row: row[0], reverse=True)
        return page_of(f"orders of {event_id}", rows, limit, cursor)

    def search_last_name(
        self, organizer_id: str, name_key: str, limit: int, cursor: Cursor | None = None
    ) -> tuple[list[Order], Cursor | None]:
        """Orders whose last name starts with ``name_key``, by name key then newest first."""
        rows = []
        for o in self.db.orders.values():
            key = search_key(o.customer.last_name) or "_"
            if (
                o.organizer_id == organizer_id
                and key[:2] == name_key[:2]
                and key.startswith(name_key)
            ):
                created = o.created_at.astimezone(UTC).isoformat()
                rows.append((f"{key}#{created}#{o.order_number}", o))
        rows.sort(key=lambda row: row[0], reverse=True)
        return page_of(f"names {organizer_id} {name_key}", rows, limit, cursor)

    # check-in --------------------------------------------------------------------------------

    def check_in(self, order: Order, position_id: str, secret: str, at: datetime) -> None:
        """Mark one position checked in, once; AlreadyCheckedIn carries the first time."""
        index = next(i for i, p in enumerate(order.positions) if p.position_id == position_id)
        chunk, offset = divmod(index, POSITIONS_PER_ITEM)
        db, key = self.db, (order.order_number, chunk)

        def unchecked() -> bool:
            stored = db.positions.get(key, [])
            if offset >= len(stored):
                return False
            p = stored[offset]
            return p.checked_in_at is None and p.position_id == position_id and p.secret == secret

        def mark() -> None:
            stored = db.positions[key]
            stored[offset] = stored[offset].model_copy(update={"checked_in_at": at})

        parts = [
            Part("check_in", FakeWrite(("positions", *key), unchecked, mark)),
            Part("check_ins", checked_in(db, order.event_id, 1)),
        ]
        if order.voucher_code and order.exhibitor_id:
            parts += _voucher_used(db, order.voucher_code, order.exhibitor_id, at)
        try:
            FakeTransactions(db).commit(parts)
        except WriteRefused:
            current = self.get(order.order_number)
            position = current.position(position_id) if current else None
            if position is not None and position.checked_in_at is not None:
                raise AlreadyCheckedIn(position.checked_in_at) from None
            raise

    def rename_holder(self, order: Order, position_id: str, holder_name: str) -> bool:
        """The name on one ticket, unless it was checked in."""
        index = next(i for i, p in enumerate(order.positions) if p.position_id == position_id)
        chunk, offset = divmod(index, POSITIONS_PER_ITEM)
        with self.db.lock:
            stored = self.db.positions.get((order.order_number, chunk), [])
            if offset >= len(stored):
                return False
            p = stored[offset]
            if p.position_id != position_id or p.checked_in_at is not None:
                return False
            stored[offset] = p.model_copy(update={"holder_name": holder_name})
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
        with self.db.lock:
            for key in sorted(k for k in self.db.positions if k[0] == order.order_number):
                stored = self.db.positions[key]
                for i, p in enumerate(stored):
                    if p.checked_in_at is None:
                        stored[i] = p.model_copy(update={"checked_in_at": at})
                        done += 1
            if done:
                checked_in(self.db, order.event_id, done).apply()
        return done

    # invoices --------------------------------------------------------------------------------

    def assign_invoice_number(
        self, order: Order, number_for: Callable[[int], str], at: datetime
    ) -> str:
        """The organizer's next number, gap-free: the counter rises only with an order."""
        with self.db.lock:
            current = self.db.orders.get(order.order_number)
            if current is None:
                raise RuntimeError("could not take an invoice number; too many concurrent invoices")
            if current.invoice_number:
                return current.invoice_number
            last = self.db.invoice_sequences.get(order.organizer_id, 0)
            number = str(number_for(last + 1))
            self.db.invoice_sequences[order.organizer_id] = last + 1
            self.db.orders[order.order_number] = current.model_copy(
                update={"invoice_number": number, "invoiced_at": at}
            )
            return number


def _put(
    db: FakeDatabase, number: str, chunk: int, positions: list[Position]
) -> Callable[[], None]:
    def put() -> None:
        db.positions[(number, chunk)] = list(positions)

    return put


def _voucher_used(db: FakeDatabase, code: str, exhibitor_id: str, at: datetime) -> list[Part]:
    """A visitor voucher used at the fair: its registration shows it, the statement bills it."""

    def registered() -> bool:
        voucher = db.vouchers.get(code)
        return voucher is not None and voucher.registration is not None

    def came() -> None:
        voucher = db.vouchers[code]
        assert voucher.registration is not None
        registration = voucher.registration.model_copy(update={"checked_in_at": at})
        db.vouchers[code] = voucher.model_copy(update={"registration": registration})

    def used() -> None:
        db.count(exhibitor_id, "used", 1)

    return [
        Part("voucher", FakeWrite(("voucher", code), registered, came)),
        Part("figures", FakeWrite(("figures", exhibitor_id), apply=used)),
    ]

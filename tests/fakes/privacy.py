"""A person's data in memory (issue 17): the person index, the anonymizer, erasure records and
their queue, sharing the ``FakeDatabase`` with the order and voucher fakes."""

from __future__ import annotations

from datetime import datetime

from tests.fakes.database import FakeDatabase, FakeWrite
from tests.fakes.mail_policy import FakeConsentStore
from ticketing.domain.consent import address_key
from ticketing.domain.emails import mailbox
from ticketing.domain.erasure import (
    ERASED,
    Erasure,
    PersonEntry,
    erased_digest,
    no_counts,
    person_digest,
)
from ticketing.domain.events import Event
from ticketing.domain.orders import Customer, Order
from ticketing.domain.visitor_vouchers import VisitorVoucher, namesake
from ticketing.services.ports import Part

SECRET = b"fake person index key"


class FakePersonIndex:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.items: dict[tuple[str, str], dict[str, str]] = {}  # (org, person) -> ref -> kind
        self.reads = 0  # items read, for tests that bound the erasure's reads

    def person(self, organizer_id: str, email: str) -> str:
        return person_digest(SECRET, organizer_id, email)

    def erased_hash(self, organizer_id: str, email: str) -> str:
        return erased_digest(SECRET, organizer_id, email)

    def entry(self, organizer_id: str, email: str, order_number: str) -> Part:
        key = (organizer_id, self.person(organizer_id, email))

        def add() -> None:
            self.items.setdefault(key, {})[order_number] = "order"

        return Part("person", FakeWrite(("person", *key, order_number), apply=add))

    def entries(self, organizer_id: str, person: str) -> list[PersonEntry]:
        with self.db.lock:
            refs = sorted(self.items.get((organizer_id, person), {}))
        self.reads += len(refs)
        return [PersonEntry(kind="order", ref=ref) for ref in refs]


class FakeErasureStore:
    def __init__(self) -> None:
        self.erasures: dict[str, Erasure] = {}
        self.erased: dict[tuple[str, str], datetime] = {}

    def start(self, erasure: Erasure) -> None:
        assert erasure.erasure_id not in self.erasures
        self.erasures[erasure.erasure_id] = erasure.model_copy(deep=True)

    def get(self, erasure_id: str) -> Erasure | None:
        found = self.erasures.get(erasure_id)
        return None if found is None else found.model_copy(deep=True)

    def running(self, erasure_id: str) -> None:
        found = self.erasures[erasure_id]
        if found.state == "queued":
            found.state = "running"

    def finish(self, erasure: Erasure, at: datetime) -> None:
        found = self.erasures[erasure.erasure_id]
        if found.state != "done":
            found.state, found.finished_at = "done", at
            self.erased[(erasure.organizer_id, erasure.erased)] = at

    def erased_before(self, organizer_id: str, erased: str) -> bool:
        return (organizer_id, erased) in self.erased


class FakeErasureQueue:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, erasure_id: str) -> None:
        self.sent.append(erasure_id)


class FakePersonalData:
    def __init__(
        self,
        db: FakeDatabase,
        people: FakePersonIndex,
        erasures: FakeErasureStore,
        consents: FakeConsentStore,
    ) -> None:
        self.db, self.people, self.erasures, self.consents = db, people, erasures, consents

    def voucher_of(self, order: Order) -> VisitorVoucher | None:
        return self.db.vouchers.get(order.voucher_code) if order.voucher_code else None

    def erase_order(self, order: Order) -> dict[str, int]:
        counts = no_counts()
        db, number = self.db, order.order_number
        with db.lock:
            header = db.orders.get(number)
            if header is None:
                return counts
            blank = Customer(first_name=ERASED, last_name=ERASED)
            db.orders[number] = header.model_copy(update={"customer": blank, "email_changes": []})
            counts["orders"] = counts["search_entries"] = 1
            for key in [k for k in db.positions if k[0] == number]:
                erased = [p.model_copy(update={"holder_name": ERASED}) for p in db.positions[key]]
                db.positions[key] = erased
                counts["positions"] += len(erased)
            if order.voucher_code:
                for kind, n in self._erase_registration(order.voucher_code).items():
                    counts[kind] += n
        return counts

    def _erase_registration(self, code: str) -> dict[str, int]:
        voucher = self.db.vouchers.get(code)
        registration = voucher.registration if voucher else None
        if voucher is None or registration is None:
            return {}
        if registration.email == ERASED:
            return {"voucher_registrations": 1}
        self.db.claims.pop((voucher.event_id, mailbox(registration.email)), None)
        named = (
            voucher.event_id,
            namesake(registration.first_name, registration.last_name, registration.company),
        )
        codes = self.db.namesakes.get(named, [])
        if code in codes:
            codes.remove(code)
        if not codes:
            self.db.namesakes.pop(named, None)
        erased = registration.model_copy(
            update={"first_name": ERASED, "last_name": ERASED, "email": ERASED, "company": None}
        )
        self.db.vouchers[code] = voucher.model_copy(update={"registration": erased})
        return {"voucher_registrations": 1, "claims": 1, "namesakes": 1}

    def forget(self, erasure: Erasure, entry: PersonEntry, counts: dict[str, int]) -> bool:
        with self.db.lock:
            refs = self.people.items.get((erasure.organizer_id, erasure.person), {})
            if refs.pop(entry.ref, None) is None:
                return False
            stored = self.erasures.erasures[erasure.erasure_id]
            stored.state = "running"
            for kind, n in counts.items():
                stored.counts[kind] = stored.counts.get(kind, 0) + n
            return True

    def erase_consent(self, organizer_id: str, email: str) -> int:
        return int(self.consents.consents.pop((organizer_id, address_key(email)), None) is not None)


class FakeRetentionEvents:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def ended_before(self, at: datetime) -> list[Event]:
        return [e for e in self.db.events.values() if e.ends_at <= at]

    def order_numbers(self, event_id: str) -> list[str]:
        return [n for n, o in self.db.orders.items() if o.event_id == event_id]

    def mark_retained(self, event_id: str, at: datetime) -> None:
        event = self.db.events[event_id]
        self.db.events[event_id] = event.model_copy(update={"retained_at": at})

    def set_retention(self, event_id: str, retention_days: int, legal_hold: bool) -> None:
        event = self.db.events[event_id]
        self.db.events[event_id] = event.model_copy(
            update={"retention_days": retention_days, "legal_hold": legal_hold}
        )

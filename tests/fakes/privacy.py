"""A person's data in memory (issue 17): the person index, the anonymizer, erasure records and
their queue, sharing the ``FakeDatabase`` with the order and voucher fakes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.fakes.database import FakeDatabase, FakeWrite
from tests.fakes.hotline import FakeComplaintStore
from tests.fakes.mail_policy import FakeConsentStore
from ticketing.domain.consent import address_key
from ticketing.domain.emails import mailbox
from ticketing.domain.erasure import (
    ERASED,
    LEDGER_PERSONAL,
    Erasure,
    PersonEntry,
    SentMail,
    no_counts,
)
from ticketing.domain.events import Event
from ticketing.domain.gift_complaints import Complaint
from ticketing.domain.gift_vouchers import GiftVoucher, Recipient
from ticketing.domain.invitations import Invitation
from ticketing.domain.orders import Customer, Order
from ticketing.domain.persons import EntryKind, erased_digest, person_digest
from ticketing.domain.visitor_vouchers import VisitorVoucher, namesake
from ticketing.services.ports import Part
from ticketing.services.ports_privacy import PrivacyLink

SECRET = b"fake person index key"


class FakePersonIndex:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        # (org, person) -> (kind, ref) -> kind
        self.items: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
        # (org, person, request_id) -> the record of a mail sent (its entry is in ``items``)
        self.mails: dict[tuple[str, str, str], SentMail] = {}
        self.reads = 0  # items read, for tests that bound the erasure's reads

    def person(self, organizer_id: str, email: str) -> str:
        return person_digest(SECRET, organizer_id, email)

    def erased_hash(self, organizer_id: str, email: str) -> str:
        return erased_digest(SECRET, organizer_id, email)

    def entry(
        self, organizer_id: str, email: str, order_number: str, kind: EntryKind = "order"
    ) -> Part:
        key = (organizer_id, self.person(organizer_id, email))

        def add() -> None:
            self.items.setdefault(key, {})[(kind, order_number)] = kind

        return Part("person", FakeWrite(("person", *key, kind, order_number), apply=add))

    def entries(self, organizer_id: str, person: str) -> list[PersonEntry]:
        with self.db.lock:
            refs = sorted(self.items.get((organizer_id, person), {}))
        self.reads += len(refs)
        return [
            PersonEntry.model_validate(
                {
                    "kind": kind,
                    "ref": ref,
                    "mail": self.mails.get((organizer_id, person, ref)) if kind == "mail" else None,
                }
            )
            for kind, ref in refs
        ]

    def sent(self, organizer_id: str, email: str, request_id: str, mail: SentMail) -> Part:
        person = self.person(organizer_id, email)

        def add() -> None:
            self.items.setdefault((organizer_id, person), {})[("mail", request_id)] = "mail"
            self.mails[(organizer_id, person, request_id)] = mail

        return Part(
            "person", FakeWrite(("person", organizer_id, person, "mail", request_id), apply=add)
        )


class FakeErasureStore:
    def __init__(self) -> None:
        self.erasures: dict[str, Erasure] = {}
        self.erased: dict[tuple[str, str], datetime] = {}

    def start(self, erasure: Erasure) -> None:
        assert erasure.erasure_id not in self.erasures
        self.erasures[erasure.erasure_id] = erasure.model_copy(deep=True)

    def starting(self, erasure: Erasure) -> Part:
        def put() -> None:
            self.erasures[erasure.erasure_id] = erasure.model_copy(deep=True)

        def new() -> bool:
            return erasure.erasure_id not in self.erasures

        return Part("erasure", FakeWrite(("erasure", erasure.erasure_id), new, put))

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
            if refs.pop((entry.kind, entry.ref), None) is None:
                return False
            if entry.kind == "mail":
                self.people.mails.pop((erasure.organizer_id, erasure.person, entry.ref), None)
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


class FakePersonalGifts:
    """``PersonalGifts`` on the gift fakes' items and the complaint fake's dict."""

    def __init__(self, db: FakeDatabase, complaints: FakeComplaintStore) -> None:
        self.db, self.complaints = db, complaints

    def gift(self, code: str) -> GiftVoucher | None:
        voucher: GiftVoucher | None = self.db.gift.get(("voucher", code))
        if voucher is None:
            return None
        rows = [(k, v) for k, v in self.db.gift.items() if k[0] == "ledger" and k[1] == code]
        return voucher.model_copy(update={"ledger": [v for _, v in sorted(rows, key=_after_2)]})

    def complaint(self, complaint_id: str) -> Complaint | None:
        return self.complaints.complaints.get(complaint_id)

    def erase_gift(self, code: str) -> dict[str, int]:
        counts = no_counts()
        with self.db.lock:
            voucher: GiftVoucher | None = self.db.gift.get(("voucher", code))
            if voucher is None:
                return counts
            old = voucher.recipient
            if old.phone or old.email or old.name:
                kept = Recipient(city=old.city)
                self.db.gift[("voucher", code)] = voucher.model_copy(update={"recipient": kept})
                counts["gift_vouchers"] = 1
            for key, entry in list(self.db.gift.items()):
                if key[0] != "ledger" or key[1] != code:
                    continue
                named = [
                    k for k in LEDGER_PERSONAL if entry.detail.get(k) not in (None, "", ERASED)
                ]
                if named:
                    detail = {**entry.detail, **dict.fromkeys(named, ERASED)}
                    self.db.gift[key] = entry.model_copy(update={"detail": detail})
                    counts["gift_ledger_entries"] += 1
        return counts

    def erase_complaint(self, complaint_id: str) -> dict[str, int]:
        counts = no_counts()
        found = self.complaints.complaints.get(complaint_id)
        if found is None or (found.text == ERASED and found.answer in (None, ERASED)):
            return counts
        answer = ERASED if found.answer else None
        self.complaints.complaints[complaint_id] = found.model_copy(
            update={"text": ERASED, "answer": answer}
        )
        counts["complaints"] = 1
        return counts


def _after_2(row: tuple[tuple[Any, ...], Any]) -> tuple[Any, ...]:
    return row[0][2:]


class FakePrivacyLinks:
    def __init__(self) -> None:
        self.links: dict[str, PrivacyLink] = {}

    def put(self, link: PrivacyLink) -> None:
        assert link.digest not in self.links
        self.links[link.digest] = link

    def peek(self, digest: str) -> PrivacyLink | None:
        return self.links.get(digest)

    def take(self, digest: str, now: datetime) -> PrivacyLink | None:
        link = self.links.pop(digest, None)
        return link if link is not None and link.expires_at > now else None


class FakeExportQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str, str]] = []

    def send_export(self, organizer_id: str, address: str, language: str, request_id: str) -> None:
        self.sent.append((organizer_id, address, language, request_id))


class FakeExportFiles:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put_export(self, prefix: str, data: bytes) -> str:
        key = f"{prefix}{len(self.files)}/personal-data.xlsx"
        self.files[key] = data
        return f"https://files.example/{key}?expires=900"


class FakePersonalInvitations:
    """``PersonalInvitations`` on the invitation fake's items (``FakeDatabase.gift``)."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def invitation(self, batch_id: str, code: str) -> Invitation | None:
        found = self.db.gift.get(("inv", "invitation", batch_id, code))
        return found if isinstance(found, Invitation) else None

    def erase_invitation(self, batch_id: str, code: str) -> dict[str, int]:
        counts = no_counts()
        with self.db.lock:
            found = self.invitation(batch_id, code)
            if found is None or found.email == ERASED:
                return counts
            self.db.gift.pop(("inv", "invitee", found.exhibitor_id, found.address), None)
            for key, rows in list(self.db.gift.items()):
                if key[:3] == ("inv", "rows", found.job_id):
                    self.db.gift[key] = [r for r in rows if r.address != found.address]
            self.db.gift[("inv", "code", code)] = ERASED
            self.db.gift[("inv", "invitation", batch_id, code)] = found.model_copy(
                update={
                    "first_name": ERASED,
                    "last_name": ERASED,
                    "email": ERASED,
                    "address": ERASED,
                    "salutation": None,
                    "company": None,
                }
            )
        counts["invitations"] = 1
        return counts

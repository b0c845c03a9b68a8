"""``PersonalGifts`` and the person index's gift and complaint entries (issue 17) on the fakes
and on DynamoDB (moto): entries of each kind listed and forgotten once, a gift voucher's
recipient, phone lookup and ledger addresses erased, a complaint's texts erased with its
outcome kept, and a second erasure counting nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.fakes.platform import FakePlatform
from ticketing.domain.erasure import ERASED, Erasure, PersonEntry, no_counts
from ticketing.domain.gift_complaints import Complaint
from ticketing.domain.gift_vouchers import GiftVoucher, LedgerEntry, Recipient, new_code

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
ORG = "org_gifts"
EMAIL = "erika.gift@example.org"
PHONE = "+49 170 7654321"


@dataclass
class Ports:
    backend: str
    transactions: Any
    gifts: Any
    complaints: Any
    people: Any
    data: Any
    erasures: Any
    personal: Any


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        from tests.fakes.gift import FakeGiftVoucherStore

        fake = FakePlatform()
        return Ports(
            "fake",
            fake.transactions,
            FakeGiftVoucherStore(fake.db),
            fake.complaints,
            fake.people,
            fake.personal_data,
            fake.erasures,
            fake.personal_gifts,
        )
    request.getfixturevalue("aws")
    from ticketing.adapters.complaint_store import DynamoComplaintStore
    from ticketing.adapters.erasure_store import DynamoErasureStore
    from ticketing.adapters.gift_store import DynamoGiftVoucherStore
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.adapters.personal_data import DynamoPersonalData
    from ticketing.adapters.personal_gifts import DynamoPersonalGifts
    from ticketing.adapters.transactions import DynamoTransactions

    return Ports(
        "dynamodb",
        DynamoTransactions(),
        DynamoGiftVoucherStore(),
        DynamoComplaintStore(),
        DynamoPersonIndex(),
        DynamoPersonalData(),
        DynamoErasureStore(),
        DynamoPersonalGifts(),
    )


def issued(ports: Ports) -> tuple[GiftVoucher, Complaint]:
    """A voucher issued to EMAIL (entry written with it), mailed, and a complaint about it."""
    voucher = GiftVoucher(
        code=new_code(),
        campaign_id="cmp_gift",
        organizer_id=ORG,
        issuer_id="iss_club",
        tier="B",
        value=Decimal("50.00"),
        currency="EUR",
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=90),
        recipient=Recipient(phone=PHONE, email=EMAIL, name="Erika Geschenk", city="Berlin"),
        external_ref="pts-1",
        token=new_code(),
        issued_at=NOW,
    )
    issued_entry = LedgerEntry(kind="issued", at=NOW, by="key_iss", seq=1)
    ports.transactions.commit(
        [
            *ports.gifts.issuing(voucher, issued_entry),
            ports.people.entry(ORG, EMAIL, voucher.code, "gift"),
        ]
    )
    mailed = LedgerEntry(kind="mail_sent", at=NOW, by="system", seq=2, detail={"to": EMAIL})
    ports.gifts.append(voucher, mailed)
    complaint = Complaint(
        complaint_id=f"cpl_{new_code()}",
        organizer_id=ORG,
        campaign_id="cmp_gift",
        code=voucher.code,
        text="Erika Geschenk was refused",
        created_at=NOW,
        by="key_org",
    )
    said = LedgerEntry(
        kind="complaint", at=NOW, by="key_org", seq=3, detail={"text": complaint.text}
    )
    ports.transactions.commit(
        [
            ports.complaints.recording(complaint),
            ports.gifts.entry(voucher, said),
            ports.people.entry(ORG, EMAIL, complaint.complaint_id, "complaint"),
        ]
    )
    return voucher, complaint


def test_gift_and_complaint_entries_are_listed_and_forgotten_once(ports: Ports) -> None:
    voucher, complaint = issued(ports)
    person = ports.people.person(ORG, "Erika.Gift@Example.org")
    entries = ports.people.entries(ORG, person)
    assert sorted(entries, key=lambda e: e.kind) == [
        PersonEntry(kind="complaint", ref=complaint.complaint_id),
        PersonEntry(kind="gift", ref=voucher.code),
    ]
    erasure = Erasure(
        erasure_id=f"ers_gift_{ports.backend}",
        organizer_id=ORG,
        person=person,
        erased=ports.people.erased_hash(ORG, EMAIL),
        requested_at=NOW,
    )
    ports.erasures.start(erasure)
    counts = {**no_counts(), "gift_vouchers": 1}
    gift = PersonEntry(kind="gift", ref=voucher.code)
    assert ports.data.forget(erasure, gift, counts) is True
    assert ports.data.forget(erasure, gift, counts) is False
    assert ports.people.entries(ORG, person) == [
        PersonEntry(kind="complaint", ref=complaint.complaint_id)
    ]
    assert ports.erasures.get(erasure.erasure_id).counts["gift_vouchers"] == 1


def test_a_gift_voucher_loses_its_recipient_and_keeps_its_value(ports: Ports) -> None:
    voucher, _ = issued(ports)
    assert [v.code for v in ports.gifts.by_phone("cmp_gift", PHONE)] == [voucher.code]

    first = ports.personal.erase_gift(voucher.code)
    again = ports.personal.erase_gift(voucher.code)

    assert (first["gift_vouchers"], first["gift_ledger_entries"]) == (1, 2)
    assert not any(again.values())
    erased = ports.personal.gift(voucher.code)
    assert erased.recipient == Recipient(city="Berlin")
    assert (erased.value, erased.issued_at, erased.state(NOW)) == (
        voucher.value,
        voucher.issued_at,
        voucher.state(NOW),
    )
    details = {e.kind: e.detail for e in erased.ledger}
    assert details["mail_sent"] == {"to": ERASED}
    assert details["complaint"] == {"text": ERASED}
    assert ports.gifts.by_phone("cmp_gift", PHONE) == []


def test_a_complaint_loses_its_texts_and_keeps_its_outcome(ports: Ports) -> None:
    _, complaint = issued(ports)
    first = ports.personal.erase_complaint(complaint.complaint_id)
    again = ports.personal.erase_complaint(complaint.complaint_id)
    assert first["complaints"] == 1
    assert not any(again.values())
    erased = ports.personal.complaint(complaint.complaint_id)
    assert (erased.text, erased.answer, erased.created_at) == (ERASED, None, NOW)
    assert ports.personal.erase_complaint("cpl_missing") == no_counts()


@pytest.fixture(params=["fake", "dynamodb"])
def privacy_links(request: pytest.FixtureRequest) -> Any:
    if request.param == "fake":
        from tests.fakes.privacy import FakePrivacyLinks

        return FakePrivacyLinks()
    request.getfixturevalue("aws")
    from ticketing.adapters.privacy_links import DynamoPrivacyLinks

    return DynamoPrivacyLinks()


def test_a_privacy_link_is_taken_once_and_an_expired_one_never(privacy_links: Any) -> None:
    from ticketing.services.ports_privacy import PrivacyLink

    link = PrivacyLink("d" * 64, "erasure", ORG, EMAIL, "de", NOW + timedelta(hours=24))
    privacy_links.put(link)
    assert privacy_links.peek(link.digest) == link
    assert privacy_links.peek(link.digest) == link  # a look changes nothing
    assert privacy_links.take(link.digest, NOW) == link
    assert privacy_links.take(link.digest, NOW) is None
    assert privacy_links.peek(link.digest) is None  # its address went with it

    old = PrivacyLink("e" * 64, "export", ORG, EMAIL, "en", NOW - timedelta(seconds=1))
    privacy_links.put(old)
    assert privacy_links.take(old.digest, NOW) is None
    assert privacy_links.peek(old.digest) is None

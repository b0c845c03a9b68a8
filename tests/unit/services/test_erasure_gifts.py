"""Issue 17 beyond orders, on the fakes: a gift voucher issued to the person's address and a
hotline complaint about it are listed in the person's export and lose the person in the
erasure (recipient, phone lookup, ledger addresses and texts, the complaint's texts), while the
voucher's value and state and the complaint's outcome and times stay."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.fakes.gift import FakeCampaignStore, FakeGiftVoucherStore, FakeSms
from tests.fakes.guards import FakeIdempotencyStore
from tests.fakes.mail import FakeMailQueue
from tests.fakes.platform import FakePlatform
from tests.fakes.terminal import FakeRedemptionStore
from ticketing.domain.erasure import ERASED
from ticketing.domain.gift_complaints import ComplaintAnswer, ComplaintDraft
from ticketing.domain.gift_vouchers import Accept, Campaign, GiftVoucher, IssueRequest, Tier
from ticketing.domain.identity import Principal, Role
from ticketing.services import hotline, person_export
from ticketing.services.erasure import request_erasure, run_erasure
from ticketing.services.gift_vouchers import delivery, issuing

ORG = "org_gifts"
ORGANIZER = Principal(Role.ORGANIZER, ORG, ORG, "key_org")
ISSUER = Principal(Role.ISSUER, "iss_club", ORG, "key_iss")
EMAIL = "Erika.Gift@Example.org"
PHONE = "+49 170 1234567"


def gift_world(platform: FakePlatform) -> tuple[FakeGiftVoucherStore, hotline.HotlineDesk]:
    now = platform.clock.now()
    campaigns, gifts = FakeCampaignStore(platform.db), FakeGiftVoucherStore(platform.db)
    campaigns.add_campaign(
        Campaign(
            campaign_id="cmp_gift",
            organizer_id=ORG,
            issuer_id="iss_club",
            name="Treuepunkte",
            valid_from=now - timedelta(days=1),
            valid_until=now + timedelta(days=90),
            tiers=[Tier(id="B", name="B", value=Decimal("50"))],
            accept=Accept(categories=["cinema"], cities=["Berlin"]),
            created_at=now - timedelta(days=1),
        )
    )
    issue_desk = issuing.IssueDesk(
        campaigns, gifts, platform.transactions, platform.clock, platform.people
    )
    request = IssueRequest(
        tier="B",
        recipient={"phone": PHONE, "email": EMAIL, "name": "Erika Geschenk", "city": "Berlin"},
        external_ref="pts-1",
    )
    voucher, _ = issuing.issue(issue_desk, ISSUER, "cmp_gift", request)
    delivery.deliver(delivery.Delivery(gifts, FakeSms(), FakeMailQueue(), platform.clock), voucher)
    desk = hotline.HotlineDesk(
        platform.clock,
        campaigns,
        gifts,
        platform.complaints,
        FakeRedemptionStore(platform.db),
        platform.transactions,
        FakeIdempotencyStore(platform.db),
        platform.access,
        platform.people,
    )
    draft = ComplaintDraft(code=voucher.code, text="Erika Geschenk says the cinema refused it")
    complaint, _ = hotline.file_complaint(desk, ORGANIZER, draft)
    answer = ComplaintAnswer(text="Called Erika Geschenk back", outcome="rejected")
    hotline.answer_complaint(desk, ORGANIZER, complaint.complaint_id, answer)
    return gifts, desk


def the_voucher(gifts: FakeGiftVoucherStore) -> GiftVoucher:
    [voucher] = [v for k, v in gifts.db.gift.items() if k[0] == "voucher"]
    found = gifts.get_voucher(voucher.code)
    assert found is not None
    return found


def test_the_export_lists_the_gift_voucher_and_the_complaint(platform: FakePlatform) -> None:
    gifts, _ = gift_world(platform)
    found = person_export.export_person(platform.export_desk(), ORGANIZER, "erika.gift@example.org")
    [row] = found["gift_vouchers"]
    assert (row["recipient_email"], row["recipient_phone"]) == (EMAIL, PHONE)
    assert row["value"] == "50.00"
    assert {e["kind"] for e in row["ledger"]} >= {"issued", "mail_sent", "complaint"}
    [complaint] = found["complaints"]
    assert "Erika Geschenk" in complaint["text"]
    assert complaint["outcome"] == "rejected"
    assert person_export.export_person(platform.export_desk(), ORGANIZER, "x@example.org") == {
        kind: [] for kind in person_export.EXPORT_KINDS
    }
    assert person_export.export_workbook(found).startswith(b"PK")
    assert the_voucher(gifts).recipient.city == "Berlin"


def test_the_erasure_removes_the_recipient_and_the_complaint_texts(platform: FakePlatform) -> None:
    gifts, desk = gift_world(platform)
    before = the_voucher(gifts)

    erasure = request_erasure(platform.erasure_desk(), ORGANIZER, EMAIL)
    done = run_erasure(platform.erasure_desk(), erasure.erasure_id)

    assert done is not None
    assert done.state == "done"
    assert (done.counts["gift_vouchers"], done.counts["complaints"]) == (1, 1)
    assert done.counts["gift_ledger_entries"] >= 3  # mail_sent "to", the complaint, its answer
    stored = repr(platform.db.__dict__) + repr(platform.complaints.complaints)
    for personal in ("Erika", "erika.gift", "1234567", "Geschenk"):
        assert personal not in stored
    after = the_voucher(gifts)
    assert (after.value, after.issued_at) == (before.value, before.issued_at)
    assert after.recipient.city == "Berlin"
    assert [e.kind for e in after.ledger] == [e.kind for e in before.ledger]
    assert gifts.by_phone("cmp_gift", PHONE) == []
    [complaint] = platform.complaints.complaints.values()
    assert (complaint.text, complaint.answer, complaint.outcome) == (ERASED, ERASED, "rejected")
    assert complaint.answered_at is not None
    empty = person_export.export_person(platform.export_desk(), ORGANIZER, EMAIL)
    assert not any(empty.values())

    again = request_erasure(platform.erasure_desk(), ORGANIZER, EMAIL)
    second = run_erasure(platform.erasure_desk(), again.erasure_id)
    assert second is not None
    assert second.already_erased
    assert second.nothing_left
    assert hotline.lookup(desk, ORGANIZER, "cmp_gift", code=before.code)[0].recipient.email is None


def test_the_export_lists_the_mails_recorded_on_the_persons_orders(platform: FakePlatform) -> None:
    from tests.fakes import samples
    from tests.unit.services.given import a_fair
    from ticketing.services.bookings import book
    from ticketing.services.ports import MailFailure
    from ticketing.services.ports_mail import WithheldMail

    concert = a_fair(platform)
    organizer = samples.organizer_of(concert)
    order, _, _ = book(platform.booking(), organizer, concert.event_id, samples.a_booking_request())
    at = platform.clock.now()
    platform.mail_failures.park(
        MailFailure("req-1", "order_confirmation", "address rejected", at, order.order_number)
    )
    platform.withheld.record(
        WithheldMail(
            "req-2", "reminder", "reminders", "erika@example.org", "no_consent", "reminders", at,
            order.order_number,
        )
    )  # fmt: skip
    found = person_export.export_person(platform.export_desk(), organizer, "erika@example.org")
    assert [(m["template"], m["outcome"]) for m in found["mails"]] == [
        ("order_confirmation", "failed"),
        ("reminder", "no_consent"),
    ]
    assert all("erika" not in repr(m) for m in found["mails"])  # the address is the export's own


def test_the_workbook_has_a_sheet_per_kind_with_titles_in_the_language(
    platform: FakePlatform,
) -> None:
    import io

    import openpyxl

    gift_world(platform)
    found = person_export.export_person(platform.export_desk(), ORGANIZER, EMAIL)
    for language, sheet, title in (
        ("de", "Geschenkgutscheine", "E-Mail (Empfänger)"),
        ("en", "Gift vouchers", "Recipient e-mail"),
        ("zh", "礼品券", "收件人电子邮件"),
    ):
        book = openpyxl.load_workbook(io.BytesIO(person_export.export_workbook(found, language)))
        assert len(book.sheetnames) == len(person_export.EXPORT_KINDS)
        rows = list(book[sheet].iter_rows(values_only=True))
        header = list(rows[0])
        assert title in header
        assert rows[1][header.index(title)] == EMAIL

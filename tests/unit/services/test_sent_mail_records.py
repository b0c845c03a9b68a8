"""Issue 17 on the fakes: each mail the mailer sends is recorded under its recipient's person of
the mail's organizer (subject, class, template, time; no body), once however often it is
delivered; the export lists it under ``mails`` and an erasure removes it."""

from __future__ import annotations

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair
from ticketing.domain.identity import Principal
from ticketing.mail.messages import MailRequest
from ticketing.services import confirmations
from ticketing.services.bookings import book
from ticketing.services.confirmations import Composing
from ticketing.services.erasure import erasure_status, request_erasure, run_erasure
from ticketing.services.mail import deliver
from ticketing.services.mail_policy import Enforcement, MailPolicy
from ticketing.services.person_export import export_person, export_workbook

EMAIL = "erika@example.org"


def enforcement(platform: FakePlatform) -> Enforcement:
    return Enforcement(
        MailPolicy(platform.consents, platform.suppressions),
        platform.mail_tokens,
        platform.withheld,
    )


def delivered(platform: FakePlatform, request: MailRequest) -> bool:
    def compose(r: MailRequest) -> tuple[dict[str, object], list[confirmations.Attachment]]:
        deps = Composing(
            platform.orders,
            platform.events,
            platform.documents,
            platform.access,
            platform.clock,
            "https://tickets.example",
        )
        return confirmations.compose(deps, r)

    return deliver(
        platform.mailer,
        platform.sent_mail,
        platform.clock,
        request,
        compose,
        platform.mail_failures,
        enforcement(platform),
        platform.people,
    )


def booked(platform: FakePlatform) -> tuple[Principal, str]:
    """A booking by EMAIL, its confirmation delivered; the organizer and the order number."""
    event = a_fair(platform)
    organizer = samples.organizer_of(event)
    order, _, _ = book(
        platform.booking(), organizer, event.event_id, samples.a_booking_request(1), "k1"
    )
    assert order.customer.email == EMAIL
    (request,) = platform.mail.requests
    assert delivered(platform, request)
    return organizer, order.order_number


def test_a_sent_confirmation_is_in_the_export_with_subject_class_and_time() -> None:
    platform = FakePlatform()
    organizer, number = booked(platform)
    (mail,) = platform.mailer.sent

    found = export_person(platform.export_desk(), organizer, "Erika@Example.org")

    (row,) = found["mails"]
    assert row == {
        "order_number": number,
        "template": "order_confirmation",
        "mail_class": "confirmation",
        "subject": mail.mail.subject,
        "outcome": "sent",
        "sent_at": platform.clock.now().isoformat(),
    }
    assert number in row["subject"]
    (record,) = platform.people.mails.values()
    # no body, no address: the person index's key says whose it is
    assert set(record.model_dump()) == {
        "template",
        "mail_class",
        "subject",
        "sent_at",
        "order_number",
    }
    assert {org for org, _ in platform.people.items} == {organizer.organizer_id}


def test_a_redelivered_mail_is_sent_and_recorded_once() -> None:
    platform = FakePlatform()
    booked(platform)
    (request,) = platform.mail.requests

    assert delivered(platform, request) is False
    assert len(platform.mailer.sent) == 1
    assert len(platform.people.mails) == 1


def test_a_mail_to_one_mailbox_twice_is_one_record_and_other_addresses_their_own() -> None:
    platform = FakePlatform()
    request = MailRequest(
        template="marketing_confirmation",
        mail_class="information",
        organizer_id="org_1",
        to=[EMAIL, "Erika <ERIKA@example.org>", "max@example.org"],
        request_id="info-1",
        context={"customer_name": "Erika", "confirm_url": "https://tickets.example/x"},
    )

    assert delivered(platform, request)

    assert sorted(ref for (_, _, ref) in platform.people.mails) == ["info-1", "info-1"]
    erika = platform.people.person("org_1", EMAIL)
    assert [e.ref for e in platform.people.entries("org_1", erika)] == ["info-1"]


def test_a_mail_without_an_organizer_is_nobodys_customer_data() -> None:
    platform = FakePlatform()
    request = MailRequest(
        template="console_sign_in",
        to=[EMAIL],
        request_id="sign-in-1",
        context={"name": "Erika", "sign_in_url": "https://tickets.example/console/x"},
    )

    assert delivered(platform, request)

    assert platform.people.mails == {}
    assert platform.people.items == {}


def test_a_withheld_mail_is_not_recorded_as_sent() -> None:
    platform = FakePlatform()
    request = MailRequest(
        template="marketing_confirmation",
        mail_class="marketing",
        organizer_id="org_1",
        to=[EMAIL],
        request_id="marketing-1",
        order_number="72BE-1",
        context={"customer_name": "Erika", "confirm_url": "https://tickets.example/x"},
    )

    assert delivered(platform, request) is False  # no marketing consent

    assert platform.people.mails == {}
    assert [w.outcome for w in platform.withheld.for_order("72BE-1")] == ["no_consent"]


def test_an_erasure_removes_the_mail_records_and_counts_them() -> None:
    platform = FakePlatform()
    organizer, _ = booked(platform)

    erasure = request_erasure(platform.erasure_desk(), organizer, EMAIL)
    run_erasure(platform.erasure_desk(), erasure.erasure_id)

    done = erasure_status(platform.erasure_desk(), organizer, erasure.erasure_id)
    assert (done.counts["orders"], done.counts["mail_records"]) == (1, 1)
    assert platform.people.mails == {}
    assert not any(export_person(platform.export_desk(), organizer, EMAIL).values())


def test_the_workbook_has_the_mails_sheet_with_subject_and_time_titled() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    platform = FakePlatform()
    organizer, _ = booked(platform)
    found = export_person(platform.export_desk(), organizer, EMAIL)

    for language, sheet, subject, sent_at in (
        ("de", "E-Mails", "Betreff", "Gesendet am"),
        ("en", "Mails", "Subject", "Sent at"),
        ("zh", "邮件", "主题", "发送时间"),
    ):
        workbook = load_workbook(BytesIO(export_workbook(found, language)))  # type: ignore[arg-type]
        mails = workbook[sheet]
        titles = [c.value for c in next(mails.iter_rows(max_row=1))]
        assert {subject, sent_at} <= set(titles), (language, titles)
        assert mails.max_row == 2


def test_a_mail_queued_before_an_erasure_is_dropped_and_leaves_nothing() -> None:
    platform = FakePlatform()
    event = a_fair(platform)
    organizer = samples.organizer_of(event)
    book(platform.booking(), organizer, event.event_id, samples.a_booking_request(1), "k1")
    (queued,) = platform.mail.requests  # queued, not yet delivered

    erasure = request_erasure(platform.erasure_desk(), organizer, EMAIL)
    run_erasure(platform.erasure_desk(), erasure.erasure_id)

    assert not delivered(platform, queued)
    assert platform.mailer.sent == []
    assert platform.sent_mail.was_sent(queued.request_id)  # a redelivery does nothing either
    assert not delivered(platform, queued)
    assert platform.mail_failures.for_order(queued.order_number or "") == []
    assert not any(export_person(platform.export_desk(), organizer, EMAIL).values())

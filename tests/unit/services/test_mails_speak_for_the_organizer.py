"""Issue 11, mails on the fakes: the organizer speaks (name, Reply-To, signature, imprint), a
priced order's confirmation carries its invoice, post delivery attaches no tickets, a voucher
registration says so, the submitter's copy, and the exhibitor's batch-ready mail."""

from __future__ import annotations

import email
import email.policy
from decimal import Decimal

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, a_visitor, an_exhibitor, issued_vouchers
from ticketing.adapters.ses_mailer import build_mime
from ticketing.domain.errors import Conflict
from ticketing.domain.events import Event
from ticketing.domain.orders import Order
from ticketing.domain.parties import Organizer
from ticketing.mail.messages import MailRequest
from ticketing.services import confirmations
from ticketing.services.bookings import book
from ticketing.services.confirmations import Composing
from ticketing.services.mail import deliver
from ticketing.services.ordering import confirmation_request
from ticketing.services.visitor_vouchers import worker
from ticketing.services.visitor_vouchers.registration import register

BASE = "https://tickets.example"


def organizer(platform: FakePlatform, **settings: object) -> Organizer:
    party = samples.an_organizer().model_copy(
        update={
            "street": "Messeallee 1",
            "zip": "81823",
            "city": "München",
            "country": "Deutschland",
            "vat_id": "DE123456789",
            "contact_email": "tickets@demo-messe.example",
            "imprint_url": "https://demo-messe.example/impressum",
            "privacy_url": "https://demo-messe.example/datenschutz",
            "website": "https://demo-messe.example/",
            **settings,
        }
    )
    platform.access.add_party(party, None)
    return party


def composing(platform: FakePlatform) -> Composing:
    return Composing(
        platform.orders,
        platform.events,
        platform.documents,
        platform.access,
        platform.clock,
        BASE,
    )


def send(platform: FakePlatform, request: MailRequest) -> None:
    def compose(r: MailRequest) -> tuple[dict[str, object], list[confirmations.Attachment]]:
        return confirmations.compose(composing(platform), r)

    assert deliver(platform.mailer, platform.sent_mail, platform.clock, request, compose)


def booked(platform: FakePlatform, event: Event, **change: object) -> Order:
    request = samples.a_booking_request(3, payment="transfer").model_copy(update=change)
    order, _, _ = book(platform.booking(), samples.organizer_of(event), event.event_id, request)
    return order


def test_a_confirmation_comes_from_the_organizer_with_its_signature_and_invoice(
    platform: FakePlatform,
) -> None:
    organizer(platform)
    event = a_fair(platform)
    order = booked(platform, event)

    send(platform, confirmation_request(order, "confirm-1"))

    [sent] = platform.mailer.sent
    assert (sent.mail.sender_name, sent.mail.reply_to) == (
        "Demo Messe GmbH",
        "tickets@demo-messe.example",
    )
    names = [a.filename for a in sent.attachments]
    assert len([n for n in names if n.startswith("ticket-")]) == 3
    stored = platform.orders.get(order.order_number)
    assert stored is not None
    assert stored.invoice_number
    assert f"invoice-{stored.invoice_number}.pdf" in names
    for text in (sent.mail.text, sent.mail.html):
        assert "Demo Messe GmbH" in text
        assert "81823 München" in text
        assert "tickets@demo-messe.example" in text
        assert "https://demo-messe.example/impressum" in text
    assert "Impressum" in sent.mail.html
    assert "Rechnung" in sent.mail.text  # the mail says the invoice is attached

    raw = build_mime("noreply@platform.example", sent.to, sent.mail, sent.attachments)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    sender = parsed["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (
        "Demo Messe GmbH",
        "noreply@platform.example",
    )
    assert parsed["Reply-To"].addresses[0].addr_spec == "tickets@demo-messe.example"


def test_without_a_contact_address_answers_go_to_the_organizers_own(
    platform: FakePlatform,
) -> None:
    organizer(platform, contact_email=None, imprint_url=None)
    event = a_fair(platform)
    order = booked(platform, event)

    send(platform, confirmation_request(order, "confirm-1"))

    [sent] = platform.mailer.sent
    assert sent.mail.reply_to == "kontakt@demo-messe.example"
    assert "impressum" not in sent.mail.text.lower()


def test_an_organizer_who_cannot_invoice_yet_still_gets_the_tickets_out(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    organizer(platform)
    event = a_fair(platform)
    order = booked(platform, event)

    def refused(*_: object) -> tuple[str, bytes]:
        raise Conflict("the organizer has no address yet")

    monkeypatch.setattr(confirmations, "invoice", refused)
    send(platform, confirmation_request(order, "confirm-1"))

    [sent] = platform.mailer.sent
    names = [a.filename for a in sent.attachments]
    assert len([n for n in names if n.startswith("ticket-")]) == 3
    assert not [n for n in names if n.startswith("invoice-")]
    assert "Rechnung hängt" not in sent.mail.text


def test_a_free_order_has_no_invoice(platform: FakePlatform) -> None:
    organizer(platform)
    event = a_fair(platform)
    order = samples.an_order(event, 2, at=platform.clock.now())
    platform.transactions.commit(platform.orders.placement(order, event.capacity))

    send(platform, confirmation_request(order, "confirm-1"))

    [sent] = platform.mailer.sent
    assert not [a for a in sent.attachments if a.filename.startswith("invoice-")]
    assert len([a for a in sent.attachments if a.filename.startswith("ticket-")]) == 2
    assert platform.orders.get(order.order_number).invoice_number is None  # type: ignore[union-attr]


def test_tickets_sent_by_post_are_neither_attached_nor_linked(platform: FakePlatform) -> None:
    organizer(platform)
    event = a_fair(platform)
    order = booked(platform, event, delivery="post")

    send(platform, confirmation_request(order, "confirm-1"))

    [sent] = platform.mailer.sent
    assert not any(a.filename.startswith("ticket-") for a in sent.attachments)
    assert any(a.filename.startswith("invoice-") for a in sent.attachments)
    assert "per Post" in sent.mail.text
    assert "/t/" not in sent.mail.text
    assert "/t/" not in sent.mail.html


def test_the_submitter_gets_a_copy_when_it_asks(platform: FakePlatform) -> None:
    organizer(platform)
    event = a_fair(platform)

    order = booked(platform, event, notify_submitter=True)

    confirmation, copy = platform.mail.requests
    assert confirmation.to == ["erika@example.org"]
    assert (copy.to, copy.order_number, copy.template) == (
        ["kasse@demo-messe.example"],
        order.order_number,
        "order_confirmation",
    )
    assert platform.outbox.entries == []
    send(platform, copy)
    assert platform.mailer.sent[0].to == ["kasse@demo-messe.example"]


def test_no_copy_unless_asked_nor_when_the_submitter_gets_the_confirmation_anyway(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)

    booked(platform, event)
    booked(platform, event, notify_submitter=True, notify_customer=False)

    assert [r.to for r in platform.mail.requests] == [
        ["erika@example.org"],
        ["kasse@demo-messe.example"],
    ]


def test_the_copy_waits_in_the_outbox_with_the_confirmation_when_the_queue_is_down(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    platform.mail.down = True

    booked(platform, event, notify_submitter=True)

    assert sorted(e.request_id.split("-")[0] for e in platform.outbox.entries) == [
        "confirm",
        "copy",
    ]


def test_a_voucher_registration_says_registration_and_names_the_exhibitor(
    platform: FakePlatform,
) -> None:
    organizer(platform)
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    _, codes = issued_vouchers(platform, event, exhibitor, 1)
    registered = register(platform.registration_desk(), "198.51.100.1", codes[0], a_visitor())

    [request] = platform.mail.requests
    send(platform, request)

    [sent] = platform.mailer.sent
    assert sent.mail.subject.startswith("Ihre Anmeldung ")
    assert registered.order.order_number in sent.mail.subject
    assert exhibitor.name in sent.mail.text
    assert exhibitor.name in sent.mail.html
    assert "Anmeldenummer" in sent.mail.text
    assert "Buchung" not in sent.mail.subject + sent.mail.text
    assert sent.mail.sender_name == "Demo Messe GmbH"


def test_the_exhibitor_is_told_once_when_its_batch_is_ready(platform: FakePlatform) -> None:
    organizer(platform)
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    batch = samples.a_batch(event, exhibitor.exhibitor_id, 5, created_at=platform.clock.now())
    batch = batch.model_copy(update={"label": "Kunden Juli"})
    platform.batches.add_batch(batch)
    announce = worker.announce_ready(
        worker.Announcing(platform.access, platform.events, platform.mail)
    )

    def run() -> worker.Run:
        return worker.run(
            platform.batches,
            platform.events,
            platform.documents,
            platform.clock,
            batch.batch_id,
            announce=announce,
        )

    assert run().outcome == "ready"
    assert run().outcome == "closed"  # a repeated delivery asks again; the mailer drops it

    first, again = platform.mail.requests
    assert first == again
    assert (first.template, first.to, first.request_id) == (
        "batch_ready",
        [str(exhibitor.email)],
        f"batch-ready-{batch.batch_id}",
    )
    for request in (first, again):
        deliver(platform.mailer, platform.sent_mail, platform.clock, request)
    [sent] = platform.mailer.sent
    assert "Kunden Juli" in sent.mail.subject
    assert "5" in sent.mail.text
    assert f"/voucher-batches/{batch.batch_id}" in sent.mail.text
    assert (sent.mail.sender_name, sent.mail.reply_to) == (
        "Demo Messe GmbH",
        "tickets@demo-messe.example",
    )


@pytest.mark.parametrize("language", ["de", "en", "zh"])
def test_the_batch_ready_mail_speaks_the_events_language(
    platform: FakePlatform, language: str
) -> None:
    event = a_fair(platform).model_copy(update={"language": language})
    platform.db.events[event.event_id] = event
    exhibitor = an_exhibitor(platform, event)
    batch = samples.a_batch(event, exhibitor.exhibitor_id, 2, created_at=platform.clock.now())
    deps = worker.Announcing(platform.access, platform.events, platform.mail)

    request = worker.batch_ready_mail(deps, batch)

    assert request is not None
    assert request.language == language
    deliver(platform.mailer, platform.sent_mail, platform.clock, request)
    [sent] = platform.mailer.sent
    ready = {"de": "bereit", "en": "ready", "zh": "就绪"}[language]
    assert ready in sent.mail.subject
    assert ready in sent.mail.text
    assert sent.mail.sender_name == ""  # no organizer on record: the platform's address alone


def test_an_amount_and_money_still_read_in_the_mail(platform: FakePlatform) -> None:
    organizer(platform)
    event = a_fair(platform)
    order = booked(platform, event)

    context, _ = confirmations.compose(composing(platform), confirmation_request(order, "c"))

    assert order.total > Decimal(0)
    assert context["total"].endswith("€")

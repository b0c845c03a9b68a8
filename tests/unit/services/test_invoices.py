"""Issue 11: the organizer's settings (``PATCH /organizers/{id}``) and a complete invoice under
§14 UStG, on the fakes: refused with what is missing (no number taken), then issued with the
service date, the tax id, the payment terms and, for an open transfer, the bank details."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.pdf_reading import decode_qr_codes, pdf_text
from ticketing.domain.banking import BankAccount
from ticketing.domain.errors import Conflict, InvalidRequest, NotAllowed, NotFound
from ticketing.domain.events import Event
from ticketing.domain.identity import Principal, Role
from ticketing.domain.orders import Order, positions_for
from ticketing.domain.parties import Organizer, OrganizerChange
from ticketing.services import access, documents

REVIEWER = Principal(Role.REVIEWER, "rev_staff", None, "key_reviewer")
IBAN = "DE89370400440532013000"
ADDRESS = {"street": "Messeplatz 1", "zip": "81823", "city": "München", "vat_id": "DE123456789"}
BANK = {
    "account_holder": "Demo Messe GmbH",
    "iban": "DE89 3704 0044 0532 0130 00",
    "bic": "COBADEFFXXX",
}


def organizer(platform: FakePlatform, **settings: object) -> Organizer:
    made = Organizer.model_validate({**samples.an_organizer().model_dump(), **settings})
    platform.access.add_party(made, None)
    return made


def a_transfer_order(event: Event, quantity: int = 2) -> Order:
    order = samples.an_order(event, quantity=quantity)
    positions = positions_for(
        order.order_number, quantity, "day", "Tageskarte", Decimal("25.00"), Decimal("7"), "Erika M"
    )
    return order.model_copy(
        update={
            "payment": "transfer",
            "payment_status": "open",
            "total": Decimal("25.00") * quantity,
            "positions": positions,
        }
    )


def placed(platform: FakePlatform, order: Order, event: Event) -> Order:
    platform.transactions.commit(platform.orders.placement(order, event.capacity))
    return order


def issue(platform: FakePlatform, order: Order, event: Event, who: Organizer) -> tuple[str, bytes]:
    return documents.invoice(platform.orders, platform.documents, platform.clock, order, event, who)


# --- PATCH /organizers/{id} -------------------------------------------------------------------


def test_the_organizer_changes_only_the_fields_it_sends_and_null_clears_one(
    platform: FakePlatform,
) -> None:
    me = organizer(platform, city="Köln", website="https://demo-messe.example/")
    event = samples.a_fair()
    change = OrganizerChange.model_validate(
        {**ADDRESS, "bank": BANK, "payment_days": 10, "website": None}
    )

    changed = access.change_organizer(
        platform.access, samples.organizer_of(event), me.organizer_id, change
    )

    assert changed.city == "München"
    assert changed.street == "Messeplatz 1"
    assert changed.bank == BankAccount.model_validate(BANK)
    assert changed.bank.iban == IBAN
    assert changed.payment_days == 10
    assert changed.website is None
    assert changed.name == me.name
    assert changed.email == me.email
    assert platform.access.get_organizer(me.organizer_id) == changed


def test_null_puts_a_defaulted_field_back_and_a_name_cannot_be_cleared(
    platform: FakePlatform,
) -> None:
    me = organizer(platform, small_business=True, payment_days=30)

    changed = access.change_organizer(
        platform.access,
        REVIEWER,
        me.organizer_id,
        OrganizerChange.model_validate({"small_business": None, "payment_days": None}),
    )

    assert changed.small_business is False
    assert changed.payment_days == 14
    with pytest.raises(InvalidRequest, match="name cannot be cleared"):
        access.change_organizer(
            platform.access,
            REVIEWER,
            me.organizer_id,
            OrganizerChange.model_validate({"name": None}),
        )


def test_another_organizer_gets_not_found_and_an_exhibitor_is_not_allowed(
    platform: FakePlatform,
) -> None:
    me = organizer(platform)
    other = Principal(Role.ORGANIZER, "org_other0000000000", "org_other0000000000", "key_x")
    exhibitor = Principal(Role.EXHIBITOR, "exh_1", me.organizer_id, "key_e", scope="evt")
    change = OrganizerChange.model_validate({"city": "Elsewhere"})

    with pytest.raises(NotFound):
        access.change_organizer(platform.access, other, me.organizer_id, change)
    with pytest.raises(NotAllowed):
        access.change_organizer(platform.access, exhibitor, me.organizer_id, change)
    with pytest.raises(NotFound):
        access.change_organizer(platform.access, REVIEWER, "org_nobody000000000", change)
    assert platform.access.get_organizer(me.organizer_id) == me


def test_an_invalid_iban_is_refused_by_its_checksum() -> None:
    with pytest.raises(ValueError, match="not a valid IBAN"):
        OrganizerChange.model_validate({"bank": {**BANK, "iban": "DE89370400440532013001"}})


# --- the invoice ------------------------------------------------------------------------------


def test_an_invoice_without_address_and_tax_id_is_refused_naming_what_is_missing(
    platform: FakePlatform,
) -> None:
    event = samples.a_fair()
    platform.events.add(event)
    order = placed(platform, a_transfer_order(event), event)
    me = organizer(platform, city="München")

    with pytest.raises(Conflict) as refused:
        issue(platform, order, event, me)

    assert refused.value.detail == (
        "the invoice needs the organizer's address (street, zip) and a VAT id or tax number; "
        f"set them with PATCH /organizers/{me.organizer_id}"
    )
    assert refused.value.extensions["missing"] == ["street", "zip", "vat_id or tax_number"]
    header = platform.orders.get_header(order.order_number)
    assert header is not None
    assert header.invoice_number is None
    assert platform.documents.keys_under("invoices/") == set()


def test_a_tax_number_stands_in_for_the_vat_id_and_the_first_number_is_one(
    platform: FakePlatform,
) -> None:
    event = samples.a_fair()
    platform.events.add(event)
    order = placed(platform, a_transfer_order(event), event)
    settings = {**ADDRESS, "vat_id": None, "tax_number": "143/123/45678"}
    me = organizer(platform, **settings)

    number, data = issue(platform, order, event, me)

    assert number == "R2026-000001"
    assert "Steuernummer 143/123/45678" in pdf_text(data)


def test_an_open_transfer_invoice_carries_service_date_terms_bank_and_girocode(
    platform: FakePlatform,
) -> None:
    event = samples.a_fair()  # 8 to 12 July 2030 in Munich
    platform.events.add(event)
    order = placed(platform, a_transfer_order(event), event)
    me = organizer(platform, **ADDRESS, bank=BankAccount.model_validate(BANK))

    _, data = issue(platform, order, event, me)

    text = " ".join(pdf_text(data).split())
    assert "Leistungsdatum 08.07.2030 – 12.07.2030" in text
    assert "USt-IdNr. DE123456789" in text
    assert "IBAN DE89 3704 0044 0532 0130 00" in text
    assert f"Verwendungszweck {order.order_number}" in text
    # ordered 4 May 2026, 14 days to pay
    assert "Zahlbar innerhalb von 14 Tagen, bis zum 18.05.2026" in text
    (payload,) = decode_qr_codes(data)
    lines = payload.split("\n")
    assert (lines[0], lines[1], lines[3]) == ("BCD", "002", "SCT")  # EPC QR, version 002
    assert lines[4:7] == ["COBADEFFXXX", "Demo Messe GmbH", IBAN]
    assert lines[7] == "EUR50"
    assert lines[-1] == order.order_number


def test_a_paid_order_says_when_and_shows_no_bank_details(platform: FakePlatform) -> None:
    event = samples.a_fair()
    platform.events.add(event)
    paid_at = datetime(2026, 5, 6, 22, 30, tzinfo=UTC)  # already 7 May in Berlin
    order = a_transfer_order(event).model_copy(
        update={"payment_status": "paid", "paid_at": paid_at}
    )
    placed(platform, order, event)
    me = organizer(platform, **ADDRESS, bank=BankAccount.model_validate(BANK))

    _, data = issue(platform, order, event, me)

    text = pdf_text(data)
    assert "Bezahlt am 07.05.2026." in text
    assert "IBAN" not in text
    assert decode_qr_codes(data) == []


def test_a_small_business_invoice_has_the_section_19_note_and_no_vat(
    platform: FakePlatform,
) -> None:
    event = samples.a_fair()
    platform.events.add(event)
    order = placed(platform, a_transfer_order(event), event)
    me = organizer(platform, **ADDRESS, small_business=True)

    view = documents.invoice_view(order, event, me, "R2026-000001", order.created_at)
    _, data = issue(platform, order, event, me)

    assert view.tax_rows == ()
    assert view.total_tax == 0
    assert view.total_net == view.total_gross == Decimal("50.00")
    lines = [line.strip() for line in pdf_text(data).splitlines()]
    assert "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet." in lines
    assert "Summe 50,00 €" in lines
    assert not any("MwSt." in line or "Steuersatz" in line for line in lines)


def test_the_transfer_block_for_mail_and_page_has_what_the_customer_pays_with(
    platform: FakePlatform,
) -> None:
    event = samples.a_fair()
    order = a_transfer_order(event)
    me = samples.an_organizer().model_copy(
        update={"bank": BankAccount.model_validate(BANK), "payment_days": 10}
    )

    block = documents.transfer_block(order, event, me)
    english = documents.transfer_block(order, event, me, "en")

    assert block == {
        "account_holder": "Demo Messe GmbH",
        "iban": "DE89 3704 0044 0532 0130 00",
        "bic": "COBADEFFXXX",
        "reference": order.order_number,
        "amount": "50,00 €",
        "due": "14.05.2026",
    }
    assert english is not None
    assert english["due"] == "14 May 2026"
    paid = order.model_copy(update={"payment_status": "paid"})
    assert documents.transfer_block(paid, event, me) is None
    assert documents.transfer_block(order, event, samples.an_organizer()) is None


def test_the_confirmation_of_an_open_transfer_says_where_to_pay_and_by_when(
    platform: FakePlatform,
) -> None:
    from ticketing.mail.messages import MailRequest
    from ticketing.mail.render import render
    from ticketing.services.confirmations import Composing, compose

    event = samples.a_fair()
    platform.events.add(event)
    order = placed(platform, a_transfer_order(event), event)
    organizer(platform, **ADDRESS, bank=BankAccount.model_validate(BANK))
    request = MailRequest(
        template="order_confirmation",
        to=["erika@example.org"],
        language="de",
        request_id="confirm-1",
        order_number=order.order_number,
    )
    deps = Composing(
        platform.orders,
        platform.events,
        platform.documents,
        platform.access,
        platform.clock,
        "https://tickets.example",
    )

    context, _ = compose(deps, request)
    mail = render(request, context)

    for text in (mail.text, mail.html):
        assert "Bitte überweisen Sie 50,00 € bis zum 18.05.2026 auf dieses Konto:" in text
        assert "DE89 3704 0044 0532 0130 00" in text
        assert "COBADEFFXXX" in text
        assert order.order_number in text
        assert "Verwendungszweck" in text


def test_the_order_page_of_an_open_transfer_shows_the_transfer_details() -> None:
    from tests.unit.test_portal_pages import ORDER
    from ticketing.pages.order import render_order_page

    event = samples.a_fair()
    order = a_transfer_order(event)
    me = samples.an_organizer().model_copy(update={"bank": BankAccount.model_validate(BANK)})
    transfer = documents.transfer_block(order, event, me, "en")

    html = render_order_page("en", replace(ORDER, transfer=transfer))
    without = render_order_page("en", ORDER)

    assert "Please transfer €50.00 by 18 May 2026 to this account:" in html
    assert "DE89 3704 0044 0532 0130 00" in html
    assert "COBADEFFXXX" in html
    assert f'id="transfer-reference">{order.order_number}<' in html
    assert 'id="transfer"' not in without

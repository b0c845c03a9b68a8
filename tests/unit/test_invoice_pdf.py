"""The invoice PDF under §14 UStG (issue 11): what a tax office and a banking app read on it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from tests.pdf_reading import image_count, page_count, pdf_text
from tests.unit.test_pdf_documents import INVOICE
from ticketing.documents.invoice_pdf import render_invoice, service_date
from ticketing.documents.views import Address, InvoiceLine, InvoiceTransfer

TRANSFER = InvoiceTransfer(
    account_holder="Messe Musterstadt GmbH",
    iban="DE89370400440532013000",
    bic="COBADEFFXXX",
    reference="12BE-090125-655140",
    amount=Decimal("1240.00"),
)
OPEN_TRANSFER = replace(
    INVOICE,
    service_starts=datetime(2026, 7, 12, 7, 0, tzinfo=UTC),
    service_ends=datetime(2026, 7, 16, 16, 0, tzinfo=UTC),
    payment_terms="Zahlbar innerhalb von 14 Tagen, bis zum 23.01.2026.",
    transfer=TRANSFER,
)


def codes_at(data: bytes, dpi: int, page: int = 0) -> list[str]:
    """The QR codes a phone reads off the page printed (or shown) at ``dpi``."""
    import pypdfium2  # type: ignore[import-untyped, unused-ignore]
    import zxingcpp

    document = pypdfium2.PdfDocument(data)
    try:
        image = document[page].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    return [found.text for found in zxingcpp.read_barcodes(image, formats=qr_only)]


def test_the_girocode_decodes_at_150_dpi_to_an_epc_transfer_with_iban_and_amount() -> None:
    data = render_invoice(OPEN_TRANSFER)

    (payload,) = codes_at(data, 150)

    lines = payload.split("\n")
    assert (lines[0], lines[1], lines[3]) == ("BCD", "002", "SCT")
    assert lines[4:8] == ["COBADEFFXXX", "Messe Musterstadt GmbH", TRANSFER.iban, "EUR1240"]
    assert lines[-1] == TRANSFER.reference  # the remittance text: the order number
    assert image_count(data) == 0  # drawn as vectors, like the ticket's code


def test_the_invoice_shows_service_date_bank_details_and_reference() -> None:
    lines = [line.strip() for line in pdf_text(render_invoice(OPEN_TRANSFER)).splitlines()]

    for expected in (
        "Leistungsdatum 12.07.2026 – 16.07.2026",  # in Berlin
        "Bankverbindung",
        "Kontoinhaber Messe Musterstadt GmbH",
        "IBAN DE89 3704 0044 0532 0130 00",
        "BIC COBADEFFXXX",
        "Verwendungszweck 12BE-090125-655140",
        "Betrag 1.240,00 €",
        "Zahlbar innerhalb von 14 Tagen, bis zum 23.01.2026.",
    ):
        assert expected in lines


def test_a_one_day_event_has_one_service_date_in_its_time_zone() -> None:
    late = datetime(2026, 7, 12, 22, 30, tzinfo=UTC)  # 13 July in Berlin
    view = replace(OPEN_TRANSFER, service_starts=late, service_ends=late)

    assert service_date(view) == "13.07.2026"
    assert service_date(replace(view, language="en")) == "13 Jul 2026"


def test_no_girocode_for_another_currency_but_the_bank_details_stay() -> None:
    data = render_invoice(replace(OPEN_TRANSFER, currency="CHF"))

    assert codes_at(data, 150) == []
    assert "DE89 3704 0044 0532 0130 00" in pdf_text(data)


def test_a_long_invoice_keeps_the_bank_details_and_code_together_on_its_last_page() -> None:
    line = InvoiceLine("Tageskarte", 1, Decimal("25.00"), Decimal("7"), Decimal("25.00"))
    data = render_invoice(replace(OPEN_TRANSFER, lines=(line,) * 45))

    last = page_count(data) - 1
    assert last >= 1
    assert len(codes_at(data, 150, page=last)) == 1


def test_names_in_any_script_print_on_the_invoice() -> None:
    view = replace(
        OPEN_TRANSFER,
        language="zh",
        seller=replace(INVOICE.seller, name="Αθηνά Παππά Messe"),
        buyer=Address(name="张伟", street="Ирина-Петрова-Straße 1", zip="12345", city="Łódź"),
    )

    text = pdf_text(render_invoice(view))

    for name in ("Αθηνά Παππά Messe", "张伟", "Ирина-Петрова-Straße 1", "12345 Łódź", "发票"):
        assert name in text

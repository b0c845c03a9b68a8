"""Tickets and invoices as PDFs: what a visitor, a door scanner and a tax office read on them."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.pdf_reading import decode_qr_codes, image_count, page_count, pdf_text
from ticketing.documents.pdf import render_invoice, render_ticket, render_tickets
from ticketing.documents.qr import qr_modules
from ticketing.documents.views import (
    Address,
    InvoiceLine,
    InvoiceView,
    Language,
    TaxRow,
    TicketView,
)
from ticketing.i18n import format_money, format_tax_rate

BERLIN_SUMMER = timezone(timedelta(hours=2))
ORDERED_AT = datetime(2026, 1, 9, 8, 55, tzinfo=UTC)

TICKET = TicketView(
    event_name="INTERFORST 2026",
    venue="Messe München, Halle A1",
    starts_at=datetime(2026, 7, 12, 9, 0, tzinfo=BERLIN_SUMMER),
    ends_at=datetime(2026, 7, 16, 18, 0, tzinfo=BERLIN_SUMMER),
    timezone="Europe/Berlin",
    language="de",
    holder_name="Madeleine Mustermann",
    price_option_name="Tageskarte",
    price=Decimal("25.00"),
    currency="EUR",
    order_number="12BE-090125-655140",
    position_id="6jjf7gj",
    secret="K7QD-M3XH-9RTW-CF2P-AZ",
)

INVOICE = InvoiceView(
    invoice_number="R2026-000042",
    invoice_date=datetime(2026, 1, 9, 23, 30, tzinfo=UTC),  # already 10 Jan in Berlin
    order_number="12BE-090125-655140",
    order_date=datetime(2026, 1, 9, 8, 50, tzinfo=UTC),
    event_name="INTERFORST 2026",
    currency="EUR",
    language="de",
    timezone="Europe/Berlin",
    seller=Address(
        name="Messe Musterstadt GmbH",
        street="Messeplatz 1",
        zip="80331",
        city="München",
        country="Deutschland",
        vat_id="DE123456789",
    ),
    buyer=Address(
        name="Madeleine Mustermann",
        street="Straße der Arbeit 123",
        zip="12345",
        city="Musterstadt",
    ),
    lines=(
        InvoiceLine("Tageskarte", 2, Decimal("25.00"), Decimal("7"), Decimal("50.00")),
        InvoiceLine("Parkticket", 1, Decimal("1190.00"), Decimal("19"), Decimal("1190.00")),
    ),
    tax_rows=(
        TaxRow(Decimal("7"), Decimal("46.73"), Decimal("3.27"), Decimal("50.00")),
        TaxRow(Decimal("19"), Decimal("1000.00"), Decimal("190.00"), Decimal("1190.00")),
    ),
    total_net=Decimal("1046.73"),
    total_tax=Decimal("193.27"),
    total_gross=Decimal("1240.00"),
    payment_note="Zahlung per Überweisung, offen.",
)


def lines_of(data: bytes) -> list[str]:
    return [line.strip() for line in pdf_text(data).splitlines()]


# --- tickets ----------------------------------------------------------------------------------


def test_ticket_shows_event_holder_and_order_and_its_qr_decodes_to_the_secret() -> None:
    data = render_ticket(TICKET, created_at=ORDERED_AT)

    text = pdf_text(data)
    for expected in (
        "INTERFORST 2026",
        "Messe München, Halle A1",
        "Madeleine Mustermann",
        "Tageskarte",
        "12BE-090125-655140",
        "6jjf7gj",
    ):
        assert expected in text
    assert decode_qr_codes(data) == ["K7QD-M3XH-9RTW-CF2P-AZ"]
    assert page_count(data) == 1


def test_ticket_shows_start_and_end_in_the_events_timezone() -> None:
    in_utc = replace(
        TICKET,
        starts_at=datetime(2026, 7, 12, 7, 0, tzinfo=UTC),
        ends_at=datetime(2026, 7, 16, 16, 0, tzinfo=UTC),
    )

    assert "12.07.2026, 09:00 Uhr – 16.07.2026, 18:00 Uhr" in pdf_text(render_ticket(in_utc))


def test_ticket_labels_are_german_for_a_german_event() -> None:
    lines = lines_of(render_ticket(TICKET))

    for label in ("Bestellnummer", "Ticket-ID", "Inhaber/in", "Preis"):
        assert label in lines


def test_ticket_shows_price_in_german_format() -> None:
    data = render_ticket(replace(TICKET, price=Decimal("1234.5")))

    assert "1.234,50 €" in pdf_text(data)


def test_ticket_hides_the_price_when_not_shown() -> None:
    data = render_ticket(replace(TICKET, price=None))

    text = pdf_text(data)
    assert "Preis" not in lines_of(data)
    assert "25,00" not in text
    assert "€" not in text
    assert "Tageskarte" in text  # the price option itself stays


def test_english_ticket_uses_english_labels() -> None:
    data = render_ticket(replace(TICKET, language="en"))

    lines = lines_of(data)
    for label in ("Order number", "Ticket ID", "Holder", "Price"):
        assert label in lines
    for german in ("Bestellnummer", "Inhaber/in", "Preis"):
        assert german not in lines
    text = pdf_text(data)
    assert "€25.00" in text
    assert "12 Jul 2026, 09:00 – 16 Jul 2026, 18:00" in text


def test_ticket_title_names_the_ticket_and_the_event() -> None:
    reader = PdfReader(io.BytesIO(render_ticket(TICKET)))

    assert reader.metadata is not None
    assert reader.metadata.title == "Ticket 6jjf7gj – INTERFORST 2026"


def test_names_in_any_script_print_as_written() -> None:
    view = replace(
        TICKET,
        event_name="Konzert 音乐会 🎵",  # no font of ours has the emoji: it must not break
        holder_name="张伟",
        price_option_name="Dvořák-Abend",
        secret="张伟-K7QD",
    )

    data = render_ticket(view)

    text = pdf_text(data)
    assert "Konzert 音乐会" in text
    assert "张伟" in lines_of(data)
    assert "Dvořák-Abend" in text
    assert decode_qr_codes(data) == ["张伟-K7QD"]  # the code itself carries any text
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None
    assert reader.metadata.title == "Ticket 6jjf7gj – Konzert 音乐会 🎵"


def test_long_texts_are_cut_and_the_ticket_stays_on_one_page() -> None:
    view = replace(
        TICKET,
        event_name="Internationale Fachmesse für Forsttechnik " * 12,
        holder_name="Madeleine Mustermann-" * 10 + "Ende",
    )

    data = render_ticket(view)

    assert page_count(data) == 1
    assert "…" in pdf_text(data)
    assert decode_qr_codes(data) == [TICKET.secret]


def test_qr_is_vector_not_an_image() -> None:
    data = render_ticket(TICKET)

    assert image_count(data) == 0
    assert decode_qr_codes(data) == [TICKET.secret]


def test_qr_code_is_at_least_four_centimetres_wide() -> None:
    # The code is drawn as rectangles: the page's content stream gives its extent.
    reader = PdfReader(io.BytesIO(render_ticket(TICKET)))
    content = reader.pages[0].get_contents()
    assert content is not None
    rectangles = [
        [float(number) for number in line.split()[:4]]
        for line in content.get_data().decode("latin-1").splitlines()
        if line.endswith(" re f")
    ]
    left = min(x for x, _, _, _ in rectangles)
    right = max(x + width for x, _, width, _ in rectangles)

    assert (right - left) * 25.4 / 72 >= 40


def test_same_ticket_and_creation_date_render_the_same_bytes() -> None:
    assert render_ticket(TICKET, created_at=ORDERED_AT) == render_ticket(
        TICKET, created_at=ORDERED_AT
    )


def test_all_tickets_in_one_pdf_have_one_page_each_with_their_own_qr() -> None:
    views = [
        replace(TICKET, position_id=f"pos{n}", secret=f"SECRET-{n}", holder_name=f"Gast {n}")
        for n in range(3)
    ]

    data = render_tickets(views, created_at=ORDERED_AT)

    assert page_count(data) == 3
    for page in range(3):
        assert decode_qr_codes(data, page=page) == [f"SECRET-{page}"]
    reader = PdfReader(io.BytesIO(data))
    assert "Gast 1" in reader.pages[1].extract_text()
    assert "Gast 0" not in reader.pages[1].extract_text()


def test_all_tickets_needs_at_least_one_ticket() -> None:
    with pytest.raises(ValueError, match="at least one ticket"):
        render_tickets([])


def test_qr_matrix_has_no_quiet_zone() -> None:
    modules = qr_modules("K7QD-M3XH-9RTW-CF2P-AZ")

    assert len(modules) == len(modules[0]) == 25  # version 2 at level M
    assert all(modules[0][:7])  # the finder pattern starts at the very edge


# --- invoices ---------------------------------------------------------------------------------


def test_invoice_lists_net_tax_and_gross_per_tax_rate() -> None:
    lines = lines_of(render_invoice(INVOICE))

    assert "Steuersatz Netto MwSt. Brutto" in lines
    assert "7 % 46,73 € 3,27 € 50,00 €" in lines
    assert "19 % 1.000,00 € 190,00 € 1.190,00 €" in lines
    assert "Summe 1.046,73 € 193,27 € 1.240,00 €" in lines


def test_invoice_lines_show_quantity_unit_price_rate_and_amount() -> None:
    lines = lines_of(render_invoice(INVOICE))

    assert "Beschreibung Menge Einzelpreis Steuersatz Betrag" in lines
    assert "Tageskarte 2 25,00 € 7 % 50,00 €" in lines
    assert "Parkticket 1 1.190,00 € 19 % 1.190,00 €" in lines


def test_invoice_shows_both_addresses_and_numbers() -> None:
    data = render_invoice(INVOICE)

    lines = lines_of(data)
    for expected in (
        "Messe Musterstadt GmbH",
        "Messeplatz 1",
        "80331 München",
        "Deutschland",
        "USt-IdNr. DE123456789",
        "Madeleine Mustermann",
        "Straße der Arbeit 123",
        "12345 Musterstadt",
        "Rechnung",
        "Rechnungsnummer R2026-000042",
        "Rechnungsdatum 10.01.2026",  # the day in Berlin, not in UTC
        "Bestellnummer 12BE-090125-655140",
        "Bestelldatum 09.01.2026",
        "Veranstaltung: INTERFORST 2026",
        "Zahlung per Überweisung, offen.",
    ):
        assert expected in lines
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None
    assert reader.metadata.title == "Rechnung R2026-000042"
    assert reader.metadata.creation_date == INVOICE.invoice_date


def test_english_invoice_uses_english_labels_and_amounts() -> None:
    lines = lines_of(render_invoice(replace(INVOICE, language="en")))

    for expected in (
        "Invoice",
        "Invoice number R2026-000042",
        "Invoice date 10 Jan 2026",
        "Order number 12BE-090125-655140",
        "Order date 9 Jan 2026",
        "Description Quantity Unit price Tax rate Amount",
        "Tax rate Net VAT Gross",
        "19% €1,000.00 €190.00 €1,190.00",
        "Total €1,046.73 €193.27 €1,240.00",
    ):
        assert expected in lines


def test_a_long_invoice_continues_on_the_next_page() -> None:
    line = InvoiceLine("Tageskarte", 1, Decimal("25.00"), Decimal("7"), Decimal("25.00"))
    data = render_invoice(replace(INVOICE, lines=(line,) * 60))

    pages = page_count(data)
    assert pages >= 2
    lines = lines_of(data)
    assert "Summe 1.046,73 € 193,27 € 1.240,00 €" in lines
    assert f"Rechnung R2026-000042 · Seite {pages} von {pages}" in lines


def test_a_one_page_invoice_has_no_page_numbers() -> None:
    assert "Seite" not in pdf_text(render_invoice(INVOICE))


def test_same_invoice_renders_the_same_bytes() -> None:
    assert render_invoice(INVOICE) == render_invoice(INVOICE)


# --- formatting and cold start ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("25", "EUR", "de", "25,00 €"),
        ("1234.5", "EUR", "de", "1.234,50 €"),
        ("1234567.891", "EUR", "de", "1.234.567,89 €"),
        ("-5", "EUR", "de", "-5,00 €"),
        ("1234.5", "EUR", "en", "€1,234.50"),
        ("-5", "EUR", "en", "-€5.00"),
        ("12", "CHF", "de", "12,00 CHF"),
        ("12", "CHF", "en", "CHF 12.00"),
    ],
)
def test_amounts_are_written_as_people_of_the_language_read_them(
    amount: str, currency: str, language: Language, expected: str
) -> None:
    assert format_money(Decimal(amount), currency, language) == expected


@pytest.mark.parametrize(
    ("rate", "language", "expected"),
    [("7", "de", "7 %"), ("19.00", "de", "19 %"), ("7.5", "de", "7,5 %"), ("10", "en", "10%")],
)
def test_tax_rates_drop_trailing_zeros(rate: str, language: Language, expected: str) -> None:
    assert format_tax_rate(Decimal(rate), language) == expected


def test_importing_the_renderer_does_not_import_fpdf_or_segno() -> None:
    code = (
        "import sys, ticketing.documents.pdf; "
        "print(sorted(m for m in ('fpdf', 'fontTools', 'PIL', 'segno') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"

"""Names in any script print as they are written, on tickets and invoices (issue 11): embedded
Unicode fonts, subset per document so that a ticket stays small, text extractable."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.pdf_reading import decode_qr_codes, pdf_text
from tests.unit.test_pdf_documents import INVOICE, ORDERED_AT, TICKET
from ticketing.documents.fonts import FONT_DIR, unicode_document, use_unicode_fonts
from ticketing.documents.pdf import printed_language, render_invoice, render_ticket
from ticketing.documents.views import Language

NAMES = ("Łukasz Wąsik", "Zoë Ğündoğan", "Αθηνά Παππά", "Ирина Петрова", "张伟")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("language", ["de", "zh"])
def test_a_ticket_prints_its_holders_name_in_any_script(name: str, language: Language) -> None:
    data = render_ticket(replace(TICKET, holder_name=name, language=language))

    assert name in pdf_text(data)
    assert decode_qr_codes(data) == [TICKET.secret]


@pytest.mark.parametrize("name", NAMES)
def test_an_invoice_prints_the_buyers_name_in_any_script(name: str) -> None:
    view = replace(INVOICE, buyer=replace(INVOICE.buyer, name=name, city="Zürich"))

    assert name in pdf_text(render_invoice(view))


def test_a_chinese_event_prints_its_ticket_in_chinese() -> None:
    data = render_ticket(replace(TICKET, language="zh", holder_name="张伟"))

    assert printed_language("zh") == "zh"
    text = pdf_text(data)
    assert "订单号" in text  # the order number's label, from the zh catalogue
    assert "2026年7月12日" in text


def test_a_ticket_stays_small_with_embedded_fonts() -> None:
    latin = render_ticket(TICKET, created_at=ORDERED_AT)
    chinese = render_ticket(replace(TICKET, holder_name="张伟"), created_at=ORDERED_AT)

    # only the glyphs used are embedded: a few KB, not the fonts' megabytes
    assert len(latin) < 25_000
    assert len(chinese) < 30_000


def test_a_document_reads_a_cjk_font_only_when_a_character_needs_it() -> None:
    pdf = unicode_document()
    pdf.add_page()
    pdf.cell(text="Anna Schmidt")
    assert list(pdf.fonts) == ["notosans", "notosansB"]

    pdf.cell(text="张伟")
    assert list(pdf.fonts) == ["notosans", "notosansB", "droidsansfallback"]  # the common one

    pdf.cell(text="龘")  # outside GB 2312: only in the full font
    assert "droidsansfallbackfull" in pdf.fonts
    text = pdf_text(bytes(pdf.output()))
    assert "张伟" in text
    assert "龘" in text


def test_a_ticket_for_a_rare_character_draws_it_from_the_full_font() -> None:
    data = render_ticket(replace(TICKET, holder_name="龘 陳", language="zh"))  # 陳: traditional

    assert "龘 陳" in pdf_text(data)


def test_any_fpdf_document_can_use_the_fonts() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    use_unicode_fonts(pdf)
    pdf.add_page()
    for name in NAMES:
        pdf.cell(text=name, new_x="LMARGIN", new_y="NEXT")

    text = pdf_text(bytes(pdf.output()))
    for name in NAMES:
        assert name in text


def test_the_fonts_ship_with_their_licences() -> None:
    names = {path.name for path in FONT_DIR.iterdir()}

    assert {
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        "DroidSansFallbackCommon.ttf",
        "DroidSansFallbackFull.ttf",
    } <= names
    assert {"NotoSans-OFL.txt", "DroidSansFallback-LICENSE.txt"} <= names

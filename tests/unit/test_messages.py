"""One message catalogue for every page, mail, PDF and Excel file: German, English, Chinese."""

from __future__ import annotations

import io
import re
import string
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.fakes.samples import a_batch, a_fair, an_order, an_organizer
from tests.pdf_reading import pdf_text
from ticketing.documents.layouts import booking_list_workbook, voucher_codes_workbook
from ticketing.documents.pdf import render_invoice, render_ticket
from ticketing.documents.views import TicketView
from ticketing.domain.events import Event
from ticketing.i18n import (
    LANGUAGES,
    Language,
    format_date,
    format_datetime,
    format_money,
    format_span,
    messages,
    negotiate,
    translate,
)
from ticketing.i18n.catalogue import LOCALE_DIR, catalogue
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import render
from ticketing.pages.order import render_not_found_page
from ticketing.pages.portal import render_portal_page
from ticketing.pages.redeem import render_redeem_page
from ticketing.services.documents import invoice_view, payment_note

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / "layers" / "shared" / "ticketing"
BERLIN_SUMMER = timezone(timedelta(hours=2))
STARTS = datetime(2026, 7, 12, 9, 0, tzinfo=BERLIN_SUMMER)
ENDS = datetime(2026, 7, 16, 18, 0, tzinfo=BERLIN_SUMMER)

# INTERFORST 2030, 8 to 12 July in Munich, for Chinese visitors
EVENT = a_fair().model_copy(update={"language": "zh"})


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --------------------------------------------------------------------------- the catalogue


def test_every_message_is_there_in_german_english_and_chinese() -> None:
    ids = {language: set(catalogue(language)) for language in LANGUAGES}

    assert LANGUAGES == ("de", "en", "zh")
    assert len(ids["de"]) > 150
    assert ids["de"] == ids["en"] == ids["zh"]
    for language in LANGUAGES:
        assert all(text.strip() for text in catalogue(language).values()), language


def test_every_translation_fills_the_same_placeholders() -> None:
    for message_id, german in catalogue("de").items():
        for language in ("en", "zh"):
            assert placeholders(catalogue(language)[message_id]) == placeholders(german), (
                message_id,
                language,
            )


def test_the_chinese_catalogue_is_chinese() -> None:
    # the few that are nothing but placeholders and punctuation
    untranslated = [
        message_id
        for message_id, text in catalogue("zh").items()
        if not re.search("[\u4e00-\u9fff]", text)
    ]

    assert set(untranslated) <= {"format.datetime", "format.same_day_span", "mail.field"}


def test_every_id_a_template_asks_for_is_in_the_catalogue() -> None:
    templates = [*SHARED.glob("pages/templates/*.html"), *SHARED.glob("mail/templates/*")]
    asked = {
        message_id
        for template in templates
        for message_id in re.findall(r"""\bt\("([a-z_]+\.[a-z_.]+)"[,)]""", template.read_text())
    }

    assert len(asked) > 60
    assert asked - set(catalogue("de")) == set()


def test_each_language_has_one_catalogue_file() -> None:
    files = sorted(p.relative_to(LOCALE_DIR).as_posix() for p in LOCALE_DIR.rglob("*.po"))

    assert files == [f"{language}/LC_MESSAGES/messages.po" for language in LANGUAGES]


def test_a_text_fills_its_placeholders_and_an_unknown_id_fails_loudly() -> None:
    assert translate("de", "pdf.page_of", number=2, total=3) == "Seite 2 von 3"
    assert translate("zh", "pdf.page_of", number=2, total=3) == "第 2 页，共 3 页"
    assert (
        translate("en", "portal_script.too_many")
        == "Too many attempts. Please try again in {wait}."
    )
    assert messages("de", "common") == {"yes": "ja", "no": "nein"}
    with pytest.raises(KeyError):
        translate("de", "no.such.message")


def test_no_module_decides_between_languages_itself() -> None:
    pattern = re.compile(r"""\bgerman\b|==\s*["'](de|en|zh)["']|["'](de|en)["']\s+if\b""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("layers", "functions")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]

    assert offenders == []


def test_importing_the_catalogue_does_not_import_babel() -> None:
    code = (
        "import sys, ticketing.i18n, ticketing.documents.layouts, ticketing.pages.redeem; "
        "print('babel' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("language", "money", "when", "day"),
    [
        ("de", "1.234,50 €", "12.07.2026, 09:00 Uhr", "09.01.2026"),
        ("en", "€1,234.50", "12 Jul 2026, 09:00", "9 Jan 2026"),
        ("zh", "€1,234.50", "2026年7月12日 09:00", "2026年1月9日"),
    ],
)
def test_money_and_dates_are_formatted_in_the_events_locale(
    language: Language, money: str, when: str, day: str
) -> None:
    assert format_money(Decimal("1234.5"), "EUR", language) == money
    assert format_datetime(STARTS, "Europe/Berlin", language) == when
    # 08:50 UTC on 9 January is the same day in Berlin
    ordered = datetime(2026, 1, 9, 8, 50, tzinfo=UTC)
    assert format_date(ordered, "Europe/Berlin", language) == day


def test_yuan_and_a_chinese_span_of_days() -> None:
    assert format_money(Decimal("100"), "CNY", "zh") == "¥100.00"
    assert format_money(Decimal("12"), "CHF", "en") == "CHF 12.00"
    assert format_span(STARTS, ENDS, "Asia/Shanghai", "zh") == (
        "2026年7月12日 15:00 至 2026年7月17日 00:00"
    )


def test_api_amounts_stay_plain_decimal_strings() -> None:
    event_json = EVENT.model_dump(mode="json")

    assert event_json["price_options"][0]["price"] == "25.00"
    assert event_json["language"] == "zh"


# --------------------------------------------------------------------------- choosing a language


@pytest.mark.parametrize(
    ("accept_language", "override", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", None, "zh"),
        ("zh-Hant-TW", None, "zh"),  # Simplified is the Chinese we have: better than German
        ("en-US", "zh", "zh"),
        ("zh-CN", "de", "de"),
        ("fr, it", None, "de"),
    ],
)
def test_chinese_is_picked_from_the_browser_or_the_query(
    accept_language: str, override: str | None, expected: str
) -> None:
    assert negotiate(accept_language, override) == expected


def test_an_event_may_speak_chinese_and_its_orders_with_it() -> None:
    fair = Event.model_validate({**a_fair().model_dump(), "language": "zh"})

    assert fair.language == "zh"
    assert an_order(fair).language == "zh"


# --------------------------------------------------------------------- every medium in Chinese


def test_the_pages_speak_chinese() -> None:
    redeem, portal, not_found = (
        render_redeem_page("zh", None),
        render_portal_page("zh"),
        render_not_found_page("zh"),
    )

    assert '<html lang="zh-Hans">' in redeem
    assert "<title>兑换观众券</title>" in redeem
    assert ">观众券号码</label>" in redeem
    assert "<title>重新获取门票</title>" in portal
    assert "<title>未找到订单</title>" in not_found
    assert 'href="/portal?lang=zh"' in not_found
    # every page leads to the other two languages, each named in its own words
    assert ">Deutsch</a>" in redeem
    assert ">English</a>" in redeem
    assert ">中文</a>" in render_redeem_page("de", None)
    assert len(redeem.encode()) < 30 * 1024


def test_a_mail_speaks_chinese() -> None:
    request = MailRequest(
        template="organizer_welcome",
        to=["kontakt@example.cn"],
        language="zh",
        context={"organizer_name": "上海会展", "organizer_id": "org_1"},
        request_id="welcome-org_1",
    )

    mail = render(request)

    assert mail.subject == "上海会展 的主办方账户已开通"
    assert "上海会展，您好：" in mail.text
    assert "<code>org_1</code>" in mail.html
    assert '<html lang="zh-Hans">' in mail.html


def test_a_mail_writes_a_time_it_was_given_as_its_language_does() -> None:
    request = MailRequest(
        template="voucher_reminder",
        to=["messe@forst.example"],
        language="en",
        context={
            "exhibitor_name": "Forst",
            "event_name": "INTERFORST",
            "count": "4",
            "label": "Juni",
            "valid_until": "2030-06-30T23:59:59+02:00",
        },
        request_id="voucher-reminder-b1",
    )

    assert "valid only until 30 Jun 2030, 23:59." in render(request).text
    german = render(request.model_copy(update={"language": "de"}))
    assert "bis 30.06.2030, 23:59 Uhr gültig" in german.text
    # the form requests had before they carried ISO-8601 still reads
    legacy = request.model_copy(
        update={"context": {**request.context, "valid_until": "30.06.2030 23:59"}}
    )
    assert "until 30 Jun 2030, 23:59." in render(legacy).text


def test_an_excel_file_of_a_chinese_event_has_chinese_headings() -> None:
    batch = a_batch(EVENT, "exh_1", 1).model_copy(update={"label": "七月客户邀请"})

    data = voucher_codes_workbook(EVENT, batch, ["7KQ2M9XD4HTBW2"], "https://t.example")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "观众券"
    assert [cell.value for cell in sheet[1]] == ["观众券号码", "个人兑换链接", "名称", "有效期至"]
    code, link, label, until = (cell.value for cell in sheet[2])
    assert link == f"https://t.example/redeem?code={code}"
    assert label == "七月客户邀请"
    assert until == datetime(2030, 7, 12, 17, 0)  # the event's wall-clock time
    empty = booking_list_workbook(EVENT, [])
    assert openpyxl.load_workbook(io.BytesIO(empty)).worksheets[0].title == "预订列表"


def test_a_ticket_of_a_chinese_event_is_printed_in_chinese() -> None:
    # issue 11: tickets embed a CJK font (they were printed in English before)
    ticket = TicketView(
        event_name="INTERFORST 2026",
        venue="Messe München",
        starts_at=STARTS,
        ends_at=ENDS,
        timezone="Europe/Berlin",
        language="zh",
        holder_name="Wei Zhang",
        price_option_name="Tageskarte",
        price=Decimal("25.00"),
        currency="EUR",
        order_number="12BE-090125-655140",
        position_id="6jjf7gj",
        secret="K7QD-M3XH-9RTW-CF2P-AZ",
    )

    text = pdf_text(render_ticket(ticket))

    assert "订单号" in text
    assert "持票人" in text
    assert "€25.00" in text
    assert "2026年7月12日 09:00 至 2026年7月16日 18:00" in text
    assert "Order number" not in text


def test_a_chinese_order_is_paid_and_invoiced_in_chinese() -> None:
    # issue 11: the invoice embeds Unicode fonts, so it is printed in the order's language
    order = an_order(EVENT).model_copy(update={"payment": "transfer", "payment_status": "open"})

    view = invoice_view(order, EVENT, an_organizer(), "R2030-000001", order.created_at)

    assert payment_note(order) == "银行转账：待付款。"
    assert view.payment_note == "银行转账：待付款。"
    assert "银行转账：待付款。" in pdf_text(render_invoice(view))

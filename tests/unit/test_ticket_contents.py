"""What a ticket says besides its code (issue 11): who holds the event, which of the order's
tickets it is, the event's days and its end, and that it is personal."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from pypdf import PdfReader

from tests.pdf_reading import decode_qr_codes, page_count, pdf_text
from tests.unit.test_pdf_documents import TICKET
from ticketing.documents.pdf import event_days, render_ticket, render_tickets

BERLIN_SUMMER = timezone(timedelta(hours=2))
NAMED = replace(TICKET, organizer_name="Messe Musterstadt GmbH", number=2, count=3)


def test_a_ticket_names_the_organizer_and_its_number_within_the_order() -> None:
    text = pdf_text(render_ticket(NAMED))

    assert "Veranstalter: Messe Musterstadt GmbH" in text
    assert "2 von 3" in text
    assert "Gültig nur für die auf diesem Ticket genannte Person." in text


def test_the_number_is_in_the_events_language() -> None:
    assert "2 of 3" in pdf_text(render_ticket(replace(NAMED, language="en")))
    assert "第 2 张，共 3 张" in pdf_text(render_ticket(replace(NAMED, language="zh")))


def test_a_single_ticket_has_no_number_and_no_organizer_line_without_a_name() -> None:
    text = pdf_text(render_ticket(TICKET))

    assert " von " not in text
    assert "Veranstalter" not in text


def test_an_event_over_several_days_shows_its_days_and_its_end() -> None:
    text = pdf_text(render_ticket(NAMED))

    assert "Veranstaltungstage: 12.07.2026 – 16.07.2026" in text
    assert "16.07.2026, 18:00 Uhr" in text  # the end, with its time


def test_an_event_of_one_day_shows_no_days_line_but_its_end() -> None:
    one_day = replace(
        NAMED,
        starts_at=datetime(2026, 7, 12, 9, 0, tzinfo=BERLIN_SUMMER),
        ends_at=datetime(2026, 7, 13, 0, 0, tzinfo=BERLIN_SUMMER),  # until midnight
    )

    assert event_days(one_day) is None
    text = pdf_text(render_ticket(one_day))
    assert "Veranstaltungstage" not in text
    assert "12.07.2026" in text


def test_the_event_days_are_those_of_its_time_zone() -> None:
    # 23:30 in Berlin on the 12th is the 12th's evening, though already the 13th in UTC+3
    late = replace(
        NAMED,
        starts_at=datetime(2026, 7, 12, 21, 30, tzinfo=UTC),
        ends_at=datetime(2026, 7, 12, 21, 45, tzinfo=UTC),
    )

    assert event_days(late) is None


def test_all_tickets_keep_one_page_each_with_their_numbers() -> None:
    views = [replace(NAMED, number=n, position_id=f"pos{n}abc", secret=f"S-{n}") for n in (1, 2, 3)]

    data = render_tickets(views)

    assert page_count(data) == 3
    pages = PdfReader(io.BytesIO(data)).pages
    for n in (1, 2, 3):
        assert decode_qr_codes(data, page=n - 1) == [f"S-{n}"]
        assert f"{n} von 3" in pages[n - 1].extract_text()

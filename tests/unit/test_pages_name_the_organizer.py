"""Issue 11, the pages say who is speaking: the redemption page names the event and the
exhibitor who invites, the order page the organizer with its contact, imprint and privacy
policy; the portal, which knows no order yet, says where the organizer is named."""

from __future__ import annotations

import re
from dataclasses import replace

from tests.fakes import samples
from tests.unit.test_portal_pages import ORDER
from ticketing.pages.order import render_order_page
from ticketing.pages.portal import render_portal_page
from ticketing.pages.redeem import render_redeem_page
from ticketing.pages.views import organizer_contact
from ticketing.services.visitor_vouchers.invitation import Invitation

ATTACK = '"><script>alert(1)</script>'


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_the_redeem_page_with_a_known_code_names_the_exhibitor_and_the_event() -> None:
    host = Invitation(event_name="INTERFORST 2026", exhibitor_name="Forsttechnik Huber KG")

    german = visible(render_redeem_page("de", "7KQ2-M9XD-4HTB-W2", host))
    english = visible(render_redeem_page("en", "7KQ2-M9XD-4HTB-W2", host))

    assert "Forsttechnik Huber KG lädt Sie zu INTERFORST 2026 ein." in german
    assert "Forsttechnik Huber KG invites you to INTERFORST 2026." in english


def test_the_redeem_page_without_a_host_is_the_page_without_a_code_apart_from_the_code() -> None:
    unknown = render_redeem_page("de", "7KQ2-M9XD-4HTB-W2", None)
    plain = render_redeem_page("de", None)

    assert "invitation" not in unknown
    assert "lädt Sie zu" not in unknown
    assert len(unknown.replace("7KQ2-M9XD-4HTB-W2", "")) - len(plain) < 200


def test_names_on_the_redeem_page_are_text_never_markup() -> None:
    html = render_redeem_page("en", "x", Invitation(ATTACK, ATTACK))

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_the_order_page_names_the_organizer_how_to_reach_it_and_its_imprint() -> None:
    organizer = samples.an_organizer().model_copy(
        update={
            "street": "Messeallee 1",
            "zip": "81823",
            "city": "München",
            "contact_email": "tickets@demo-messe.example",
            "imprint_url": "https://demo-messe.example/impressum",
            "privacy_url": "https://demo-messe.example/datenschutz",
        }
    )
    page = replace(ORDER, organizer=organizer_contact(organizer))

    html = render_order_page("de", page)

    text = visible(html)
    assert "Ihr Veranstalter" in text
    assert "Demo Messe GmbH" in text
    assert "81823 München" in text
    assert 'href="mailto:tickets@demo-messe.example"' in html
    assert 'href="https://demo-messe.example/impressum"' in html
    assert 'href="https://demo-messe.example/datenschutz"' in html
    assert "Impressum" in text
    assert "Datenschutzerklärung" in text


def test_an_organizer_without_settings_is_still_named_with_its_own_address() -> None:
    page = replace(ORDER, organizer=organizer_contact(samples.an_organizer()))

    html = render_order_page("en", page)

    assert "Your organizer" in visible(html)
    assert 'href="mailto:kontakt@demo-messe.example"' in html
    assert "organizer-imprint" not in html


def test_the_order_page_without_an_organizer_on_record_shows_no_block() -> None:
    assert 'id="organizer"' not in render_order_page("de", ORDER)


def test_the_portal_says_where_the_organizer_is_named() -> None:
    text = visible(render_portal_page("de"))

    assert "Ihr Veranstalter steht in Ihrer Bestätigungs-E-Mail" in text

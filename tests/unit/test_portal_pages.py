"""The self-service portal and the order's private page (seed 001), as the server renders them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from ticketing.i18n import format_span as format_when
from ticketing.i18n import messages
from ticketing.pages import redeem
from ticketing.pages.order import (
    ORDER_RESPONSE_HEADERS,
    render_not_found_page,
    render_order_page,
)
from ticketing.pages.portal import (
    CONTENT_SECURITY_POLICY,
    RESPONSE_HEADERS,
    pick_language,
    render_portal_page,
)
from ticketing.pages.rendering import script_texts
from ticketing.pages.views import OrderPage, TicketLink

PORTAL_SCRIPT_TEXTS = {language: script_texts(language, "portal") for language in ("de", "en")}
ORDER_NUMBER = "12BE-090125-655140"
BASE = "https://tickets.example.org"
ATTACK = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def ticket(position_id: str, holder: str = "Madeleine Mustermann") -> TicketLink:
    return TicketLink(
        position_id=position_id,
        holder=holder,
        type="Tageskarte",
        url=f"{BASE}/t/{ORDER_NUMBER}.{position_id}.{'a' * 26}",
    )


ORDER = OrderPage(
    order_number=ORDER_NUMBER,
    customer_name="Madeleine Mustermann",
    event_name="INTERFORST 2026",
    venue="Messe München, Halle A1",
    starts_at=datetime(2026, 7, 12, 7, 0, tzinfo=UTC),  # 09:00 in Berlin (summer time)
    ends_at=datetime(2026, 7, 16, 16, 0, tzinfo=UTC),
    timezone="Europe/Berlin",
    tickets=(ticket("6jjf7gj"), ticket("k2m9x4p", "Max Mustermann")),
    all_tickets_url=f"{BASE}/o/{ORDER_NUMBER}/{'s' * 26}/tickets.pdf",
    invoice_url=f"{BASE}/o/{ORDER_NUMBER}/{'s' * 26}/invoice",
)


class Page(HTMLParser):
    """The elements of a rendered page that these tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.title = ""
        self.inputs: dict[str, dict[str, str]] = {}
        self.labels: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.scripts: list[dict[str, str]] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text = ""
        self._open: list[tuple[str, str | None]] = []
        self._in_script = False
        self._link_text: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "input":
            self.inputs[attributes["id"]] = attributes
        elif tag == "a":
            self.links.append(attributes)
            self._link_text = []
        elif tag in ("script", "style"):
            self._in_script = True
            if tag == "script":
                self.scripts.append(attributes)
        if tag in ("title", "label"):
            self._open.append((tag, attributes.get("for")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in_script = False
        if tag == "a" and self._link_text is not None:
            self.links[-1]["text"] = "".join(self._link_text).strip()
            self._link_text = None
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._in_script:
            self.text += data
        if self._link_text is not None:
            self._link_text.append(data)
        if not self._open:
            return
        tag, target = self._open[-1]
        if tag == "title":
            self.title += data
        elif target is not None:
            self.labels[target] = self.labels.get(target, "") + data

    def link(self, text: str) -> dict[str, str]:
        [found] = [a for a in self.links if a.get("text") == text]
        return found


def all_pages() -> list[str]:
    return [
        render(language)
        for language in ("de", "en")
        for render in (
            render_portal_page,
            lambda lang: render_order_page(lang, ORDER),
            render_not_found_page,
        )
    ]


# --------------------------------------------------------------------------- the portal


def test_the_portal_is_german_by_default() -> None:
    page = Page(render_portal_page(pick_language(None, None)))

    assert page.html_lang == "de"
    assert page.title == "Tickets erneut erhalten"
    assert page.labels == {"order_number": "Bestellnummer", "email": "E-Mail-Adresse"}
    assert page.link("English")["href"] == "?lang=en"
    assert "Link zusenden" in page.text


def test_a_browser_that_prefers_english_gets_the_portal_in_english() -> None:
    page = Page(render_portal_page(pick_language("en-GB,en;q=0.9,de;q=0.5", None)))

    assert page.html_lang == "en"
    assert page.labels == {"order_number": "Order number", "email": "E-mail address"}
    assert page.link("Deutsch")["href"] == "?lang=de"
    assert "Send me the link" in page.text


def test_the_lang_query_parameter_wins() -> None:
    assert Page(render_portal_page(pick_language("en-US", "de"))).html_lang == "de"


def test_the_portal_uses_the_redemption_pages_headers_and_language_choice() -> None:
    assert RESPONSE_HEADERS is redeem.RESPONSE_HEADERS
    assert CONTENT_SECURITY_POLICY is redeem.CONTENT_SECURITY_POLICY
    assert pick_language is redeem.pick_language


def test_the_portal_fields_tell_the_browser_what_to_fill_in() -> None:
    inputs = Page(render_portal_page("de")).inputs

    assert set(inputs) == {"order_number", "email"}
    number = inputs["order_number"]
    assert number["autocapitalize"] == "characters"
    assert number["autocomplete"] == "off"
    assert number["spellcheck"] == "false"
    assert "required" in number
    assert inputs["email"]["type"] == "email"
    assert inputs["email"]["autocomplete"] == "email"
    assert "required" in inputs["email"]


def test_the_portal_shows_an_example_order_number_and_says_the_link_is_private() -> None:
    german, english = render_portal_page("de"), render_portal_page("en")

    assert ORDER_NUMBER in german
    assert "Der Link in der E-Mail ist privat" in german
    assert "Bestellbestätigung" in german
    assert "The link in the e-mail is private" in english
    assert "order confirmation contains the same link" in english


def test_the_portal_answers_every_accepted_request_with_the_same_neutral_words() -> None:
    html = render_portal_page("en")

    assert PORTAL_SCRIPT_TEXTS["en"]["accepted"] == (
        "If the order number and e-mail address belong together, we have sent the link to "
        "your documents to that address. Please also look in your spam folder."
    )
    assert "Spam-Ordner" in PORTAL_SCRIPT_TEXTS["de"]["accepted"]
    # one message for 202, and none that would tell a match from a miss
    assert not any(re.search("found|unknown|match|wrong", key) for key in PORTAL_SCRIPT_TEXTS["en"])
    assert re.search(r'<div id="outcome"[^>]*aria-live="polite"', html)


def test_the_portal_posts_json_beside_its_own_path() -> None:
    html = render_portal_page("de")

    assert '"portal/requests"' in html
    assert "location.pathname" in html  # /Prod/portal posts to /Prod/portal/requests
    assert "JSON.stringify(values)" in html
    assert "Retry-After" in html
    assert re.search(r"<noscript>.*JavaScript.*</noscript>", html, re.S)


def test_the_portal_is_the_same_for_everybody() -> None:
    assert render_portal_page("de") == render_portal_page("de")


# --------------------------------------------------------------------------- the order page


def test_the_order_page_is_german_with_the_event_in_its_time_zone() -> None:
    page = Page(render_order_page("de", ORDER))

    assert page.html_lang == "de"
    assert page.title == "Ihre Bestellung: INTERFORST 2026"
    assert "12.07.2026, 09:00 Uhr \u2013 16.07.2026, 18:00 Uhr" in page.text
    for shown in (ORDER_NUMBER, "Madeleine Mustermann", "Messe München, Halle A1"):
        assert shown in page.text
    assert "persönlich" in page.text
    assert page.link("English")["href"] == "?lang=en"  # the path, and with it the secret, stays


def test_the_order_page_in_english() -> None:
    page = Page(render_order_page("en", ORDER))

    assert page.html_lang == "en"
    assert "12 Jul 2026, 09:00 \u2013 16 Jul 2026, 18:00" in page.text
    assert "Download all tickets (one PDF)" in page.text
    assert "personal" in page.text
    assert page.link("Deutsch")["href"] == "?lang=de"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "12.07.2026, 09:00 \u2013 18:00 Uhr"),
        ("en", "12 Jul 2026, 09:00 \u2013 18:00"),
    ],
)
def test_a_one_day_event_names_its_date_once(language: redeem.Language, expected: str) -> None:
    starts = datetime(2026, 7, 12, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_when(starts, starts + timedelta(hours=9), "Europe/Berlin", language) == expected


def test_times_are_shown_in_the_events_time_zone_not_the_servers() -> None:
    starts = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)  # already the 6th in Berlin
    shown = format_when(starts, starts + timedelta(hours=2), "Europe/Berlin", "de")
    assert shown == "06.01.2026, 00:30 \u2013 02:30 Uhr"
    assert format_when(starts, starts, "America/New_York", "en").startswith("5 Jan 2026, 18:30")


def test_the_order_page_lists_every_ticket_with_its_own_link() -> None:
    page = Page(render_order_page("de", ORDER))

    downloads = [a for a in page.links if a.get("text") == "Ticket herunterladen"]
    assert [a["href"] for a in downloads] == [t.url for t in ORDER.tickets]
    assert "Max Mustermann" in page.text
    assert page.text.count("Tageskarte") == 2
    assert "(2 Tickets)" in page.text
    assert page.link("Alle Tickets herunterladen (eine PDF-Datei)")["href"] == (
        ORDER.all_tickets_url
    )
    # a screen reader hears whose ticket each button downloads
    holder_ids = {downloads[0]["aria-describedby"].split()[0], downloads[1]["aria-describedby"]}
    assert len(holder_ids) == 2


def test_one_ticket_is_counted_in_the_singular() -> None:
    one = replace(ORDER, tickets=ORDER.tickets[:1])
    assert "(1 Ticket)" in Page(render_order_page("de", one)).text
    assert "(1 ticket)" in Page(render_order_page("en", one)).text


def test_the_invoice_link_is_there_only_when_there_is_an_invoice() -> None:
    priced = Page(render_order_page("de", ORDER))
    free = Page(render_order_page("de", replace(ORDER, invoice_url=None)))

    assert priced.link("Rechnung herunterladen (PDF)")["href"] == ORDER.invoice_url
    assert not any("Rechnung" in a.get("text", "") for a in free.links)
    assert "/invoice" not in render_order_page("en", replace(ORDER, invoice_url=None))


def test_holder_names_and_order_data_with_markup_are_shown_as_text() -> None:
    hostile = replace(
        ORDER,
        customer_name=ATTACK,
        event_name=ATTACK,
        venue=ATTACK,
        tickets=(
            TicketLink("6jjf7gj", ATTACK, ATTACK, f"{BASE}/t/x?a=1&b=\"'><script>"),
            ticket("k2m9x4p", "<script>alert(1)</script>"),
        ),
    )
    html = render_order_page("en", hostile)
    page = Page(html)

    assert "<script>alert" not in html
    assert "<img" not in html
    assert page.scripts == []  # the order page runs nothing, and nothing was injected
    assert not any(tag == "img" for tag, _ in page.elements)
    assert page.text.count(ATTACK) >= 4  # the visitor sees exactly what was stored
    assert "<script>alert(1)</script>" in page.text
    # an odd link stays one attribute value, exactly as the handler made it
    assert f"{BASE}/t/x?a=1&b=\"'><script>" in [a["href"] for a in page.links]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "t/relative"])
def test_only_web_links_are_rendered(url: str) -> None:
    with pytest.raises(ValueError, match="web link"):
        render_order_page("de", replace(ORDER, all_tickets_url=url))
    with pytest.raises(ValueError, match="web link"):
        render_order_page("de", replace(ORDER, tickets=(replace(ORDER.tickets[0], url=url),)))


def test_order_response_headers_keep_the_secret_url_private() -> None:
    assert ORDER_RESPONSE_HEADERS["Referrer-Policy"] == "no-referrer"
    assert ORDER_RESPONSE_HEADERS["Cache-Control"] == "no-store, private"
    assert ORDER_RESPONSE_HEADERS["X-Robots-Tag"] == "noindex"
    assert ORDER_RESPONSE_HEADERS["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    for name in ("Content-Type", "X-Content-Type-Options", "Vary"):
        assert ORDER_RESPONSE_HEADERS[name] == RESPONSE_HEADERS[name]
    assert RESPONSE_HEADERS["Cache-Control"] == "no-store"  # the redemption page's are unchanged


# --------------------------------------------------------------------------- not found


def test_the_not_found_page_is_the_same_for_any_order_and_says_nothing_about_it() -> None:
    for language in ("de", "en"):
        html = render_not_found_page(language)
        assert html == render_not_found_page(language)
        assert not re.search(r"\d{2}[A-Z]{2}-\d{6}-\d{6}", html)
    german = Page(render_not_found_page("de"))
    assert german.title == "Bestellung nicht gefunden"
    assert german.link("Link neu anfordern")["href"] == "/portal?lang=de"
    assert Page(render_not_found_page("en")).title == "Order not found"


def test_the_not_found_page_takes_nothing_from_the_request() -> None:
    # render_not_found_page cannot echo a request: it takes the language and nothing else
    with pytest.raises(TypeError):
        render_not_found_page("de", ORDER_NUMBER)  # type: ignore[call-arg]


# --------------------------------------------------------------------------- every page


def test_every_input_has_a_visible_label() -> None:
    for html in all_pages():
        page = Page(html)
        for attributes in page.inputs.values():
            assert page.labels.get(attributes["id"], "").strip(), attributes["id"]
        assert not any(tag == "label" and "hidden" in a for tag, a in page.elements)


def test_no_page_loads_anything_from_elsewhere() -> None:
    for html in all_pages():
        page = Page(html)
        # the only absolute URLs are the order's own links, which the handler made
        rest = html
        for own in (
            ORDER.all_tickets_url,
            ORDER.invoice_url or "",
            *(t.url for t in ORDER.tickets),
        ):
            rest = rest.replace(own, "")
        assert "http://" not in rest
        assert "https://" not in rest
        assert not any(tag in ("link", "img", "iframe") for tag, _ in page.elements)
        assert not any("src" in attributes for _, attributes in page.elements)
        assert "@import" not in html
        assert "url(" not in html
        assert not re.search(r"\beval\s*\(|new Function|set(Timeout|Interval)\(\s*[\"']", html)
        assert "<base" not in html


def test_every_page_is_made_for_phones_and_shows_focus() -> None:
    for html in all_pages():
        assert 'name="viewport"' in html
        assert ":focus-visible" in html
        assert '<meta name="referrer" content="no-referrer">' in html


def test_every_page_is_under_30_kb() -> None:
    many = replace(ORDER, tickets=tuple(ticket(f"{i:07d}") for i in range(20)))
    for html in [*all_pages(), render_order_page("de", many)]:
        assert len(html.encode()) < 30 * 1024


def test_every_text_is_there_in_german_and_english() -> None:
    for texts in (
        {language: messages(language, "portal") for language in ("de", "en")},
        PORTAL_SCRIPT_TEXTS,
        {language: messages(language, "order") for language in ("de", "en")},
        {language: messages(language, "not_found") for language in ("de", "en")},
    ):
        assert texts["de"]
        assert set(texts["de"]) == set(texts["en"])
        assert all(text.strip() for language in ("de", "en") for text in texts[language].values())

"""The page where a visitor redeems a voucher code (seed 000), as the server renders it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ticketing.i18n import messages
from ticketing.pages.redeem import (
    CONTENT_SECURITY_POLICY,
    pick_language,
    render_redeem_page,
)
from ticketing.pages.rendering import script_texts

PAGE_TEXTS = {language: messages(language, "redeem") for language in ("de", "en")}
SCRIPT_TEXTS = {language: script_texts(language, "redeem") for language in ("de", "en")}

CODE = "7KQ2-M9XD-4HTB-W2"


class Page(HTMLParser):
    """The elements of a rendered page that these tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.title = ""
        self.inputs: dict[str, dict[str, str]] = {}
        self.labels: dict[str, str] = {}
        self.links: dict[str, dict[str, str]] = {}
        self.scripts: list[dict[str, str]] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "input":
            self.inputs[attributes["id"]] = attributes
        elif tag == "a" and "id" in attributes:
            self.links[attributes["id"]] = attributes
        elif tag == "script":
            self.scripts.append(attributes)
        if tag in ("title", "label"):
            self._open.append((tag, attributes.get("for")))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._open:
            return
        tag, target = self._open[-1]
        if tag == "title":
            self.title += data
        elif target is not None:
            self.labels[target] = self.labels.get(target, "") + data


def test_the_page_is_german_by_default() -> None:
    page = Page(render_redeem_page(pick_language(None, None), None))

    assert page.html_lang == "de"
    assert page.title == "Gutschein einlösen"
    assert page.labels == {
        "code": "Gutschein-Nummer",
        "first_name": "Vorname",
        "last_name": "Nachname",
        "email": "E-Mail-Adresse",
        "company": "Firma (optional)",
        # issue 16: off by default, recorded with the registration
        "contact_consent": "Der Aussteller, der mich eingeladen hat, darf mir zu dieser Messe "
        "wieder schreiben (freiwillig).",
    }


def test_the_page_says_that_redeeming_needs_online_registration_and_the_ticket_is_personal() -> (
    None
):
    html = render_redeem_page("de", None)

    assert "Online-Registrierung" in html
    assert "persönlich und nicht übertragbar" in html
    assert "Jetzt registrieren" in html


def test_a_browser_that_prefers_english_gets_the_page_in_english() -> None:
    language = pick_language("en-US,en;q=0.9", None)
    page = Page(render_redeem_page(language, None))

    assert language == "en"
    assert page.html_lang == "en"
    assert page.labels["code"] == "Voucher code"
    assert page.labels["company"] == "Company (optional)"


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7", "en"),
        ("de;q=0.5, en;q=0.6", "en"),
        ("en;q=0, de;q=0.1", "de"),
        ("EN-gb", "en"),
        ("fr, it", "de"),
        ("*", "de"),
        ("en;q=high", "de"),
        ("", "de"),
    ],
)
def test_the_best_language_the_browser_accepts_wins(accept_language: str, expected: str) -> None:
    assert pick_language(accept_language, None) == expected


def test_the_lang_query_parameter_overrides_the_browser() -> None:
    assert pick_language("en-US,en;q=0.9", "de") == "de"
    assert pick_language("de-DE", "EN") == "en"


def test_an_unknown_lang_query_parameter_falls_back_to_the_browser() -> None:
    assert pick_language("en-US", "fr") == "en"
    assert pick_language(None, "") == "de"


def test_the_code_from_a_personal_link_is_prefilled() -> None:
    page = Page(render_redeem_page("de", CODE))

    code = page.inputs["code"]
    assert code["value"] == CODE
    assert code["autocomplete"] == "off"
    assert code["autocapitalize"] == "characters"
    assert "inputmode" in code


def test_a_code_with_markup_is_shown_as_text_and_never_runs() -> None:
    attack = '"><script>alert(1)</script><input value="'
    html = render_redeem_page("en", attack)
    page = Page(html)

    assert page.inputs["code"]["value"] == attack  # the visitor sees exactly what was in the link
    assert "<script>alert(1)" not in html
    assert len(page.scripts) == 2  # the page's texts and its own script, nothing injected
    assert set(page.inputs) == {
        *("code", "first_name", "last_name", "email", "company"),
        "contact_consent",  # issue 16
    }
    assert "checked" not in page.inputs["contact_consent"]


def test_the_language_switch_keeps_the_code() -> None:
    german = Page(render_redeem_page("de", "7kq2 m9xd&x=1"))
    english = Page(render_redeem_page("en", None))

    assert german.links["language-switch"]["href"] == "?lang=en&code=7kq2+m9xd%26x%3D1"
    assert english.links["language-switch"]["href"] == "?lang=de"


def test_every_input_has_a_visible_label() -> None:
    for language in ("de", "en"):
        page = Page(render_redeem_page(language, None))
        labelled = [
            attributes
            for attributes in page.inputs.values()
            if attributes.get("type") not in ("hidden", "submit")
        ]
        assert labelled
        for attributes in labelled:
            assert page.labels.get(attributes["id"], "").strip(), attributes["id"]
        assert not any(tag == "label" and "hidden" in a for tag, a in page.elements)


def test_name_and_email_fields_tell_the_browser_what_to_fill_in() -> None:
    inputs = Page(render_redeem_page("de", None)).inputs

    assert inputs["first_name"]["autocomplete"] == "given-name"
    assert inputs["last_name"]["autocomplete"] == "family-name"
    assert inputs["email"]["autocomplete"] == "email"
    assert inputs["email"]["type"] == "email"
    assert inputs["company"]["autocomplete"] == "organization"
    assert "required" not in inputs["company"]


def test_the_page_loads_nothing_from_elsewhere() -> None:
    html = render_redeem_page("de", CODE)
    page = Page(html)

    assert "http://" not in html
    assert "https://" not in html
    assert not any(tag == "link" for tag, _ in page.elements)
    assert not any("src" in attributes for _, attributes in page.elements)
    assert "@import" not in html
    assert "url(" not in html


def test_the_page_needs_nothing_its_content_security_policy_forbids() -> None:
    html = render_redeem_page("en", CODE)

    # script-src by hash, without 'unsafe-eval': no eval, no code from strings
    assert not re.search(r"\beval\s*\(|new Function|set(Timeout|Interval)\(\s*[\"']", html)
    assert "<base" not in html
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY


def test_the_page_has_a_live_region_for_the_outcome_and_works_without_javascript() -> None:
    # issue 17 changed this: without a script the form posts to POST /redeem (no noscript note)
    html = render_redeem_page("en", None)

    assert re.search(r'<div id="outcome"[^>]*aria-live="polite"', html)
    assert re.search(r'<form id="redeem-form" method="post" action="\?lang=en"', html)
    assert not re.search(r'<button id="submit"[^>]*disabled', html)
    assert 'name="viewport"' in html


def test_the_page_is_under_30_kb() -> None:
    for language in ("de", "en"):
        assert len(render_redeem_page(language, CODE).encode()) < 30 * 1024


def test_a_very_long_code_is_cut_short() -> None:
    page = Page(render_redeem_page("de", "A" * 100_000))

    assert page.inputs["code"]["value"] == "A" * 64


def test_every_text_is_there_in_german_and_english() -> None:
    for texts in (PAGE_TEXTS, SCRIPT_TEXTS):
        assert set(texts["de"]) == set(texts["en"])
        assert all(text.strip() for language in ("de", "en") for text in texts[language].values())

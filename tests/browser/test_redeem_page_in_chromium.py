"""A visitor redeems a voucher code on the page, in headless Chromium (seed 000)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Page, expect

from ticketing.pages.policy import page_headers, page_policy
from ticketing.pages.redeem import CONTENT_SECURITY_POLICY, RESPONSE_HEADERS

from .conftest import Site

pytestmark = pytest.mark.slow

CODE = "7KQ2-M9XD-4HTB-W2"
ORDER_NUMBER = "12BE-090125-655140"


def problem(status: int, detail: str, **extra: object) -> dict[str, object]:
    return {"type": "about:blank", "title": "Problem", "status": status, "detail": detail, **extra}


def fill_in(page: Page, code: str | None = CODE, email: str = "m.mustermann@example.org") -> None:
    """Fill the German form by its labels, as a visitor would."""
    if code is not None:
        page.get_by_label("Gutschein-Nummer", exact=True).fill(code)
    page.get_by_label("Vorname", exact=True).fill("Madeleine")
    page.get_by_label("Nachname", exact=True).fill("Mustermann")
    page.get_by_label("E-Mail-Adresse", exact=True).fill(email)


def submit(page: Page) -> None:
    page.get_by_role("button", name="Jetzt registrieren").click()


def test_a_visitor_redeems_a_code_on_a_phone_sized_screen(
    page: Page, site: Site, artifacts: Path
) -> None:
    link = f"{site.base_url}/o/{ORDER_NUMBER}/s3cr3t"
    site.reply = {"status": 201, "body": {"order_number": ORDER_NUMBER, "self_service_url": link}}
    page.goto(site.url())
    page.screenshot(path=str(artifacts / "redeem.png"), full_page=True)

    # Readable at 360 px: nothing wider than the screen, touch targets a finger can hit.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    button = page.get_by_role("button", name="Jetzt registrieren")
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["width"] >= 0.8 * 360
    # the code field is in sight without scrolling
    code_box = page.get_by_label("Gutschein-Nummer", exact=True).bounding_box()
    assert code_box is not None
    assert code_box["y"] + code_box["height"] <= 740

    fill_in(page, code="7kq2-m9xd 4htb-w2")
    page.get_by_label("Firma (optional)", exact=True).fill("Musterfirma")
    submit(page)

    outcome = page.get_by_role("status")
    expect(outcome).to_contain_text(ORDER_NUMBER)
    expect(outcome).to_contain_text("m.mustermann@example.org")
    expect(outcome.get_by_role("link", name="Ticket und Bestellung ansehen")).to_have_attribute(
        "href", link
    )
    expect(page.get_by_role("heading", name="Geschafft")).to_be_focused()
    expect(page.locator("form")).to_be_hidden()  # the code is used: nothing to send twice

    [request] = site.received()
    assert request.path == "/vouchers/7KQ2M9XD4HTBW2/registration"
    assert request.body == {
        "first_name": "Madeleine",
        "last_name": "Mustermann",
        "email": "m.mustermann@example.org",
        "company": "Musterfirma",
    }
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept-language"] == "de"
    assert request.headers["idempotency-key"]


def test_a_code_from_the_personal_link_is_prefilled(page: Page, site: Site) -> None:
    site.reply = {"status": 201, "body": {"order_number": ORDER_NUMBER, "self_service_url": "/o"}}
    page.goto(site.url(f"?code={CODE}"))

    expect(page.get_by_label("Gutschein-Nummer", exact=True)).to_have_value(CODE)
    fill_in(page, code=None)
    submit(page)

    expect(page.get_by_role("status")).to_contain_text(ORDER_NUMBER)
    assert [r.path for r in site.received()] == ["/vouchers/7KQ2M9XD4HTBW2/registration"]


def test_a_used_code_shows_the_servers_reason(page: Page, site: Site) -> None:
    reason = "This voucher code has already been used."
    site.reply = {"status": 409, "body": problem(409, reason)}
    page.goto(site.url())
    fill_in(page)
    submit(page)

    expect(page.get_by_role("status")).to_have_text(reason)
    expect(page.get_by_role("button", name="Jetzt registrieren")).to_be_enabled()
    expect(page.get_by_label("Vorname", exact=True)).to_have_value("Madeleine")  # nothing lost


def test_field_errors_appear_next_to_their_fields(page: Page, site: Site) -> None:
    message = "value is not a valid email address: the domain name does not exist"
    site.reply = {
        "status": 422,
        "body": problem(422, "check the fields", errors=[{"field": "email", "message": message}]),
    }
    page.goto(site.url())
    fill_in(page, email="m.mustermann@example.invalid")
    submit(page)

    email = page.get_by_label("E-Mail-Adresse", exact=True)
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#email-error")).to_have_text(message)
    expect(email).to_be_focused()
    expect(page.get_by_label("Vorname", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("status")).to_contain_text("Bitte prüfen Sie die markierten Felder.")

    email.fill("madeleine@example.org")  # correcting the field takes its error back
    expect(email).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_be_hidden()


def test_missing_fields_are_named_before_anything_is_sent(page: Page, site: Site) -> None:
    page.goto(site.url())
    page.get_by_label("Vorname", exact=True).fill("Madeleine")
    submit(page)

    for label in ("Gutschein-Nummer", "Nachname", "E-Mail-Adresse"):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile("Bitte füllen Sie dieses Feld aus"))
    expect(page.get_by_label("Gutschein-Nummer", exact=True)).to_be_focused()
    assert site.received() == []  # a failed attempt would count against the visitor


def test_too_many_attempts_asks_to_wait(page: Page, site: Site) -> None:
    site.reply = {
        "status": 429,
        "headers": {"Retry-After": "90"},
        "body": problem(429, "Too many failed attempts."),
    }
    page.goto(site.url())
    fill_in(page)
    submit(page)

    expect(page.get_by_role("status")).to_contain_text("Zu viele Versuche")
    expect(page.get_by_role("status")).to_contain_text("90 Sekunden")
    expect(page.get_by_role("button", name="Jetzt registrieren")).to_be_disabled()


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (404, "Diese Gutschein-Nummer kennen wir nicht. Bitte prüfen Sie sie auf Tippfehler."),
        (410, "Dieser Gutschein ist abgelaufen"),
        (413, "Ihre Angaben sind zu lang"),
        (503, "Das hat leider nicht geklappt"),
    ],
)
def test_each_refusal_is_explained_in_the_visitors_language(
    page: Page, site: Site, status: int, says: str
) -> None:
    site.reply = {"status": status, "body": problem(status, "an English detail")}
    page.goto(site.url())
    fill_in(page)
    submit(page)

    expect(page.get_by_role("status")).to_contain_text(says)
    expect(page.get_by_role("status")).not_to_contain_text("an English detail")


def test_an_unknown_code_marks_the_code_field(page: Page, site: Site) -> None:
    site.reply = {"status": 404, "body": problem(404, "We do not know this code.")}
    page.goto(site.url("?lang=en"))
    page.get_by_label("Voucher code", exact=True).fill("7KQ2-M9XD-4HTB-WQ")
    page.get_by_label("First name", exact=True).fill("Madeleine")
    page.get_by_label("Last name", exact=True).fill("Mustermann")
    page.get_by_label("E-mail address", exact=True).fill("m@example.org")
    page.get_by_role("button", name="Register now").click()

    code = page.get_by_label("Voucher code", exact=True)
    expect(page.get_by_role("status")).to_have_text(
        "We do not know this code. Please check it for typos."
    )
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_have_accessible_description(re.compile("check it for typos"))


def test_a_retry_after_a_server_fault_is_not_a_second_registration(page: Page, site: Site) -> None:
    site.reply = {"status": 503, "body": problem(503, "try again")}
    page.goto(site.url())
    fill_in(page)
    submit(page)
    expect(page.get_by_role("status")).to_contain_text("Das hat leider nicht geklappt")

    site.reply = {"status": 201, "body": {"order_number": ORDER_NUMBER, "self_service_url": "/o"}}
    submit(page)
    expect(page.get_by_role("status")).to_contain_text(ORDER_NUMBER)

    first, second = site.received()
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]


def test_the_page_works_under_its_content_security_policy(
    page: Page, site: Site, console_errors: list[str]
) -> None:
    site.page_headers = page_headers("redeem", RESPONSE_HEADERS)
    site.reply = {"status": 201, "body": {"order_number": ORDER_NUMBER, "self_service_url": "/o"}}
    response = page.goto(site.url(f"?code={CODE}"))

    assert response is not None
    policy = response.headers["content-security-policy"]
    assert policy == page_policy("redeem", CONTENT_SECURITY_POLICY)
    assert "unsafe-inline" not in policy  # style and script allowed by their hashes
    fill_in(page, code=None)
    submit(page)
    expect(page.get_by_role("status")).to_contain_text(ORDER_NUMBER)
    assert console_errors == []

    # The policy is in force: the page could not reach another origin if it tried.
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        outcome = page.evaluate(
            "fetch('http://127.0.0.2:9/').then(() => 'reached', () => 'refused')"
        )
    assert outcome == "refused"


def test_language_switch_keeps_the_code(page: Page, site: Site) -> None:
    page.goto(site.url(f"?code={CODE}"))
    expect(page.locator("html")).to_have_attribute("lang", "de")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Voucher code", exact=True)).to_have_value(CODE)

    # a code typed by hand goes along too
    page.get_by_label("Voucher code", exact=True).fill("ab12 cd34")
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_label("Gutschein-Nummer", exact=True)).to_have_value("ab12 cd34")


def the_apis_answer_to_a_used_code(accept_language: str) -> dict[str, object]:
    """What the API's resolver answers to a used code for a request in ``accept_language``."""
    import json

    from tests.conftest import LambdaContext, load_event
    from ticketing.api.resolver import lambda_handler, make_resolver
    from ticketing.domain.errors import Conflict
    from ticketing.services.visitor_vouchers.registration import USED

    app = make_resolver()

    @app.get("/events")
    def used() -> None:
        raise Conflict(USED, message_id="problem.voucher.used")

    event = load_event("events/list_events.json")
    event["headers"]["Accept-Language"] = accept_language
    event["multiValueHeaders"] = {}
    response = lambda_handler(app)(event, LambdaContext())
    return {"status": response["statusCode"], "body": json.loads(response["body"])}


@pytest.mark.parametrize(
    ("query", "sent", "text"),
    [
        ("", "de", "Dieser Gutscheincode wurde bereits eingelöst."),
        ("?lang=zh", "zh-Hans", "此兑换码已被使用。"),
    ],
)
def test_a_used_code_is_said_in_the_pages_language(
    page: Page, site: Site, query: str, sent: str, text: str
) -> None:
    site.reply = the_apis_answer_to_a_used_code(sent)
    page.goto(site.url(query))
    # by the fields' ids: the labels are in the page's language
    page.locator("#code").fill(CODE)
    page.locator("#first_name").fill("Madeleine")
    page.locator("#last_name").fill("Mustermann")
    page.locator("#email").fill("m.mustermann@example.org")
    page.locator("#submit").click()

    expect(page.get_by_role("status")).to_have_text(text)
    [request] = site.received()
    assert request.headers["accept-language"] == sent
    assert "already been used" not in page.content()

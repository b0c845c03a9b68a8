"""A visitor answers an event's question on /redeem in headless Chromium through the local
stack (seed 002): with the page's script, and with scripts switched off (the form posts to
POST /redeem), the refused answer is shown at its field and the right one redeems the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Browser, Page, expect

from tests.e2e.stack import LocalStack
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch

pytestmark = pytest.mark.slow

QUESTION = {
    "id": "branche",
    "label": {"de": "Branche", "en": "Industry"},
    "type": "choice",
    "required": True,
    "scope": "order",
    "options": [
        {"id": "forst", "label": {"de": "Forstwirtschaft", "en": "Forestry"}},
        {"id": "holz", "label": {"de": "Holzbau", "en": "Timber"}},
    ],
}


def codes_with_a_question(stack: LocalStack) -> list[str]:
    client = stack.client.from_address("127.0.0.71")
    event = future_event(stack)
    reply = client.call(
        "PUT", f"/events/{event['event_id']}/questions", stack.organizer_key, [QUESTION]
    )
    assert reply.status == 200, reply.body
    exhibitor = exhibitor_of(stack, event["event_id"], "Browserfragen")
    return codes_of(ready_batch(client, exhibitor["api_key"], event["event_id"], 2))


def register(page: Page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("Vorname", exact=True).fill("Zofia")
    page.get_by_label("Nachname", exact=True).fill("Wiśniewska")
    page.get_by_label("E-Mail-Adresse", exact=True).fill(email)
    page.get_by_role("button", name="Jetzt registrieren").click()
    expect(page.locator("#q-branche-error")).to_have_text("Bitte beantworten Sie „Branche“.")
    expect(page.locator("#q-branche")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Holzbau").check()
    page.get_by_role("button", name="Jetzt registrieren").click()
    expect(page.locator(".order-number")).to_have_text(re.compile(r"^\d{2}BE-\d{6}-\d{6}$"))


def test_a_visitor_answers_the_question_with_and_without_the_script(
    local_stack: LocalStack,
    page: Page,
    chromium: Browser,
    console_errors: list[str],
    artifacts: Path,
) -> None:
    first, second = codes_with_a_question(local_stack)
    base = local_stack.client.base_url

    register(page, f"{base}/redeem?code={first}&lang=de", "zofia@example.org")
    page.screenshot(path=str(artifacts / "redeem-question.png"), full_page=True)
    # Chromium logs the refused answer's 422 as a failed resource; nothing else may show
    assert [e for e in console_errors if not e.startswith("Failed to load resource")] == []

    context = chromium.new_context(java_script_enabled=False, locale="de-DE")
    try:
        register(context.new_page(), f"{base}/redeem?code={second}&lang=de", "z2@example.org")
    finally:
        context.close()

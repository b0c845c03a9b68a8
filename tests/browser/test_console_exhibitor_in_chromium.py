"""The exhibitor's console in headless Chromium through the local stack (issue 13 item 2): the
contact signs in on a phone, orders 1,000 vouchers, watches the bar reach 100 % by the page's
script (the page is never reloaded), downloads the Excel file; then the pages on a desktop
screen in English. No console error, no CSP violation."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Browser, Page, expect

from tests.browser.test_console_in_chromium import (
    PHONE_WIDTH,
    sign_in_in_the_browser,
    sign_in_in_the_browser_en,
)
from tests.e2e.stack import LocalStack
from tests.e2e.test_vouchers import future_event

pytestmark = pytest.mark.slow


def new_contact(stack: LocalStack, event: dict[str, Any], name: str) -> str:
    email = f"stand-{secrets.token_hex(4)}@messe.example"
    reply = stack.client.call(
        "POST",
        "/exhibitors",
        stack.organizer_key,
        {"name": name, "email": email, "event_id": event["event_id"]},
    )
    assert reply.status == 201, reply.body
    return email


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_the_contact_orders_watches_the_bar_and_downloads_on_a_phone(
    local_stack: LocalStack, page: Page, artifacts: Path, console_errors: list[str]
) -> None:
    event = future_event(local_stack)
    email = new_contact(local_stack, event, "Forsttechnik Berg")
    sign_in_in_the_browser(page, local_stack, email)
    expect(page.get_by_role("heading", level=2, name=event["name"])).to_be_visible()
    fits(page)

    navigation = page.get_by_role("navigation", name="Bereiche")
    navigation.get_by_role("link", name="Gutscheine bestellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gutscheine bestellen")
    page.get_by_label("Anzahl").fill("1000")
    page.get_by_label("Bezeichnung").fill("Messe-Mailing")
    fits(page)
    page.screenshot(path=str(artifacts / "console-exhibitor-order-de.png"), full_page=True)
    page.get_by_role("button", name="Gutscheine bestellen").click()

    expect(page.get_by_role("status").first).to_contain_text("1.000 Gutscheine bestellt")
    bar = page.get_by_role("progressbar", name="Fortschritt")
    expect(bar).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")  # a reload would forget it
    expect(bar).to_have_attribute("value", "100", timeout=60_000)
    assert page.evaluate("window.stillTheSamePage") is True  # the script moved the bar
    expect(page.locator("[data-progress-text]")).to_contain_text("100 % – fertig")
    expect(page.get_by_role("link", name="Aktualisieren")).to_be_hidden()  # nothing to wait for
    fits(page)
    page.screenshot(path=str(artifacts / "console-exhibitor-ready-de.png"), full_page=True)

    link = page.get_by_role("link", name="Excel-Datei herunterladen")
    expect(link).to_be_visible()
    with page.expect_download() as downloading:
        link.click()
    assert downloading.value.suggested_filename.endswith(".xlsx")
    data = Path(downloading.value.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(codes) == len(set(codes)) == 1000

    navigation.get_by_role("link", name="Downloadübersicht").click()
    expect(page.get_by_role("cell", name="1.000")).to_be_visible()
    expect(page.get_by_role("link", name="Excel-Datei herunterladen")).to_be_visible()
    fits(page)
    assert console_errors == []  # no CSP violation, the script's requests all answered


def test_the_exhibitor_pages_on_a_desktop_screen_in_english(
    local_stack: LocalStack, chromium: Browser, artifacts: Path
) -> None:
    event = future_event(local_stack)
    email = new_contact(local_stack, event, "Saws & Co")
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(e.message))
        sign_in_in_the_browser_en(page, local_stack, email)
        page.get_by_role("link", name="Order vouchers").first.click()
        page.get_by_label("Quantity").fill("25")
        page.get_by_role("button", name="Order vouchers").click()
        bar = page.get_by_role("progressbar", name="Progress")
        expect(bar).to_have_attribute("value", "100", timeout=60_000)
        page.get_by_role("link", name="Statement").click()
        expect(page.get_by_text("You pay only for vouchers used at the fair")).to_be_visible()
        page.screenshot(path=str(artifacts / "console-exhibitor-statement-en.png"), full_page=True)
        page.get_by_role("link", name="Who redeemed").click()
        expect(page.get_by_label("Name or company")).to_be_visible()
        page.screenshot(path=str(artifacts / "console-exhibitor-redemptions-en.png"))
        assert errors == []
    finally:
        context.close()

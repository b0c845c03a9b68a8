"""The console's frame in headless Chromium through the local stack (issue 13): the demo
organizer's admin asks for a link, opens it from /_local/outbox in the same browser, and sees
the frame on a phone in German and, switched, in Chinese; then on a desktop screen."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Browser, Page, expect

from tests.e2e.console import outbox_size, sign_in_link
from tests.e2e.stack import LocalStack

pytestmark = pytest.mark.slow

PHONE_WIDTH = 360


def sign_in_in_the_browser(page: Page, stack: LocalStack, email: str) -> None:
    base = stack.client.base_url
    response = page.goto(f"{base}/console")
    assert response is not None
    assert page.url == f"{base}/console/sign-in"  # sent to the form
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy  # the console's own files only
    assert "unsafe" not in policy
    before = outbox_size(stack)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("button", name="Anmeldelink senden").click()
    expect(page.get_by_role("status")).to_contain_text("Bitte sehen Sie in Ihr Postfach")
    page.goto(f"{base}{sign_in_link(stack, email, before)}")
    assert page.url == f"{base}/console"


def test_the_admin_signs_in_and_sees_the_frame_in_german_and_chinese(
    local_stack: LocalStack, page: Page, artifacts: Path, console_errors: list[str]
) -> None:
    sign_in_in_the_browser(page, local_stack, local_stack.organizer_email)

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht")
    navigation = page.get_by_role("navigation", name="Bereiche")
    expect(navigation.get_by_role("link", name="Team")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    page.screenshot(path=str(artifacts / "console-home-de.png"), full_page=True)

    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("概览")
    # the choice stays while the user moves on
    page.get_by_role("navigation", name="栏目").get_by_role("link", name="员工").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("员工")
    expect(page.get_by_role("cell", name=local_stack.organizer_email)).to_be_visible()
    expect(page.get_by_label("电子邮箱地址")).to_be_visible()  # the invitation form, labelled
    page.screenshot(path=str(artifacts / "console-staff-zh.png"), full_page=True)

    # focus is visible: the first link takes the keyboard's focus with an outline
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    page.get_by_role("button", name="退出登录").click()
    assert page.url.endswith("/console/sign-in")
    page.goto(f"{local_stack.client.base_url}/console")
    assert page.url.endswith("/console/sign-in")  # signed out for good
    assert console_errors == []  # no CSP violation, nothing failed to load


def test_the_frame_on_a_desktop_screen(
    local_stack: LocalStack, chromium: Browser, artifacts: Path
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    try:
        page = context.new_page()
        sign_in_in_the_browser_en(page, local_stack, local_stack.reviewer_email)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("link", name="Organizers").click()
        expect(page.get_by_role("cell", name="Demo Messe GmbH")).to_be_visible()
        page.screenshot(path=str(artifacts / "console-organizers-en.png"), full_page=True)
    finally:
        context.close()


def sign_in_in_the_browser_en(page: Page, stack: LocalStack, email: str) -> None:
    base = stack.client.base_url
    page.goto(f"{base}/console")
    before = outbox_size(stack)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send sign-in link").click()
    expect(page.get_by_role("status")).to_contain_text("Please check your mail")
    page.goto(f"{base}{sign_in_link(stack, email, before)}")
    assert page.url == f"{base}/console"

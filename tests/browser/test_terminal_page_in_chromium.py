"""The cashier's page in headless Chromium, through the whole platform (``ticketing-local``):
a cashier of a cinema in Nanjing enters the terminal's key once, types a member's code, sees
its value, confirms and sees the confirmation; the KTV's cashier is told in words where it
was used (seed 004)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Browser, Page, expect

from tests.e2e.gift_world import gift_world
from tests.e2e.stack import LocalStack

from .conftest import PHONE

pytestmark = pytest.mark.slow


def _chinese_phone(chromium: Browser) -> Page:
    context = chromium.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="zh-CN"
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def test_a_cashier_checks_and_redeems_a_code_and_the_next_till_is_refused_in_words(
    chromium: Browser, local_stack: LocalStack, artifacts: Path
) -> None:
    world = gift_world(local_stack.client, local_stack.organizer_key)
    code = world.issue("B")["code"]
    page = _chinese_phone(chromium)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{local_stack.client.base_url}/terminal")
        expect(page.get_by_role("heading", level=1)).to_contain_text("收银台")
        # the key is asked once and kept in this tab's session storage
        page.get_by_label("终端密钥").fill(world.cinema_terminal["api_key"])
        page.get_by_role("button", name="保存密钥").click()
        expect(page.get_by_text("终端密钥已保存在此标签页中。")).to_be_visible()
        stored = page.evaluate("sessionStorage.getItem('terminal-key')")
        assert stored == world.cinema_terminal["api_key"]

        page.get_by_label("券码").fill(code.lower())
        page.get_by_role("button", name="验证").click()
        expect(page.locator("#outcome")).to_contain_text("50.00 CNY")
        expect(page.locator("#outcome")).to_contain_text("此券有效，可以核销。")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(artifacts / "terminal-valid.png"), full_page=True)
        page.get_by_role("button", name="确认核销").click()
        expect(page.locator("#outcome")).to_contain_text("已核销")
        expect(page.locator("#outcome")).to_contain_text("南京新街口国际影城")
        page.screenshot(path=str(artifacts / "terminal-redeemed.png"), full_page=True)

        # the KTV's till, in the same browser tab after the key was forgotten
        page.get_by_role("button", name="忘记密钥").click()
        page.get_by_label("终端密钥").fill(world.ktv_terminal["api_key"])
        page.get_by_role("button", name="保存密钥").click()
        page.get_by_label("券码").fill(code)
        page.get_by_role("button", name="验证").click()
        expect(page.locator("#outcome")).to_contain_text("南京新街口国际影城")
        expect(page.get_by_role("button", name="确认核销")).to_have_count(0)

        page.get_by_label("券码").fill("7KQ2-M9XD-4HTB-W3")
        page.get_by_role("button", name="验证").click()
        expect(page.locator("#outcome")).to_contain_text("没有这个券码")
        assert not [e for e in errors if "404" not in e], errors
    finally:
        page.context.close()


def test_the_page_speaks_english_and_keeps_its_strict_policy(local_stack: LocalStack) -> None:
    reply = local_stack.client.call("GET", "/terminal?lang=en")
    assert reply.status == 200
    policy = reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy  # its style and script are allowed by their hashes
    assert "script-src 'sha256-" in policy
    assert "Till: check and redeem gift vouchers" in reply.body.decode()

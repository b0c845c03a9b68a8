"""The hotline in the console in headless Chromium through the local stack (issue 14, item 8):
the demo organizer's agent finds a member's gift voucher by phone, reads its ledger, records
the member's complaint, and answers it on the complaints page; then reads the hotline in
Chinese."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Page, expect

from tests.browser.test_console_in_chromium import sign_in_in_the_browser
from tests.e2e.gift_world import gift_world
from tests.e2e.stack import LocalStack

pytestmark = pytest.mark.slow


def test_an_agent_finds_a_voucher_by_phone_and_records_and_answers_a_complaint(
    local_stack: LocalStack, page: Page, artifacts: Path, console_errors: list[str]
) -> None:
    world = gift_world(local_stack.client, local_stack.organizer_key)
    phone = f"+86 136 {uuid.uuid4().int % 10**8:08d}"
    code = world.issue("B", phone=phone)["code"]
    campaign = world.campaign["campaign_id"]

    sign_in_in_the_browser(page, local_stack, local_stack.organizer_email)
    page.get_by_role("navigation", name="Bereiche").get_by_role("link", name="Hotline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hotline: Gutschein nachschlagen")
    page.get_by_label("Kampagne").select_option(campaign)
    page.get_by_label("Telefon").fill(re.sub(r"\D", "", phone)[2:])  # without +86
    page.get_by_role("button", name="Suchen").click()

    voucher = page.locator("section.voucher")
    expect(voucher).to_have_count(1)
    expect(voucher.get_by_text("王小明")).to_be_visible()
    expect(voucher.get_by_role("cell", name="ausgegeben")).to_be_visible()
    assert re.sub("[^A-Z0-9]", "", code) in re.sub("[^A-Z0-9]", "", voucher.inner_text())
    page.screenshot(path=str(artifacts / "console-hotline-de.png"), full_page=True)

    voucher.get_by_label("Was das Mitglied sagt").fill("会员说短信里的券码无法使用")
    voucher.get_by_role("button", name="Beschwerde speichern").click()
    expect(page.get_by_role("status")).to_contain_text("ist erfasst")
    expect(page.locator("section.voucher").get_by_role("cell", name="Beschwerde")).to_be_visible()

    page.get_by_role("navigation", name="Bereiche").get_by_role("link", name="Beschwerden").click()
    mine = page.locator("section.card").filter(has_text="会员说短信里的券码无法使用")
    expect(mine).to_have_count(1)
    mine.get_by_label("Antwort", exact=True).fill("券码已核对，可正常使用")
    mine.get_by_label("unberechtigt").check()
    mine.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_role("status")).to_contain_text("ist beantwortet")
    expect(
        page.locator("section.card").filter(has_text="会员说短信里的券码无法使用")
    ).to_have_count(0)

    page.goto(
        f"{local_stack.client.base_url}/console/gift/hotline?campaign={campaign}&code={code}&lang=zh"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("热线：查询礼品券")
    expect(page.locator("section.voucher").get_by_role("cell", name="投诉").first).to_be_visible()
    page.screenshot(path=str(artifacts / "console-hotline-zh.png"), full_page=True)
    assert console_errors == []

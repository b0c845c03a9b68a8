"""A member opens the e-gift voucher page from the SMS on a phone, in headless Chromium
(seed 004): the QR code the till scans is read from a screenshot, the Chinese text shows, and
the page breaks none of its Content-Security-Policy."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Page, expect

from tests.e2e.stack import LocalStack
from tests.e2e.test_gift_vouchers import CAMPAIGN, an_issuer, merchant

from .conftest import PHONE

pytestmark = pytest.mark.slow


def test_the_member_shows_the_qr_code_on_a_phone(
    local_stack: LocalStack, page: Page, console_errors: list[str], artifacts: Path
) -> None:
    import zxingcpp
    from PIL import Image

    client = local_stack.client
    cinema = merchant(local_stack, "南京新街口国际影城", "南京", "cinema", "0.45")
    issuer = an_issuer(local_stack)
    campaign_id = client.call("POST", "/campaigns", issuer, CAMPAIGN).json()["campaign_id"]
    body = {
        "tier": "A",
        "recipient": {"phone": "13700001111", "name": "张伟", "city": "南京"},
        "external_ref": "pts-browser-1",
    }
    voucher = client.call("POST", f"/campaigns/{campaign_id}/vouchers", issuer, body).json()
    path = "/" + voucher["voucher_url"].split("://", 1)[1].split("/", 1)[1]

    page.set_viewport_size(PHONE)
    response = page.goto(f"{client.base_url}{path}")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy  # its style is allowed by its hash, no script at all
    assert "style-src 'sha256-" in policy
    assert "script-src" not in policy
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#state")).to_have_text("可以使用")
    expect(page.locator("#merchants")).to_contain_text(cinema["name"])
    expect(page.locator("#value")).to_contain_text("100.00")
    shot = page.locator(".qr").screenshot(path=str(artifacts / "gift-qr.png"))
    page.screenshot(path=str(artifacts / "gift.png"), full_page=True)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert [d.text for d in decoded] == [voucher["code"]]
    # it fits a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert console_errors == []

"""Gift vouchers in the console on fakes (issue 14, item 8): merchants and terminals, a
settlement with its Excel file, campaigns with statistics, the hotline and complaints."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import openpyxl
import pytest

from tests.fakes.clock import FixedClock
from tests.fakes.people import fake_console_stores
from tests.unit import worlds
from tests.unit.test_console_pages import request, set_cookies, signed_in
from ticketing.domain.gift_vouchers import (
    GiftVoucher,
    Recipient,
    display,
)
from ticketing.domain.identity import Principal, Role
from ticketing.domain.parties import Organizer
from ticketing.services import gift_terminal, staff

NOW = datetime(2026, 10, 10, 4, 0, tzinfo=UTC)
ORG = "org_1"


environment = worlds.environment


@pytest.fixture
def stores() -> Any:
    """The console on the music club's campaign (tests.unit.worlds), its organizer named."""
    stores = fake_console_stores(FixedClock(NOW))
    stores.gift.campaigns.add_campaign(worlds.music_campaign(NOW, ORG))
    stores.access.db.parties[ORG] = Organizer(
        organizer_id=ORG, name="音乐俱乐部", email="club@example.org", created_at=NOW
    )
    return stores


def issue(stores: Any, phone: str = "+8613800138000") -> GiftVoucher:
    recipient = Recipient(phone=phone, name="王小明", city="南京")
    voucher = worlds.a_gift_voucher(NOW, ORG, recipient=recipient)
    worlds.issue_gift(stores.gift.gifts.db, stores.gift.gifts, voucher)
    return voucher


def csrf_of(page: dict[str, Any]) -> str:
    return worlds.csrf_of(page["body"])


def post(stores: Any, cookies: dict[str, str], path: str, form: dict[str, str], of: str) -> Any:
    page = request(stores, "GET", of, cookies=cookies, query={"lang": "zh"})
    body = urlencode({**form, "csrf": csrf_of(page)})
    return request(stores, "POST", path, body, cookies=cookies)


def test_staff_create_a_merchant_and_a_terminal_and_settle_it(stores: Any) -> None:
    admin = staff.add_first_admin(stores.people, stores.clock, ORG, "li@example.org", "李雷")
    cookies = signed_in(stores, admin)
    merchants = "/console/gift/merchants"
    bad = post(stores, cookies, merchants, {"name": "南京影院", "settlement_rate": "2"}, merchants)
    assert bad["statusCode"] == 422
    assert 'aria-invalid="true"' in bad["body"]
    form = {
        "name": "南京影院",
        "city": "南京",
        "category": "cinema",
        "grade": "high",
        "address": "南京市玄武区中山路 1 号",
        "settlement_rate": "0.45",
    }
    created = post(stores, cookies, merchants, form, merchants)
    assert created["statusCode"] == 303
    path = created["headers"]["Location"]
    page = request(
        stores, "GET", path, cookies={**cookies, **set_cookies(created)}, query={"lang": "zh"}
    )
    assert "商户 南京影院 已创建。" in page["body"]
    made = post(stores, cookies, path + "/terminals", {"label": "一号收银台"}, path)
    assert made["statusCode"] == 201
    key = re.search(r'<code class="secret">(tk_[^<]+)</code>', made["body"])
    assert key is not None
    merchant_id = path.rsplit("/", 1)[1]
    terminal = stores.access.list_terminals(merchant_id)[0]

    # a redemption at its terminal, then the settlement and its Excel file
    voucher = issue(stores)
    desk = gift_terminal.TerminalDesk(
        stores.clock,
        stores.access,
        stores.gift.campaigns,
        stores.gift.gifts,
        stores.gift.redemptions,
        stores.gift.locks,
        stores.gift.transactions,
        stores.gift.idempotency,
    )
    till = Principal(Role.TERMINAL, terminal.terminal_id, ORG, terminal.key_id or "", merchant_id)
    gift_terminal.redeem(desk, till, voucher.code, "k-1")
    by_merchant = request(
        stores,
        "GET",
        "/console/gift/campaigns/cmp_music",
        cookies=cookies,
        query={"by": "merchant"},
    )
    assert '<th scope="row">南京影院</th>' in by_merchant["body"]
    period = {"from": "2026-10-01", "to": "2026-10-31", "lang": "zh"}
    settled = request(stores, "GET", path + "/settlement", cookies=cookies, query=period)
    assert settled["statusCode"] == 200
    assert "¥22.50" in settled["body"] or "22.50" in settled["body"]
    xlsx = request(stores, "GET", path + "/settlement.xlsx", cookies=cookies, query=period)
    assert xlsx["statusCode"] == 200
    import base64

    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx["body"])))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value]  # type: ignore[union-attr]
    assert any("南京影院" in c for c in cells)

    revoked = post(stores, cookies, f"{path}/terminals/{terminal.terminal_id}/revoke", {}, path)
    assert revoked["statusCode"] == 303
    assert stores.access.list_terminals(merchant_id)[0].revoked_at is not None

    # another tenant's staff find no such merchant
    other = staff.add_first_admin(stores.people, stores.clock, "org_2", "x@example.org", "X")
    assert request(stores, "GET", path, cookies=signed_in(stores, other))["statusCode"] == 404


def test_the_hotline_finds_by_phone_records_and_answers_a_complaint(stores: Any) -> None:
    admin = staff.add_first_admin(stores.people, stores.clock, ORG, "li@example.org", "李雷")
    cookies = signed_in(stores, admin)
    voucher = issue(stores)
    hotline = "/console/gift/hotline"
    found = request(
        stores,
        "GET",
        hotline,
        cookies=cookies,
        query={"campaign": "cmp_music", "phone": "138 0013 8000", "lang": "zh"},
    )
    assert found["statusCode"] == 200
    assert display(voucher.code) in found["body"]
    assert "王小明" in found["body"]
    assert "发放" in found["body"]  # the ledger's issued entry
    bad = request(
        stores, "GET", hotline, cookies=cookies, query={"campaign": "cmp_music", "code": "x"}
    )
    assert 'aria-invalid="true"' in bad["body"]

    recorded = post(
        stores,
        cookies,
        "/console/gift/complaints",
        {
            "campaign": "cmp_music",
            "code": voucher.code,
            "text": "会员说短信没收到",
            "form_key": "f1",
        },
        hotline,
    )
    assert recorded["statusCode"] == 303
    complaint = stores.gift.complaints.list_complaints(ORG, "open")[0]
    assert complaint.by == f"session:{admin.user_id}"
    open_page = request(
        stores, "GET", "/console/gift/complaints", cookies=cookies, query={"lang": "zh"}
    )
    assert "会员说短信没收到" in open_page["body"]
    answered = post(
        stores,
        cookies,
        f"/console/gift/complaints/{complaint.complaint_id}/answer",
        {"text": "已重发短信", "outcome": "rejected"},
        "/console/gift/complaints",
    )
    assert answered["statusCode"] == 303
    assert stores.gift.complaints.list_complaints(ORG, "open") == []
    ledger = stores.gift.gifts.get_voucher(voucher.code).ledger
    assert [e.kind for e in ledger] == ["issued", "complaint", "complaint"]


def test_the_reviewer_sees_every_campaign_and_its_statistics(stores: Any) -> None:
    reviewer = staff.add_reviewer(stores.people, stores.clock, "rev@example.org", "审核员")
    cookies = signed_in(stores, reviewer)
    listed = request(stores, "GET", "/console/gift/campaigns", cookies=cookies)
    assert "无线音乐俱乐部积分换礼" in listed["body"]
    issue(stores)
    stats = request(
        stores,
        "GET",
        "/console/gift/campaigns/cmp_music",
        cookies=cookies,
        query={"by": "tier", "lang": "zh"},
    )
    assert stats["statusCode"] == 200
    assert "B 档" in stats["body"]
    # the hotline and the merchants are the organizer's staff's
    assert request(stores, "GET", "/console/gift/hotline", cookies=cookies)["statusCode"] == 403

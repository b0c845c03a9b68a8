"""Seed 004 through the local stack: an issuer's campaign, a voucher issued to a member's phone
(once per points transaction), its SMS, and the member's page with the QR code and the
merchants of the member's city."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import assert_problem

pytestmark = pytest.mark.slow

CAMPAIGN = {
    "name": "无线音乐俱乐部 积分换礼",
    "currency": "CNY",
    "language": "zh",
    "valid_from": "2026-10-01T00:00:00+08:00",
    "valid_until": "2031-01-01T00:00:00+08:00",
    "tiers": [
        {"id": "A", "name": "A 档 100 元", "value": "100.00", "quantity": 1000},
        {"id": "B", "name": "B 档 50 元", "value": "50.00", "quantity": 2000},
        {"id": "C", "name": "C 档 20 元", "value": "20.00", "quantity": 3},
    ],
    "accept": {"categories": ["cinema", "ktv"], "cities": ["南京", "北京"]},
}


def merchant(stack: LocalStack, name: str, city: str, category: str, rate: str) -> dict[str, Any]:
    body = {"name": name, "city": city, "category": category, "settlement_rate": rate}
    reply = stack.client.call("POST", "/merchants", stack.organizer_key, body)
    assert reply.status == 201, reply.body
    found: dict[str, Any] = reply.json()
    return found


def an_issuer(stack: LocalStack) -> str:
    reply = stack.client.call("POST", "/issuers", stack.organizer_key, {"name": "12530 积分系统"})
    assert reply.status == 201, reply.body
    return str(reply.json()["api_key"])


def sms_to(stack: LocalStack, phone: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = stack.client.call("GET", "/_local/sms").json()
    return [m for m in found if m["to"] == phone]


def qr_of_page(html: str) -> list[str]:
    """The page's inline SVG QR code drawn to pixels and read by zxing-cpp."""
    import zxingcpp
    from PIL import Image, ImageDraw

    svg = re.search(r'<svg[^>]*viewBox="0 0 (\d+) \1"[^>]*>.*?d="([^"]+)"', html, re.S)
    assert svg is not None, "no QR code on the page"
    size, scale = int(svg.group(1)), 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)", svg.group(2)):
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle([left, top, left + int(width) * scale - 1, top + scale - 1], fill=0)
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_a_member_gets_a_b_voucher_by_sms_and_finds_the_nanjing_cinema(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client
    cinema = merchant(local_stack, "金陵影城（新街口店）", "南京", "cinema", "0.45")
    merchant(local_stack, "钱柜KTV（朝阳店）", "北京", "ktv", "0.55")
    issuer = an_issuer(local_stack)
    created = client.call("POST", "/campaigns", issuer, CAMPAIGN)
    assert created.status == 201, created.body
    campaign = created.json()
    assert [t["value"] for t in campaign["tiers"]] == ["100.00", "50.00", "20.00"]
    campaign_id = campaign["campaign_id"]

    body = {
        "tier": "B",
        "recipient": {"phone": "13912345678", "name": "王小明", "city": "南京"},
        "external_ref": "pts-20261008-0001",
    }
    issued = client.call("POST", f"/campaigns/{campaign_id}/vouchers", issuer, body)
    assert issued.status == 201, issued.body
    voucher = issued.json()
    assert (voucher["tier"], voucher["value"], voucher["currency"]) == ("B", "50.00", "CNY")
    again = client.call("POST", f"/campaigns/{campaign_id}/vouchers", issuer, body)
    assert again.status == 200
    assert again.json()["code"] == voucher["code"]

    sent = sms_to(local_stack, "+8613912345678")
    assert len(sent) == 1, sent  # the retry sent nothing more
    code = voucher["code"]
    shown = f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}"
    assert shown in sent[0]["text"]
    assert "50.00" in sent[0]["text"]
    assert voucher["voucher_url"] in sent[0]["text"]

    path = voucher["voucher_url"].split("://", 1)[1].split("/", 1)[1]
    page = client.call("GET", f"/{path}")
    assert page.status == 200
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    html = page.body.decode()
    assert qr_of_page(html) == [code]
    assert cinema["name"] in html
    assert "钱柜" not in html
    assert "¥50.00" in html
    assert shown in html
    assert "可以使用" in html
    english = client.call("GET", f"/{path}?lang=en").body.decode()
    assert "Ready to use" in english
    assert cinema["name"] in english

    read = client.call("GET", f"/campaigns/{campaign_id}", local_stack.organizer_key)
    assert read.status == 200
    assert [t["issued"] for t in read.json()["tiers"]] == [0, 1, 0]
    assert client.call("GET", f"/campaigns/{campaign_id}", local_stack.reviewer_key).status == 200


def test_a_tier_is_never_issued_beyond_its_quantity(local_stack: LocalStack) -> None:
    client = local_stack.client
    issuer = an_issuer(local_stack)
    campaign_id = client.call("POST", "/campaigns", issuer, CAMPAIGN).json()["campaign_id"]

    def one(i: int) -> int:
        body = {"tier": "C", "recipient": {"name": "李华"}, "external_ref": f"pts-c-{i}"}
        return client.call("POST", f"/campaigns/{campaign_id}/vouchers", issuer, body).status

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(one, range(10)))
    assert statuses == [201] * 3 + [409] * 7
    body = {"tier": "C", "recipient": {"name": "李华"}, "external_ref": "pts-c-zh"}
    used_up = client.call(
        "POST",
        f"/campaigns/{campaign_id}/vouchers",
        issuer,
        body,
        headers={"Accept-Language": "zh-CN"},
    )
    assert_problem(used_up, 409)
    assert used_up.json()["detail"] == "档位 C 已发完（共 3 张）。"
    lower = client.call(
        "PATCH", f"/campaigns/{campaign_id}", issuer, {"tiers": [{"id": "C", "quantity": 2}]}
    )
    assert_problem(lower, 422)
    more = client.call(
        "PATCH", f"/campaigns/{campaign_id}", issuer, {"tiers": [{"id": "C", "quantity": 4}]}
    )
    assert more.status == 200
    assert more.json()["tiers"][2]["quantity"] == 4
    assert one(99) == 201
    assert client.call("GET", "/g/0000000000000000000000000a").status == 404


def wait_for_bulk(stack: LocalStack, key: str, bulk_id: str) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found: dict[str, Any] = stack.client.call("GET", f"/bulk-issues/{bulk_id}", key).json()
        if found["status"] in ("done", "failed"):
            return found
        time.sleep(0.2)
    raise AssertionError(f"bulk issue {bulk_id} did not finish")


def test_a_list_is_issued_behind_the_queue_once_per_row(local_stack: LocalStack) -> None:
    import urllib.request

    client = local_stack.client
    issuer = an_issuer(local_stack)
    campaign_id = client.call("POST", "/campaigns", issuer, CAMPAIGN).json()["campaign_id"]
    rows = [
        {
            "tier": "B",
            "recipient": {"phone": f"1350000{i:04d}", "name": "王小明"},
            "external_ref": f"b{i}",
        }
        for i in range(30)
    ]
    rows.append({"tier": "Z", "external_ref": "bad-tier"})
    ordered = client.call("POST", f"/campaigns/{campaign_id}/bulk-issues", issuer, {"rows": rows})
    assert ordered.status == 202, ordered.body
    done = wait_for_bulk(local_stack, issuer, ordered.json()["bulk_id"])
    assert (done["status"], done["rows"], done["issued"], done["failed"]) == ("done", 31, 30, 1)
    assert done["errors"][0]["row"] == 31
    assert (
        len([m for m in client.call("GET", "/_local/sms").json() if m["to"].startswith("+86135")])
        >= 30
    )

    # the programme uploads a CSV file that repeats two rows of the list
    csv_text = (
        "external_ref,tier,phone,name,city\n"
        "b0,B,13500000000,王小明,\n"
        "b1,B,13500000001,王小明,\n"
        "n1,A,13600001111,张伟,南京\n"
    )
    upload = client.call(
        "POST", f"/campaigns/{campaign_id}/bulk-issues", issuer, {"upload": "csv"}
    ).json()
    assert upload["status"] == "awaiting_upload"
    request = urllib.request.Request(
        upload["upload_url"],
        data=csv_text.encode(),
        method="PUT",
        headers={"Content-Type": upload["upload_content_type"]},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
    started = client.call("POST", f"/bulk-issues/{upload['bulk_id']}/start", issuer)
    assert started.status == 202, started.body
    csv_done = wait_for_bulk(local_stack, issuer, upload["bulk_id"])
    assert (csv_done["issued"], csv_done["repeated"], csv_done["failed"]) == (1, 2, 0)
    tiers = client.call("GET", f"/campaigns/{campaign_id}", issuer).json()["tiers"]
    assert [t["issued"] for t in tiers] == [1, 30, 0]

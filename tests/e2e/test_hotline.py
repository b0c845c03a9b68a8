"""The hotline (seed 004) through the local stack: a complaint on a redeemed code is recorded
and shows in the lookup; upheld, it reverses the redemption (the voucher is redeemable again,
the statistics show 0 redemptions); and the same in the console: staff create a merchant
南京影院 and its terminal, and the hotline page finds a voucher by phone."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.console import Browser, sign_in
from tests.e2e.gift_world import GiftWorld, gift_world
from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import assert_problem

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(local_stack: LocalStack) -> GiftWorld:
    return gift_world(local_stack.client, local_stack.organizer_key)


@pytest.fixture(scope="module")
def staff(local_stack: LocalStack) -> Browser:
    return sign_in(local_stack, local_stack.organizer_email, "127.0.0.91")


def test_an_upheld_complaint_on_a_redeemed_code_puts_the_voucher_back(
    local_stack: LocalStack, world: GiftWorld
) -> None:
    client, key = world.client, world.organizer_key
    campaign = world.campaign["campaign_id"]
    phone = f"+86 139 {uuid.uuid4().int % 10**8:08d}"
    code = world.issue("B", phone=phone)["code"]
    till = world.cinema_terminal["api_key"]
    redeemed = client.call(
        "POST",
        "/terminal/redemptions",
        till,
        {"code": code},
        headers={"Idempotency-Key": f"hotline-{code}"},
    )
    assert redeemed.status == 201, redeemed.body

    filed = client.call(
        "POST",
        "/complaints",
        key,
        {"code": code, "text": "会员说没有在影院使用过这张券"},
        headers={"Idempotency-Key": f"complaint-{code}"},
    )
    assert filed.status == 201, filed.body
    complaint = filed.json()
    assert complaint["redemption_id"] == redeemed.json()["redemption_id"]
    again = client.call(
        "POST",
        "/complaints",
        key,
        {"code": code, "text": "会员说没有在影院使用过这张券"},
        headers={"Idempotency-Key": f"complaint-{code}"},
    )
    assert (again.status, again.json()["complaint_id"]) == (200, complaint["complaint_id"])

    found = client.call("GET", f"/campaigns/{campaign}/vouchers?code={code}", key)
    assert found.status == 200, found.body
    [voucher] = found.json()["vouchers"]
    kinds = [e["kind"] for e in voucher["ledger"]]
    assert kinds[0] == "issued"
    assert {"redeemed", "complaint"} <= set(kinds)
    where = next(e for e in voucher["ledger"] if e["kind"] == "redeemed")
    assert where["detail"]["merchant_name"] == "南京新街口国际影城"
    digits = re.sub(r"\D", "", phone)[2:]  # the agent types it without +86
    by_phone = client.call(
        "GET", f"/campaigns/{campaign}/vouchers?phone={digits}", local_stack.reviewer_key
    )
    assert [v["code"] for v in by_phone.json()["vouchers"]] == [code]
    listed = client.call("GET", "/complaints?status=open", key).json()["complaints"]
    assert complaint["complaint_id"] in {c["complaint_id"] for c in listed}

    before = client.call("GET", f"/campaigns/{campaign}/stats?by=city", key).json()
    answer = {"text": "核实后撤销该笔核销", "outcome": "upheld", "reverse": True}
    path = f"/complaints/{complaint['complaint_id']}/answer"
    answered = client.call("POST", path, key, answer)
    assert answered.status == 200, answered.body
    assert (answered.json()["status"], answered.json()["reversed"]) == ("answered", True)
    assert_problem(client.call("POST", path, key, answer), 409)

    after = client.call("GET", f"/campaigns/{campaign}/stats?by=city", key).json()
    assert after["redeemed"] == before["redeemed"] - 1
    checked = client.call("POST", "/terminal/validations", till, {"code": code}).json()
    assert (checked["acceptable"], checked["state"]) == (True, "issued")
    ledger = client.call("GET", f"/campaigns/{campaign}/vouchers?code={code}", key).json()
    reversal = next(e for e in ledger["vouchers"][0]["ledger"] if e["kind"] == "reversed")
    assert reversal["detail"]["complaint_id"] == complaint["complaint_id"]


def test_a_fresh_campaign_shows_0_redemptions_after_an_upheld_complaint(
    local_stack: LocalStack,
) -> None:
    world = gift_world(local_stack.client, local_stack.organizer_key)
    client, key = world.client, world.organizer_key
    code = world.issue("B")["code"]
    client.call(
        "POST",
        "/terminal/redemptions",
        world.cinema_terminal["api_key"],
        {"code": code},
        headers={"Idempotency-Key": f"fresh-{code}"},
    )
    complaint = client.call("POST", "/complaints", key, {"code": code, "text": "重复扣券"}).json()
    client.call(
        "POST",
        f"/complaints/{complaint['complaint_id']}/answer",
        key,
        {"text": "已撤销", "outcome": "upheld", "reverse": True},
    )
    stats = client.call(
        "GET", f"/campaigns/{world.campaign['campaign_id']}/stats?by=city", key
    ).json()
    assert (stats["issued"], stats["redeemed"], stats["value_redeemed"]) == (1, 0, "0.00")
    assert_problem(
        client.call("GET", f"/campaigns/{world.campaign['campaign_id']}/vouchers", key), 422
    )


def test_staff_create_nanjing_cinema_and_a_terminal_and_find_a_voucher_by_phone(
    staff: Browser, world: GiftWorld
) -> None:
    created = staff.post(
        "/console/gift/merchants",
        {
            "name": "南京影院",
            "city": "Nanjing",
            "category": "cinema",
            "grade": "middle",
            "address": "南京市鼓楼区中山北路 8 号",
            "settlement_rate": "0.45",
        },
        csrf_from="/console/gift/merchants",
    )
    assert created.status == 303, created.body[:500]
    page = created.headers["Location"]
    assert "南京影院" in staff.text(page)
    terminal = staff.post(page + "/terminals", {"label": "二号台"}, csrf_from=page)
    assert terminal.status == 201, terminal.body[:500]
    key = re.search(r'<code class="secret">(tk_[^<]+)</code>', terminal.body.decode())
    assert key is not None
    # the key works at the till at once
    code = world.issue("B")["code"]
    checked = world.client.call("POST", "/terminal/validations", key.group(1), {"code": code})
    assert checked.status == 200, checked.body
    assert "二号台" in staff.text(page)

    phone = f"+86 137 {uuid.uuid4().int % 10**8:08d}"
    wanted = world.issue("C", phone=phone)
    digits = re.sub(r"\D", "", phone)[2:]
    campaign = world.campaign["campaign_id"]
    html = staff.text(f"/console/gift/hotline?campaign={campaign}&phone={digits}")
    assert re.sub("[^A-Z0-9]", "", wanted["code"]) in re.sub("[^A-Z0-9]", "", html)
    assert "王小明" in html
    assert "ausgegeben" in html  # the ledger's issued entry, in the browser's German

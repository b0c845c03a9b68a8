"""Seed 004 at the till, through the local stack: a cinema in Nanjing validates and redeems a
B voucher, a KTV in Beijing is told where it was used, the statistics and the cinema's
settlement agree, a terminal that guesses is locked, a revoked terminal's key stops."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from tests.e2e.gift_world import GiftWorld, gift_world, terminal_tenancy_cases
from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import assert_problem, new_organizer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(local_stack: LocalStack) -> GiftWorld:
    return gift_world(local_stack.client, local_stack.organizer_key)


def test_the_cinema_redeems_once_and_the_ktv_learns_where(world: GiftWorld) -> None:
    client, cinema_key = world.client, world.cinema_terminal["api_key"]
    voucher = world.issue("B")
    code = voucher["code"]

    checked = client.call("POST", "/terminal/validations", cinema_key, {"code": code})
    assert checked.status == 200, checked.body
    assert {k: checked.json()[k] for k in ("value", "currency", "tier", "acceptable", "state")} == {
        "value": "50.00",
        "currency": "CNY",
        "tier": "B",
        "acceptable": True,
        "state": "issued",
    }

    key = {"Idempotency-Key": f"till-1-{code}"}
    first = client.call("POST", "/terminal/redemptions", cinema_key, {"code": code}, headers=key)
    assert first.status == 201, first.body
    again = client.call("POST", "/terminal/redemptions", cinema_key, {"code": code}, headers=key)
    assert again.status == 201, again.body
    assert again.json()["redemption_id"] == first.json()["redemption_id"]
    assert first.json()["merchant"]["name"] == "南京新街口国际影城"

    used = client.call(
        "POST",
        "/terminal/redemptions",
        world.ktv_terminal["api_key"],
        {"code": code},
        headers={"Idempotency-Key": f"ktv-{code}", "Accept-Language": "zh"},
    )
    body = assert_problem(used, 409)
    assert body["merchant"]["name"] == "南京新街口国际影城"
    assert body["redeemed_at"] == first.json()["redeemed_at"]
    assert "南京新街口国际影城" in body["detail"]

    stats = client.call(
        "GET", f"/campaigns/{world.campaign['campaign_id']}/stats?by=city", world.issuer_key
    )
    assert stats.status == 200, stats.body
    nanjing = [g for g in stats.json()["groups"] if g["key"] == "Nanjing"]
    assert [(g["redeemed"], g["value_redeemed"]) for g in nanjing] == [(1, "50.00")]

    today = datetime.now(UTC).date()
    period = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
    path = f"/merchants/{world.cinema['merchant_id']}/settlement?{period}"
    settled = client.call("GET", path, world.organizer_key)
    assert settled.status == 200, settled.body
    assert (settled.json()["face_value"], settled.json()["payable"]) == ("50.00", "22.50")
    sheet_file = client.call("GET", path + "&format=xlsx", world.organizer_key)
    assert sheet_file.status == 200, sheet_file.body
    sheet = openpyxl.load_workbook(io.BytesIO(sheet_file.body)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "核销时间"
    assert rows[1][2] == "南京新街口国际影城"
    assert float(rows[1][6]) == 22.5


def test_a_reversal_puts_the_voucher_back_and_the_counters_down(world: GiftWorld) -> None:
    client, cinema_key = world.client, world.cinema_terminal["api_key"]
    code = world.issue("C")["code"]
    redeemed = client.call(
        "POST",
        "/terminal/redemptions",
        cinema_key,
        {"code": code},
        headers={"Idempotency-Key": code},
    ).json()
    reversal = f"/terminal/redemptions/{redeemed['redemption_id']}/reversal"
    assert_problem(client.call("POST", reversal, world.ktv_terminal["api_key"]), 404)
    back = client.call("POST", reversal, cinema_key)
    assert back.status == 201, back.body
    assert_problem(client.call("POST", reversal, cinema_key), 409)
    checked = client.call(
        "POST", "/terminal/validations", world.ktv_terminal["api_key"], {"code": code}
    )
    assert (checked.json()["state"], checked.json()["acceptable"]) == ("issued", True)


def test_a_guessing_terminal_is_locked_and_shown_locked(
    world: GiftWorld, local_stack: LocalStack
) -> None:
    client = world.client
    made = client.call(
        "POST", f"/merchants/{world.ktv['merchant_id']}/terminals", world.organizer_key, {}
    ).json()
    for attempt in range(10):
        typed = "NOT-A-CODE" if attempt % 2 else "7KQ2-M9XD-4HTB-W2"
        reply = client.call("POST", "/terminal/validations", made["api_key"], {"code": typed})
        assert reply.status in (404, 429), reply.body
    locked = client.call("POST", "/terminal/validations", made["api_key"], {"code": "x"})
    assert_problem(locked, 429)
    assert int(locked.headers["Retry-After"]) > 800
    shown = client.call("GET", f"/merchants/{world.ktv['merchant_id']}", world.organizer_key)
    assert shown.status == 200, shown.body
    assert made["terminal_id"] in shown.json()["locked_terminals"]
    assert shown.json()["settlement_rate"] == "0.55"

    # revoked: its key stops working at once
    revoke = f"/merchants/{world.ktv['merchant_id']}/terminals/{made['terminal_id']}"
    assert client.call("DELETE", revoke, world.organizer_key).status == 204
    gone = client.call("POST", "/terminal/validations", made["api_key"], {"code": "x"})
    assert gone.status == 401
    assert_problem(client.call("DELETE", revoke, world.organizer_key), 409)


def test_the_terminal_page_is_public_and_strict(local_stack: LocalStack) -> None:
    page = local_stack.client.call("GET", "/terminal", headers={"Accept-Language": "zh-CN"})
    assert page.status == 200
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "收银台" in page.body.decode()


def test_another_tenant_and_its_terminal_find_nothing_of_ours(local_stack: LocalStack) -> None:
    # the tenancy walk (test_foundation) runs these too, with every other route
    other = new_organizer(local_stack, "另一家")[1]
    for check in terminal_tenancy_cases(
        local_stack.client, local_stack.organizer_key, other
    ).values():
        check()

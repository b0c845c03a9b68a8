"""The seed-004 world through the local stack: a cinema in Nanjing and a KTV in Beijing with
their terminals, an issuer and its campaign (A 100 / B 50 / C 20 CNY), and vouchers of it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tests.e2e.stack import Client

CAMPAIGN: dict[str, Any] = {
    "name": "无线音乐俱乐部积分换礼",
    "currency": "CNY",
    "language": "zh",
    # the local stack runs on real time: the window is open now and for years
    "valid_from": "2026-01-01T00:00:00+08:00",
    "valid_until": "2030-12-31T23:59:59+08:00",
    "tiers": [
        {"id": "A", "name": "A 档 100 元", "value": "100.00"},
        {"id": "B", "name": "B 档 50 元", "value": "50.00"},
        {"id": "C", "name": "C 档 20 元", "value": "20.00"},
    ],
    "accept": {"categories": ["cinema", "ktv"], "cities": ["Nanjing", "Beijing"]},
}


@dataclass
class GiftWorld:
    client: Client
    organizer_key: str
    cinema: dict[str, Any]
    ktv: dict[str, Any]
    cinema_terminal: dict[str, Any]
    ktv_terminal: dict[str, Any]
    issuer_key: str
    campaign: dict[str, Any]

    def issue(self, tier: str = "B", phone: str = "+86 138 0013 8000") -> dict[str, Any]:
        reply = self.client.call(
            "POST",
            f"/campaigns/{self.campaign['campaign_id']}/vouchers",
            self.issuer_key,
            {
                "tier": tier,
                "recipient": {"phone": phone, "name": "王小明", "city": "Nanjing"},
                "external_ref": f"points-{uuid.uuid4()}",
            },
        )
        assert reply.status == 201, reply.body
        voucher: dict[str, Any] = reply.json()
        return voucher


def created(client: Client, key: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    reply = client.call("POST", path, key, body)
    assert reply.status == 201, reply.body
    answer: dict[str, Any] = reply.json()
    return answer


def gift_world(client: Client, organizer_key: str) -> GiftWorld:
    cinema = created(
        client,
        organizer_key,
        "/merchants",
        {
            "name": "南京新街口国际影城",
            "city": "Nanjing",
            "category": "cinema",
            "grade": "high",
            "address": "南京市秦淮区中山南路1号",
            "settlement_rate": "0.45",
        },
    )
    ktv = created(
        client,
        organizer_key,
        "/merchants",
        {
            "name": "北京钱柜KTV",
            "city": "Beijing",
            "category": "ktv",
            "grade": "middle",
            "address": "北京市朝阳区建国路88号",
            "settlement_rate": "0.55",
        },
    )
    cinema_terminal = created(
        client,
        organizer_key,
        f"/merchants/{cinema['merchant_id']}/terminals",
        {"label": "1号收银台"},
    )
    ktv_terminal = created(
        client, organizer_key, f"/merchants/{ktv['merchant_id']}/terminals", {"label": "前台"}
    )
    issuer = created(client, organizer_key, "/issuers", {"name": "无线音乐俱乐部积分系统"})
    campaign = created(client, issuer["api_key"], "/campaigns", CAMPAIGN)
    return GiftWorld(
        client,
        organizer_key,
        cinema,
        ktv,
        cinema_terminal,
        ktv_terminal,
        issuer["api_key"],
        campaign,
    )


def terminal_tenancy_cases(
    client: Client, organizer_key: str, other: str
) -> dict[tuple[str, str], Any]:
    """The terminal, merchant, statistics and settlement routes called by another tenant
    (``other``, an organizer key) and its terminal on the first tenant's objects: missing."""
    world = gift_world(client, organizer_key)
    code = world.issue("B")["code"]
    redeemed = client.call(
        "POST",
        "/terminal/redemptions",
        world.cinema_terminal["api_key"],
        {"code": code},
        headers={"Idempotency-Key": f"tenancy-{code}"},
    ).json()
    their_merchant = created(
        client,
        other,
        "/merchants",
        {"name": "福州某影城", "city": "Nanjing", "category": "cinema", "settlement_rate": "0.5"},
    )
    their_terminal = created(
        client, other, f"/merchants/{their_merchant['merchant_id']}/terminals", {}
    )["api_key"]
    cinema, terminal_id = world.cinema["merchant_id"], world.cinema_terminal["terminal_id"]

    def missing(key: str, method: str, path: str, body: Any = None) -> None:
        reply = client.call(method, path, key, body)
        assert reply.status == 404, (method, path, reply.status, reply.body)

    return {
        ("GET", "/merchants/{merchant_id}"): lambda: missing(other, "GET", f"/merchants/{cinema}"),
        ("DELETE", "/merchants/{merchant_id}/terminals/{terminal_id}"): lambda: missing(
            other, "DELETE", f"/merchants/{cinema}/terminals/{terminal_id}"
        ),
        ("POST", "/terminal/validations"): lambda: missing(
            their_terminal, "POST", "/terminal/validations", {"code": code}
        ),
        ("POST", "/terminal/redemptions"): lambda: missing(
            their_terminal, "POST", "/terminal/redemptions", {"code": code}
        ),
        ("POST", "/terminal/redemptions/{redemption_id}/reversal"): lambda: missing(
            their_terminal, "POST", f"/terminal/redemptions/{redeemed['redemption_id']}/reversal"
        ),
        ("GET", "/terminal"): lambda: None,  # public: the page shows no data
        ("GET", "/campaigns/{campaign_id}/stats"): lambda: missing(
            other, "GET", f"/campaigns/{world.campaign['campaign_id']}/stats?by=city"
        ),
        ("GET", "/merchants/{merchant_id}/settlement"): lambda: missing(
            other, "GET", f"/merchants/{cinema}/settlement?from=2026-01-01&to=2026-12-31"
        ),
    }

"""The hotline (seed 004) through the local stack: a complaint on a voucher of the gift world,
and the tenancy cases of the hotline's routes (another tenant's objects answer as missing)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.gift_world import gift_world
from tests.e2e.stack import Client


def hotline_tenancy_cases(
    client: Client, organizer_key: str, other: str
) -> dict[tuple[str, str], Any]:
    """The hotline's routes called by another tenant's organizer (``other``) on the first
    tenant's campaign, voucher and complaint: missing, and never listed."""
    world = gift_world(client, organizer_key)
    voucher = world.issue("B")
    campaign = world.campaign["campaign_id"]
    complaint = client.call(
        "POST", "/complaints", organizer_key, {"code": voucher["code"], "text": "短信没收到"}
    )
    assert complaint.status == 201, complaint.body
    complaint_id = complaint.json()["complaint_id"]

    def missing(method: str, path: str, body: Any = None) -> None:
        reply = client.call(method, path, other, body)
        assert reply.status == 404, (method, path, reply.status, reply.body)

    def none_listed() -> None:
        reply = client.call("GET", "/complaints?status=open", other)
        assert reply.status == 200, reply.body
        if complaint_id in {c["complaint_id"] for c in reply.json()["complaints"]}:
            pytest.fail("another tenant's complaint was listed")

    return {
        ("GET", "/campaigns/{campaign_id}/vouchers"): lambda: missing(
            "GET", f"/campaigns/{campaign}/vouchers?code={voucher['code']}"
        ),
        ("POST", "/complaints"): lambda: missing(
            "POST", "/complaints", {"code": voucher["code"], "text": "冒充投诉"}
        ),
        ("GET", "/complaints"): none_listed,
        ("POST", "/complaints/{complaint_id}/answer"): lambda: missing(
            "POST", f"/complaints/{complaint_id}/answer", {"text": "x", "outcome": "rejected"}
        ),
    }

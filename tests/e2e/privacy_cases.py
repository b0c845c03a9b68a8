"""The tenancy walk's cases of a person's data (issue 17): the person index is per organizer,
so another tenant's export finds nothing, its erasure touches nothing of ours, and it neither
sees our erasures nor changes our events' retention."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.stack import Client

CUSTOMER = "m.mustermann@example.org"  # the tenancy walk's booking


def privacy_tenancy_cases(
    client: Client, key: str, other: str, event_id: str
) -> dict[tuple[str, str], Any]:
    ours = client.call("POST", "/customers/erasure", key, {"email": "nobody.tenancy@example.org"})
    assert ours.status == 202, ours.body
    erasure_id = ours.json()["erasure_id"]

    def export_finds_nothing() -> None:
        theirs = client.call("GET", f"/customers/export?email={CUSTOMER}", other)
        assert theirs.status == 200, theirs.body
        if any(theirs.json().values()):
            pytest.fail("another tenant's export shows this tenant's customer")
        mine = client.call("GET", f"/customers/export?email={CUSTOMER}", key).json()
        if not mine["orders"]:
            pytest.fail("the owner's export lost its customer")

    def erasure_stays_in_its_tenant() -> None:
        theirs = client.call("POST", "/customers/erasure", other, {"email": CUSTOMER})
        assert theirs.status == 202, theirs.body

    def not_found(method: str, path: str, body: Any = None) -> None:
        reply = client.call(method, path, other, body)
        assert reply.status == 404, reply.body

    return {
        ("GET", "/customers/export"): export_finds_nothing,
        ("POST", "/customers/erasure"): erasure_stays_in_its_tenant,
        ("GET", "/customers/erasure/{erasure_id}"): lambda: not_found(
            "GET", f"/customers/erasure/{erasure_id}"
        ),
        ("PATCH", "/events/{event_id}"): lambda: not_found(
            "PATCH", f"/events/{event_id}", {"legal_hold": True}
        ),
    }

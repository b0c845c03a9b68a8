"""The tenancy walk's cases of the consent routes (issue 15): consent is per organizer, and a
consent link's token is its secret."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.stack import Client

CUSTOMER = "tenancy.consent@example.org"


def consent_tenancy_cases(
    client: Client, key: str, other: str, guesser: Client
) -> dict[tuple[str, str], Any]:
    # the owner records the customer's wish; the intruder sees and changes only its own
    owned = client.call("PUT", "/customers/consents", key, {"email": CUSTOMER, "reminders": False})
    assert owned.status == 200, owned.body

    def put_stays_in_its_tenant() -> None:
        theirs = client.call(
            "PUT", "/customers/consents", other, {"email": CUSTOMER, "marketing": True}
        )
        assert theirs.status == 200
        mine = client.call("GET", f"/customers/consents?email={CUSTOMER}", key).json()
        if mine["marketing"] or mine["reminders"]:
            pytest.fail("another tenant changed this tenant's consent")

    def get_shows_only_its_own() -> None:
        theirs = client.call("GET", f"/customers/consents?email={CUSTOMER}", other).json()
        if theirs["reminders"] is not True or any(
            entry["what"] == "reminders" for entry in theirs["history"]
        ):
            pytest.fail("another tenant's consent was shown")

    def link_not_found(method: str, path: str) -> None:
        reply = guesser.call(
            method,
            path,
            raw=b"List-Unsubscribe=One-Click" if method == "POST" else None,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert reply.status == 404, reply.status

    made_up = "x" * 43
    return {
        ("PUT", "/customers/consents"): put_stays_in_its_tenant,
        ("GET", "/customers/consents"): get_shows_only_its_own,
        ("GET", "/consent/confirm/{token}"): lambda: link_not_found(
            "GET", f"/consent/confirm/{made_up}"
        ),
        ("POST", "/consent/confirm/{token}"): lambda: link_not_found(
            "POST", f"/consent/confirm/{made_up}"
        ),
        ("GET", "/consent/unsubscribe/{token}"): lambda: link_not_found(
            "GET", f"/consent/unsubscribe/{made_up}"
        ),
        ("POST", "/consent/unsubscribe/{token}"): lambda: link_not_found(
            "POST", f"/consent/unsubscribe/{made_up}"
        ),
    }

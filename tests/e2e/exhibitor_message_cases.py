"""The routes where an exhibitor changes and submits again its message to its registrants
(issue 16 item 5) in the tenancy walk of ``test_foundation``: another tenant's exhibitor finds
the first tenant's message missing, and it stays as it was."""

from __future__ import annotations

from typing import Any

from tests.e2e.stack import Client


def _problem(reply: Any, status: int) -> None:
    assert reply.status == status, (reply.status, reply.body)
    assert reply.headers.get("Content-Type", "").startswith("application/problem+json")


def exhibitor_message_tenancy_cases(
    client: Client, seller: str, their_exhibitor: str, event_id: str
) -> dict[tuple[str, str], Any]:
    """``seller``: the key of the first tenant's exhibitor of ``event_id``."""
    body = {"subject": "Besuchen Sie uns", "body": "Halle B, Stand 12"}
    made = client.call("POST", f"/events/{event_id}/redemptions/messages", seller, body)
    assert made.status == 202, made.body
    nid = made.json()["message_id"]
    path = f"/events/{event_id}/redemptions/messages/{nid}"

    def missing(method: str, route: str, payload: Any = None) -> None:
        _problem(client.call(method, route, their_exhibitor, payload), 404)
        mine = client.call("GET", f"/events/{event_id}/redemptions/messages", seller).json()
        [found] = [m for m in mine["messages"] if m["message_id"] == nid]
        assert (found["subject"], found["state"]) == (body["subject"], "submitted")

    return {
        ("PATCH", "/events/{event_id}/redemptions/messages/{notification_id}"): lambda: missing(
            "PATCH", path, {"subject": "Übernommen"}
        ),
        ("POST", "/events/{event_id}/redemptions/messages/{notification_id}/submit"): (
            lambda: missing("POST", f"{path}/submit")
        ),
    }

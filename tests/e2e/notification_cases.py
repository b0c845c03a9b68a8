"""The notification routes (issue 15) in the tenancy walk of ``test_foundation``: another
tenant finds none of the first tenant's notifications, and only the reviewer decides."""

from __future__ import annotations

from typing import Any

from tests.e2e.stack import Client


def _problem(reply: Any, status: int) -> None:
    assert reply.status == status, (reply.status, reply.body)
    assert reply.headers.get("Content-Type", "").startswith("application/problem+json")


def notification_tenancy_cases(
    client: Client, key: str, other: str, event_id: str
) -> dict[tuple[str, str], Any]:
    body = {"subject": "Einlass ab 9 Uhr", "body": "Bitte kommen Sie **pünktlich**."}
    made = client.call("POST", f"/events/{event_id}/notifications", key, body)
    assert made.status == 201, made.body
    nid = made.json()["notification_id"]
    submitted = client.call("POST", f"/events/{event_id}/notifications", key, body).json()
    sid = submitted["notification_id"]
    assert client.call("POST", f"/notifications/{sid}/submit", key).status == 200

    def missing(method: str, path: str, payload: Any = None) -> None:
        _problem(client.call(method, path, other, payload), 404)

    def reviewer_only(path: str, payload: Any = None) -> None:
        _problem(client.call("POST", path, other, payload), 403)
        _problem(client.call("POST", path, key, payload), 403)

    def none_of_mine() -> None:
        reply = client.call("GET", "/notifications?status=submitted", other)
        assert reply.status == 200
        assert sid not in {n["notification_id"] for n in reply.json()["notifications"]}

    return {
        ("POST", "/events/{event_id}/notifications"): lambda: missing(
            "POST", f"/events/{event_id}/notifications", body
        ),
        ("GET", "/notifications"): none_of_mine,
        ("GET", "/notifications/{notification_id}"): lambda: missing(
            "GET", f"/notifications/{nid}"
        ),
        ("PATCH", "/notifications/{notification_id}"): lambda: missing(
            "PATCH", f"/notifications/{nid}", {"subject": "x"}
        ),
        ("GET", "/notifications/{notification_id}/preview"): lambda: missing(
            "GET", f"/notifications/{nid}/preview"
        ),
        ("POST", "/notifications/{notification_id}/submit"): lambda: missing(
            "POST", f"/notifications/{nid}/submit"
        ),
        ("POST", "/notifications/{notification_id}/approve"): lambda: reviewer_only(
            f"/notifications/{sid}/approve"
        ),
        ("POST", "/notifications/{notification_id}/reject"): lambda: reviewer_only(
            f"/notifications/{sid}/reject", {"reason": "x"}
        ),
        ("POST", "/notifications/{notification_id}/question"): lambda: reviewer_only(
            f"/notifications/{sid}/question", {"text": "x"}
        ),
    }

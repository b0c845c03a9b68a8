"""The invitation routes (issue 16) in the tenancy walk of ``test_foundation``: another
tenant's organizer and exhibitor find none of the first tenant's letters, lists or messages."""

from __future__ import annotations

from typing import Any

from tests.e2e.stack import Client


def _problem(reply: Any, status: int) -> None:
    assert reply.status == status, (reply.status, reply.body)
    assert reply.headers.get("Content-Type", "").startswith("application/problem+json")


def invitation_tenancy_cases(
    client: Client, other: str, their_exhibitor: str, event_id: str, batch_id: str
) -> dict[tuple[str, str], Any]:
    """``event_id`` and ``batch_id``: the first tenant's (the batch of an exhibitor of it)."""
    letter = {"language": "de", "subject": "Einladung", "body": "Ihr Code: {code}"}
    recipient = {"first_name": "A", "last_name": "B", "email": "ab@example.org"}

    def missing(method: str, path: str, key: str, payload: Any = None) -> None:
        _problem(client.call(method, path, key, payload), 404)

    batch = f"/voucher-batches/{batch_id}/invitations"
    return {
        ("PUT", "/events/{event_id}/invitation-letter"): lambda: missing(
            "PUT", f"/events/{event_id}/invitation-letter", other, letter
        ),
        ("GET", "/events/{event_id}/invitation-letter"): lambda: missing(
            "GET", f"/events/{event_id}/invitation-letter", other
        ),
        ("POST", "/voucher-batches/{batch_id}/invitations"): lambda: missing(
            "POST", batch, their_exhibitor, {"recipients": [recipient]}
        ),
        ("GET", "/voucher-batches/{batch_id}/invitations"): lambda: missing(
            "GET", batch, their_exhibitor
        ),
        ("GET", "/voucher-batches/{batch_id}/invitations/jobs/{job_id}"): lambda: missing(
            "GET", f"{batch}/jobs/inv_0000000000000000", their_exhibitor
        ),
        ("GET", "/voucher-batches/{batch_id}/invitations/template.xlsx"): lambda: missing(
            "GET", f"{batch}/template.xlsx", their_exhibitor
        ),
        ("GET", "/events/{event_id}/invitations/summary"): lambda: missing(
            "GET", f"/events/{event_id}/invitations/summary", other
        ),
        ("POST", "/events/{event_id}/redemptions/messages"): lambda: missing(
            "POST",
            f"/events/{event_id}/redemptions/messages",
            their_exhibitor,
            {"subject": "Hallo", "body": "Besuchen Sie uns"},
        ),
        ("GET", "/events/{event_id}/redemptions/messages"): lambda: missing(
            "GET", f"/events/{event_id}/redemptions/messages", other
        ),
    }

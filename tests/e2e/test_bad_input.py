"""Issue 10, through the local stack over HTTP: poison bytes and names with line breaks answer
4xx with a problem that says what was wrong, on organizer and public routes alike."""

from __future__ import annotations

import pytest

from tests.e2e.stack import Client, LocalStack
from tests.e2e.test_foundation import INTERFORST, assert_problem, new_event
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch

pytestmark = pytest.mark.slow

BAD_BODIES = {
    "invalid bytes": (b'{"name": "\xff\xfe"}', "application/json", 400),
    "latin-1": ('{"last_name": "Müller"}'.encode("latin-1"), "application/json", 400),
    "utf-16": ('{"name": "Müller"}'.encode("utf-16"), "application/json", 400),
    "multipart without boundary": (b'{"name": "x"}', "multipart/form-data", 415),
    "nested 1,000 deep": (b"[" * 1000 + b"]" * 1000, "application/json", 400),
}
# a public address of its own: the portal's refusals count towards no other test's throttle
ADDRESS = "127.0.0.78"


def _routes(client: Client, key: str) -> dict[str, tuple[str, str | None]]:
    event = new_event(client, key)
    return {
        "POST /events": ("/events", key),
        "POST /events/{id}/bookings": (f"/events/{event['event_id']}/bookings", key),
        "POST /exhibitors": ("/exhibitors", key),
        "POST /vouchers/{code}/registration": ("/vouchers/7KQ2-M9XD-4HTB-W2/registration", None),
        "POST /portal/requests": ("/portal/requests", None),
    }


def test_bad_bytes_answer_4xx_with_a_problem(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address(ADDRESS)
    answers: dict[tuple[str, str], int] = {}
    for route, (path, key) in _routes(client, local_stack.organizer_key).items():
        for name, (raw, content_type, status) in BAD_BODIES.items():
            reply = client.call("POST", path, key, raw=raw, headers={"Content-Type": content_type})
            answers[route, name] = reply.status
            if reply.status == status:
                problem = assert_problem(reply, status)
                assert ("UTF-8" in problem["detail"]) == (
                    name in ("invalid bytes", "latin-1", "utf-16")
                )

    wrong = {k: v for k, v in answers.items() if v != BAD_BODIES[k[1]][2]}
    assert wrong == {}


def test_an_event_named_with_a_line_break_is_refused_naming_name(local_stack: LocalStack) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    for name in ("Fair\nX", "Fair\r\nX", "Fair\u0085X", "Fair\u2028X"):
        reply = client.call("POST", "/events", key, {**INTERFORST, "name": name})
        problem = assert_problem(reply, 422)
        assert [e["field"] for e in problem["errors"]] == ["name"], problem


def test_a_blank_company_registers_as_no_company(local_stack: LocalStack) -> None:
    client = local_stack.client
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Blank")
    [code, other] = codes_of(ready_batch(client, exhibitor["api_key"], event["event_id"], 2))
    public = client.from_address(ADDRESS)
    for used, company in ((code, ""), (other, "   ")):
        body = {
            "first_name": "Erika",
            "last_name": "Blank",
            "email": f"erika.{used[:4].lower()}@example.org",
            "company": company,
        }
        reply = public.call("POST", f"/vouchers/{used}/registration", body=body)
        assert reply.status == 201, reply.body

"""One voucher per person and fair through the local stack: look-alike addresses are refused,
and registrations naming the same person are flagged for the exhibitor, not refused."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import assert_problem
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch

pytestmark = pytest.mark.slow


def test_look_alikes_are_refused_and_namesakes_flagged_for_the_exhibitor(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client.from_address("127.0.0.176")
    event = future_event(local_stack)
    exhibitor = exhibitor_of(local_stack, event["event_id"], "Namensvetter")
    key = exhibitor["api_key"]
    first, second, third, fourth = codes_of(ready_batch(client, key, event["event_id"], 4))[:4]

    def register(code: str, email: str, first_name: str = "Erika") -> Any:
        body = {"first_name": first_name, "last_name": "Musterfrau", "email": email}
        return client.call(
            "POST", f"/vouchers/{code}/registration", body={**body, "company": "Forst AG"}
        )

    mixed = register(first, "erik\u0430@example.org")  # a Cyrillic a
    problem = assert_problem(mixed, 422)
    assert "email" in {error["field"] for error in problem["errors"]}
    assert register(first, "erika@example.org").status == 201
    assert register(second, "\uff25\uff32\uff29\uff2b\uff21+2@EXAMPLE.org").status == 409
    assert register(third, "erika.musterfrau@firma.example").status == 201
    assert register(fourth, "max@example.org", "Max").status == 201

    listed = client.call("GET", f"/events/{event['event_id']}/redemptions", key).json()
    flags = {r["code"]: r["possible_duplicate"] for r in listed["redemptions"]}
    plain = {code: code.replace("-", "") for code in (first, third, fourth)}
    assert flags == {plain[first]: True, plain[third]: True, plain[fourth]: False}
    sheet_reply = client.call("GET", f"/events/{event['event_id']}/redemptions?format=xlsx", key)
    sheet = openpyxl.load_workbook(io.BytesIO(sheet_reply.body)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    titles = [str(title) for title in rows[0]]
    column = next(
        i for i, t in enumerate(titles) if t in ("Mögliche Doppelung", "Possible duplicate")
    )
    assert sorted(str(row[column]).lower() for row in rows[1:]) in (
        ["ja", "ja", "nein"],
        ["no", "yes", "yes"],
    )

"""Issue 10: the organizer's search by last name pages with a cursor (it stopped at 50)."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import booking_body, new_event

pytestmark = pytest.mark.slow


def test_a_last_name_search_pages_through_every_booking(local_stack: LocalStack) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key, capacity=10)
    booked = set()
    for _ in range(3):
        reply = client.call(
            "POST", f"/events/{event['event_id']}/bookings", key, booking_body("Quastenflosser")
        )
        assert reply.status == 201, reply.body
        booked.add(reply.json()["order_number"])

    found: list[str] = []
    cursor: str | None = None
    for _ in range(3):
        query = {"q": "quastenfl", "limit": "2"} | ({"cursor": cursor} if cursor else {})
        reply = client.call("GET", f"/orders?{urllib.parse.urlencode(query)}", key)
        assert reply.status == 200, reply.body
        found += [o["order_number"] for o in reply.json()["orders"]]
        cursor = reply.json()["next_cursor"]
        if cursor is None:
            break

    assert sorted(found) == sorted(booked)

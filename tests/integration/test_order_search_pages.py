"""Issue 10: ``GET /orders?q=`` pages with ``limit`` and ``cursor`` like the booking list."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import body_of, seed_organizer, with_query
from tests.integration.test_order_handlers import book, seed_event


@pytest.fixture
def seeded(aws: Aws) -> Aws:
    seed_organizer()
    seed_event()
    return aws


def test_a_last_name_search_pages_through_every_match(seeded: Aws, lambda_context: Any) -> None:
    bookings = load_function("bookings")
    numbers = {
        book(lambda_context, customer={"last_name": "Müller"})["order_number"] for _ in range(3)
    }

    def page(**query: str) -> dict[str, Any]:
        event = with_query(load_event("bookings/search_orders.json"), q="muller", **query)
        response = bookings.handler(event, lambda_context)
        assert response["statusCode"] == 200, response["body"]
        answer: dict[str, Any] = body_of(response)
        return answer

    first = page(limit="2")
    second = page(limit="2", cursor=first["next_cursor"])
    everything = page()

    assert len(first["orders"]) == 2
    assert first["next_cursor"]
    assert {o["order_number"] for o in first["orders"] + second["orders"]} == numbers
    assert len(everything["orders"]) == 3
    assert everything["next_cursor"] is None
    bad = bookings.handler(
        with_query(load_event("bookings/search_orders.json"), q="muller", cursor="x"),
        lambda_context,
    )
    assert bad["statusCode"] == 422
    assert [e["field"] for e in body_of(bad)["errors"]] == ["cursor"]

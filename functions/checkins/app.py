"""Check-in at the entrance: one scanned ticket, or a whole order at once."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ticketing import clock
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.api.caller import caller
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.services import checkins, orders

app = make_resolver()
order_store = DynamoOrderStore()
event_store = DynamoEventStore()


class Scan(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")

    secret: str = Field(min_length=1, max_length=200, description="The ticket's QR content")


@app.post(
    "/checkins",
    summary="Check in one scanned ticket",
    responses={
        200: {"description": "The ticket, now checked in"},
        404: {"description": "No ticket with this secret"},
        409: {"description": "Checked in before, or check-in is not open (the reason says)"},
    },
)
def scan(body: Scan) -> dict[str, Any]:
    result = checkins.check_in(order_store, clock.current(), caller(app), body.secret, event_store)
    return {
        "order_number": result.order.order_number,
        "position_id": result.position.position_id,
        "holder": result.position.holder_name,
        "type": result.position.price_option_name,
        "checked_in_at": result.checked_in_at.isoformat(),
        "payment_status": result.order.payment_status,
        "unpaid": result.unpaid,
    }


@app.post("/orders/<order_number>/checkins", summary="Check in every position of an order")
def check_in_order(order_number: str) -> dict[str, Any]:
    principal = caller(app)
    order = orders.owned_order(order_store, principal, order_number)
    fresh, done = checkins.check_in_order(
        order_store, clock.current(), principal, order, event_store
    )
    return {
        "order_number": fresh.order_number,
        "checked_in_now": done,
        "positions": [
            {
                "id": p.position_id,
                "checked_in_at": p.checked_in_at.isoformat() if p.checked_in_at else None,
            }
            for p in fresh.positions
        ],
        "unpaid": fresh.payment_status != "paid",
    }


handler = lambda_handler(app)

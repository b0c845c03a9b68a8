"""The event's dashboard figures (issue 13): flat attributes of the event item for bookings,
sharded counter items in the event's partition for check-ins.

Flat names, not a map: ``ADD`` creates a missing number at zero, so the booking's update
raises ``figure_tickets_<price option>`` on any event, whereas ``SET figures.day...`` fails on
an item without the map (and a map created in the same expression overlaps the path). Money
is kept as a whole number of cents (hundredths, as the contract's two-decimal amounts), so
``ADD`` adds exactly; a string could not be added to in the write.

| attribute                        | type | raised by                                      |
|----------------------------------|------|------------------------------------------------|
| ``figure_kept``                  | BOOL | written with the event: its figures are whole  |
| ``figure_orders_<option>``       | N    | the booking transaction (with ``sold``)        |
| ``figure_tickets_<option>``      | N    | the booking transaction, by the order's tickets |
| ``figure_cents_<option>``        | N    | the booking transaction, by the order's total   |

Readers of the event model never see them (adapters/records.py leaves ``figure_`` out).

Check-ins are not counted on the event item: at an entrance many scanners check in at once, and
concurrent transactions on one item cancel each other (``TransactionConflict``). Each check-in
transaction ADDs the positions it marks to ``count`` of one of ``keys.CHECK_IN_SHARDS`` items
``EVENT#<id>`` / ``CHECKINS#<shard>``, drawn at random (again on each try), so no item takes
more than a sixteenth of the scans; the dashboard sums them with one query. The count rides in
the transaction of the conditional mark, so a position is counted once whatever the retries.
"""

from __future__ import annotations

import secrets
import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Item, Table, Update, Write
from ticketing.domain.figures import EventFigures, OptionFigures
from ticketing.domain.money import to_cents

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.domain.orders import Order

PREFIX = "figure_"
KEPT = "figure_kept"
COUNT = "count"  # the check-in shard's number of positions checked in
_ORDERS, _TICKETS, _CENTS = "figure_orders_", "figure_tickets_", "figure_cents_"
ATTEMPTS = 3


def cents(amount: Decimal) -> int:
    return int(to_cents(amount) * 100)


def with_booking(reserve: Update, order: Order) -> Update:
    """The event's update in the booking transaction, raising the order's price option too
    (one transaction may write the event item only once)."""
    option = order.price_option
    return Update(
        reserve.key,
        f"{reserve.expression} ADD #f_orders :f_one, #f_tickets :f_tickets, #f_cents :f_cents",
        condition=reserve.condition,
        names={
            **(reserve.names or {}),
            "#f_orders": _ORDERS + option,
            "#f_tickets": _TICKETS + option,
            "#f_cents": _CENTS + option,
        },
        values={
            **(reserve.values or {}),
            ":f_one": 1,
            ":f_tickets": order.quantity,
            ":f_cents": cents(order.total),
        },
    )


def checked_in(event_id: str, positions: int, shard: int | None = None) -> Update:
    """A check-in counter of the event (a shard at random), raised by the positions marked;
    ``ADD`` creates the item at zero."""
    on = secrets.randbelow(keys.CHECK_IN_SHARDS) if shard is None else shard
    return Update(
        keys.event_check_ins(event_id, on),
        "ADD #count :n",
        names={"#count": COUNT},
        values={":n": positions},
    )


def transact(table: Table, ops: Sequence[Write], event_id: str, positions: int) -> None:
    """A check-in's transaction: ``ops`` (the mark first) and the event's check-in counter on
    a shard drawn for each try, tried again when a concurrent transaction on one of its items
    (another scanner) cancelled it; the mark's condition makes a second try count nothing
    twice."""
    for attempt in range(ATTEMPTS):
        try:
            table.transact([*ops, checked_in(event_id, positions)])
            return
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code != "TransactionCanceledException" or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.01 * (attempt + 1))


def read(item: Item, check_ins: Sequence[Item] = ()) -> EventFigures | None:
    """The figures of an event item and its check-in shards; None when it was written before
    they were kept."""
    if not item.get(KEPT):
        return None
    counted: dict[str, dict[str, Any]] = {}
    for name, value in item.items():
        for prefix, figure in ((_ORDERS, "orders"), (_TICKETS, "tickets"), (_CENTS, "cents")):
            if name.startswith(prefix):
                counted.setdefault(name[len(prefix) :], {})[figure] = int(value)
    options = {
        option: OptionFigures(
            orders=row.get("orders", 0),
            tickets=row.get("tickets", 0),
            revenue=Decimal(row.get("cents", 0)).scaleb(-2),
        )
        for option, row in counted.items()
    }
    checked = sum(int(shard.get(COUNT, 0)) for shard in check_ins)
    return EventFigures(options=options, checked_in=checked)

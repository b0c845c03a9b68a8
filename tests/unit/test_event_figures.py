"""The event's dashboard attributes and check-in counters (adapters/event_figures.py), without
DynamoDB."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import pytest
from botocore.exceptions import ClientError

from tests.fakes import samples
from ticketing.adapters import event_figures, keys
from ticketing.adapters.dynamo import ConditionFailed, Table, Update
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.events import Event
from ticketing.domain.figures import EventFigures, OptionFigures


class Busy:
    """A table whose first transactions a concurrent transaction on one of their items
    cancelled; it keeps what each try wrote."""

    def __init__(self, conflicts: int, refuse: bool = False) -> None:
        self.conflicts, self.refuse, self.calls = conflicts, refuse, 0
        self.tries: list[list[Any]] = []

    def transact(self, ops: Any) -> None:
        self.calls += 1
        self.tries.append(list(ops))
        if self.refuse:
            raise ConditionFailed(["ConditionalCheckFailed", None])
        if self.calls <= self.conflicts:
            raise ClientError(
                {"Error": {"Code": "TransactionCanceledException", "Message": "conflict"}},
                "TransactWriteItems",
            )


MARK = Update({"PK": "ORDER#1", "SK": "POSITIONS#000"}, "SET x = :at", "attribute_not_exists(x)")


def test_a_check_in_cancelled_by_a_concurrent_one_is_tried_again_on_a_fresh_shard() -> None:
    busy = Busy(conflicts=2)
    event_figures.transact(cast(Table, busy), [MARK], "evt_1", 2)
    assert busy.calls == 3
    for ops in busy.tries:  # the mark first, then one counter; never the event item
        assert ops[0] is MARK
        assert len(ops) == 2
        counter = ops[1]
        assert counter.key["PK"] == "EVENT#evt_1"
        assert counter.key["SK"] in {f"CHECKINS#{n}" for n in range(16)}
        assert (counter.expression, counter.condition) == ("ADD #count :n", None)
        assert (counter.names, counter.values) == ({"#count": "count"}, {":n": 2})


def test_the_check_ins_spread_over_sixteen_shards() -> None:
    drawn = {event_figures.checked_in("evt_1", 1).key["SK"] for _ in range(2000)}
    assert drawn == {f"CHECKINS#{n}" for n in range(keys.CHECK_IN_SHARDS)}
    assert keys.CHECK_IN_SHARDS == 16
    assert event_figures.checked_in("evt_1", 1, shard=7).key == keys.event_check_ins("evt_1", 7)


def test_a_refused_condition_is_not_tried_again_and_conflicts_end() -> None:
    refused = Busy(0, refuse=True)
    with pytest.raises(ConditionFailed):
        event_figures.transact(cast(Table, refused), [MARK], "evt_1", 1)
    assert refused.calls == 1
    busy = Busy(conflicts=5)
    with pytest.raises(ClientError):
        event_figures.transact(cast(Table, busy), [MARK], "evt_1", 1)
    assert busy.calls == event_figures.ATTEMPTS


def test_the_booking_update_adds_the_price_options_figures_in_cents() -> None:
    event = samples.a_fair()
    order = samples.an_order(event, 3).model_copy(update={"total": Decimal("75.005")})
    reserve = Update({"PK": "EVENT#x", "SK": "EVENT"}, "SET #sold = :q", "c", {"#sold": "sold"})
    update = event_figures.with_booking(reserve, order)
    assert update.expression.startswith("SET #sold = :q ADD ")
    assert update.condition == "c"
    assert update.names is not None
    assert update.values is not None
    assert update.names["#f_cents"] == "figure_cents_day"
    assert (update.values[":f_tickets"], update.values[":f_cents"]) == (3, 7501)


def test_the_figures_are_read_from_the_item_and_left_out_of_the_event() -> None:
    event = samples.a_fair()
    item = {
        **to_item(event, "event", PK="EVENT#x", SK="EVENT"),
        "figure_kept": True,
        "figure_orders_day": Decimal(2),
        "figure_tickets_day": Decimal(4),
        "figure_cents_day": Decimal(10050),
    }
    shards = [
        {"PK": "EVENT#x", "SK": "CHECKINS#0", "count": Decimal(2)},
        {"PK": "EVENT#x", "SK": "CHECKINS#13", "count": Decimal(1)},
    ]
    assert from_item(Event, item) == event
    assert event_figures.read(item, shards) == EventFigures(
        {"day": OptionFigures(2, 4, Decimal("100.50"))}, 3
    )
    assert event_figures.read(item) == EventFigures(
        {"day": OptionFigures(2, 4, Decimal("100.50"))}, 0
    )
    del item["figure_kept"]
    assert event_figures.read(item, shards) is None

"""``Table.get_many`` on moto: 100 keys a call, every key once, unprocessed keys asked again.

Moto never leaves keys unprocessed, so those tests put a client in front of moto that holds
keys back the way DynamoDB does when a call reads too much."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Aws
from ticketing.adapters import dynamo
from ticketing.adapters.dynamo import Put, Table
from ticketing.adapters.keys import Key
from ticketing.adapters.mail_keys import suppression


def key(n: int) -> Key:
    return {"PK": f"THING#{n:04d}", "SK": "X"}


def stored(table: Table, count: int) -> list[Key]:
    for n in range(count):
        table.write(Put({**key(n), "n": n}))
    return [key(n) for n in range(count)]


class HoldingBack:
    """Moto's client, except that ``batch_get_item`` hands the last ``held`` keys of each of
    its first ``times`` answers back as UnprocessedKeys instead of reading them."""

    def __init__(self, client: Any, held: int, times: int) -> None:
        self._client = client
        self.held = held
        self.times = times
        self.asked: list[int] = []  # keys per call

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        ((table, request),) = RequestItems.items()
        self.asked.append(len(request["Keys"]))
        if len(self.asked) > self.times:
            return dict(self._client.batch_get_item(RequestItems=RequestItems))
        read, held = request["Keys"][: -self.held], request["Keys"][-self.held :]
        answer: dict[str, Any] = {"Responses": {table: []}}
        if read:
            answer = self._client.batch_get_item(RequestItems={table: {**request, "Keys": read}})
        return {**answer, "UnprocessedKeys": {table: {**request, "Keys": held}}}


@pytest.fixture
def no_pause(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    pauses: list[float] = []
    monkeypatch.setattr("ticketing.adapters.dynamo.time.sleep", pauses.append)
    return pauses


def test_every_stored_item_comes_back_and_missing_ones_are_left_out(aws: Aws) -> None:
    table = Table()
    wanted = stored(table, 3)
    found = table.get_many([*wanted, key(999)])
    assert sorted(i["n"] for i in found) == [0, 1, 2]


def test_no_keys_make_no_call(aws: Aws) -> None:
    table = Table(client=HoldingBack(Table().client, held=1, times=1))  # type: ignore[arg-type]
    assert table.get_many([]) == []
    assert table.client.asked == []  # type: ignore[attr-defined]


def test_more_than_100_keys_are_read_100_a_call_and_each_key_once(aws: Aws) -> None:
    client = HoldingBack(Table().client, held=1, times=0)
    table = Table(client=client)  # type: ignore[arg-type]
    wanted = stored(Table(), 250)
    found = table.get_many([*wanted, *wanted[:10]])  # DynamoDB refuses a key twice in a call
    assert sorted(i["n"] for i in found) == list(range(250))
    assert client.asked == [100, 100, 50]


def test_keys_left_unprocessed_are_asked_again_after_a_growing_pause(
    aws: Aws, no_pause: list[float]
) -> None:
    client = HoldingBack(Table().client, held=7, times=3)
    table = Table(client=client)  # type: ignore[arg-type]
    wanted = stored(Table(), 20)
    found = table.get_many(wanted)
    assert sorted(i["n"] for i in found) == list(range(20))
    assert client.asked == [20, 7, 7, 7]  # the held keys, and only they, asked again
    assert len(no_pause) == 3
    assert all(0 <= p <= 0.05 * 2**i for i, p in enumerate(no_pause))


def test_keys_never_processed_are_an_error_not_missing_items(
    aws: Aws, no_pause: list[float]
) -> None:
    client = HoldingBack(Table().client, held=1, times=100)
    table = Table(client=client)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="unprocessed"):
        table.get_many(stored(Table(), 2))
    assert len(client.asked) == dynamo.BATCH_GET_ATTEMPTS


def test_both_stores_read_through_get_many(aws: Aws, no_pause: list[float]) -> None:
    from ticketing.adapters.invitation_store import DynamoInvitationStore
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore

    client = HoldingBack(Table().client, held=1, times=1)
    table = Table(client=client)  # type: ignore[arg-type]
    for address in ("a@example.org", "b@example.org"):
        Table().write(Put({**suppression(address), "address": address, "reason": "bounce"}))
    suppressed = DynamoInvitationStore(table).suppressed(["a@example.org", "b@example.org"])
    assert suppressed == {"a@example.org": "bounce", "b@example.org": "bounce"}
    assert client.asked == [2, 1]
    assert DynamoVisitorVoucherStore(table).get_vouchers(["NOPE", "NOPE"]) == {}
    assert client.asked[-1] == 1

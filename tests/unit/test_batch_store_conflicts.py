"""Parallel writers all add to one batch item: a transaction DynamoDB cancels for a conflict
is tried again after a short pause; a refused condition is not (issue 12, item 2)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from ticketing.adapters import voucher_batch_store
from ticketing.adapters.dynamo import ConditionFailed


def cancelled(*codes: str) -> ClientError:
    response: Any = {
        "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
        "CancellationReasons": [{"Code": code} for code in codes],
    }
    return ClientError(response, "TransactWriteItems")


class Table:
    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls = 0

    def transact(self, writes: Any) -> None:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voucher_batch_store.time, "sleep", lambda _: None)


def test_a_conflict_is_tried_again() -> None:
    table = Table(
        cancelled("TransactionConflict", "None"), cancelled("None", "TransactionConflict")
    )
    voucher_batch_store._transact_retrying(table, [])  # type: ignore[arg-type]
    assert table.calls == 3


def test_a_refused_condition_or_endless_conflicts_are_raised() -> None:
    refused = Table(ConditionFailed(["ConditionalCheckFailed"]))
    with pytest.raises(ConditionFailed):
        voucher_batch_store._transact_retrying(refused, [])  # type: ignore[arg-type]
    assert refused.calls == 1
    endless = Table(*(cancelled("TransactionConflict") for _ in range(20)))
    with pytest.raises(ClientError):
        voucher_batch_store._transact_retrying(endless, [])  # type: ignore[arg-type]
    assert endless.calls == voucher_batch_store.CONFLICT_ATTEMPTS

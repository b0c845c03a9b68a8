"""DynamoDB limits that moto does not enforce, enforced by our own code."""

from __future__ import annotations

import pytest

from ticketing.adapters.dynamo import MAX_BATCH_WRITE, chunks


def test_batch_writes_are_cut_into_25_items() -> None:
    sizes = [len(c) for c in chunks(list(range(101)))]
    assert sizes == [25, 25, 25, 25, 1]


def test_a_batch_larger_than_dynamodb_allows_is_refused() -> None:
    with pytest.raises(ValueError, match="1 to 25"):
        list(chunks([1, 2, 3], size=MAX_BATCH_WRITE + 1))

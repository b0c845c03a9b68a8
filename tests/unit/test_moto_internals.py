"""moto is pinned below its next major, and what ``moto_fast`` patches is checked on every run:
a moto release that moves one of those internals fails here, by name, not as a slow or wrong
local stack later."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from ticketing_local import moto_fast

ROOT = Path(__file__).resolve().parents[2]


def test_moto_is_pinned_below_its_next_major_version() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pin = re.search(r'"moto\[server\]([^"]*)"', pyproject)
    assert pin is not None, "pyproject.toml no longer depends on moto[server]"
    assert "<6" in pin.group(1), f"moto[server]{pin.group(1)} is not pinned below moto 6"


def test_every_moto_internal_that_moto_fast_relies_on_is_where_it_expects_it() -> None:
    # raises MotoChanged naming each internal that moved or changed its parameters
    moto_fast.check_internals()


def test_a_moved_internal_fails_loudly_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.dynamodb.models.table import Table

    # as if a moto release had renamed the query's index parameter
    def query(self: object, hash_key: object, index: object = None) -> None: ...

    monkeypatch.setitem(moto_fast._originals, "moto.dynamodb.models.table:Table.query", query)
    monkeypatch.delattr(Table, "all_items")
    with pytest.raises(moto_fast.MotoChanged) as changed:
        moto_fast.check_internals()
    message = str(changed.value)
    assert "Table.query no longer takes index_name" in message
    assert "Table.all_items is gone" in message
    assert "moto_fast.py" in message


def test_a_table_keeps_its_items_by_partition_as_moto_fast_reads_them() -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    table = Table(
        "t",
        account_id="123456789012",
        region="eu-central-1",
        schema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        attr=[
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
        ],
    )
    assert (table.hash_key_attr, table.range_key_attr) == ("PK", "SK")
    assert isinstance(table.items, defaultdict)
    table.put_item({"PK": {"S": "a"}, "SK": {"S": "1"}, "n": {"N": "1"}})
    partition = table.items[DynamoType({"S": "a"})]
    assert list(partition) == [DynamoType({"S": "1"})]


def test_a_table_describes_its_indexes_as_moto_index_reads_them() -> None:
    from moto.dynamodb.models.table import Table

    from ticketing_local import moto_index

    strings = ("PK", "SK", "GPK", "GSK")
    table = Table(
        "t",
        account_id="123456789012",
        region="eu-central-1",
        schema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        attr=[{"AttributeName": n, "AttributeType": "S"} for n in strings],
        global_indexes=[
            {
                "IndexName": "G",
                "KeySchema": [
                    {"AttributeName": "GPK", "KeyType": "HASH"},
                    {"AttributeName": "GSK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    (index,) = table.all_indexes()
    assert index in table.global_indexes
    assert (index.name, index.schema[0]["AttributeName"]) == ("G", "GPK")
    # moto sorts an index query by these attributes; moto_index keeps its lists in that order
    assert table._generate_attr_to_sort_by(["GPK", "PK"], ["GSK", "SK"]) == [
        "GPK",
        "GSK",
        "PK",
        "SK",
    ]
    item = table.put_item(
        {"PK": {"S": "a"}, "SK": {"S": "1"}, "GPK": {"S": "g"}, "GSK": {"S": "x"}}
    )
    assert (item.hash_key.cast_value, item.range_key.cast_value) == ("a", "1")
    moto_index.sync(table, item.hash_key, item.range_key)
    assert moto_index._state(table).indexes["G"].partitions == {"g": [("g", "x", "a", "1")]}

"""Secondary indexes on moto at DynamoDB's cost: a query reads its index partition's page.

moto answers a query on a GSI or LSI by walking every item of the table. Here each table keeps,
per index, its partitions as sorted lists of sort keys, updated on every put, update and delete
(transactions and batch writes go through those). A query bisects to its page and hands moto
only that window: the page, plus the one item after it that makes moto report
``LastEvaluatedKey``. moto itself then sorts, compares the sort key, pages, projects and counts
exactly as it would have on the whole table, so answers stay moto's own.

What this does not model falls back to moto's walk (correct, just slow): multi-attribute index
keys, ``begins_with`` on anything but a string, an ``ExclusiveStartKey`` missing a key
attribute, a query with legacy ``QueryFilter`` arguments. One difference is left: a page
without ``Limit`` that nears moto's 1 MB page size, where moto's walk may stop on a large item
past the sort key range that the window no longer holds.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# For tests that compare with moto's own answers: False sends every index query to moto's walk.
ENABLED = True

_STATE = "_ticketing_index_state"  # the attribute this module keeps on each moto Table

SortKey = tuple[Any, ...]  # the values of moto's sort attributes, in moto's order


@dataclass
class _Index:
    """One index of one table: its partitions, each a sorted list of sort keys."""

    hash_attr: str
    range_attr: str | None  # the index's own sort key; None when it has none
    sort_attrs: list[str]  # moto's order: index hash, index range, table hash, table range
    partitions: dict[Any, list[SortKey]] = field(default_factory=dict)
    items: dict[SortKey, Any] = field(default_factory=dict)  # sort key -> moto Item
    where: dict[tuple[Any, Any], tuple[Any, SortKey]] = field(default_factory=dict)

    def member_key(self, item: Any) -> tuple[Any, SortKey] | None:
        """(partition, sort key) of ``item`` in this index, None if the index leaves it out."""
        attrs = item.attrs
        for name in self.sort_attrs:
            value = attrs.get(name)
            if not value or value.type not in ("S", "N", "B"):
                return None  # sparse: without every key attribute an item is not indexed
        return attrs[self.hash_attr].cast_value, tuple(
            attrs[name].cast_value for name in self.sort_attrs
        )

    def remove(self, primary: tuple[Any, Any]) -> None:
        placed = self.where.pop(primary, None)
        if placed is None:
            return
        partition_value, key = placed
        keys = self.partitions[partition_value]
        del keys[bisect.bisect_left(keys, key)]
        del self.items[key]
        if not keys:
            del self.partitions[partition_value]

    def add(self, primary: tuple[Any, Any], item: Any) -> None:
        placed = self.member_key(item)
        if placed is None:
            return
        partition_value, key = placed
        bisect.insort(self.partitions.setdefault(partition_value, []), key)
        self.items[key] = item
        self.where[primary] = placed


@dataclass
class _State:
    items_ref: Any  # the table's ``items`` this state mirrors (a restore replaces it)
    signature: tuple[Any, ...]
    indexes: dict[str, _Index]


def _signature(table: Any) -> tuple[Any, ...]:
    return tuple(
        (index.name, tuple((k["AttributeName"], k["KeyType"]) for k in index.schema))
        for index in table.all_indexes()
    )


def _index_of(table: Any, index: Any) -> _Index | None:
    """moto's sort order for ``index``, built as moto's query builds it; None if unsupported."""
    hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
    ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
    if len(hashes) != 1 or len(ranges) > 1:
        return None  # multi-attribute keys: moto's walk
    if ranges:
        range_attrs: list[str | None] = [ranges[0], table.range_key_attr]
    elif index in table.global_indexes and table.range_key_attr:
        range_attrs = [table.range_key_attr, table.range_key_attr]
    else:
        range_attrs = [table.hash_key_attr, table.range_key_attr]
    sort_attrs = table._generate_attr_to_sort_by([hashes[0], table.hash_key_attr], range_attrs)
    return _Index(hashes[0], ranges[0] if ranges else None, sort_attrs)


def _state(table: Any) -> _State:
    state: _State | None = getattr(table, _STATE, None)
    signature = _signature(table)
    if state is not None and state.items_ref is table.items and state.signature == signature:
        return state
    # first use, or moto replaced the items (a restore) or the indexes (update_table): rebuild
    indexes = {
        index.name: built
        for index in table.all_indexes()
        if (built := _index_of(table, index)) is not None
    }
    state = _State(table.items, signature, indexes)
    for item in table.all_items():
        for built in indexes.values():
            built.add(_primary(item.hash_key, item.range_key), item)
    setattr(table, _STATE, state)
    return state


def _primary(hash_value: Any, range_value: Any) -> tuple[Any, Any]:
    return hash_value.cast_value, (range_value.cast_value if range_value is not None else None)


def sync(table: Any, hash_value: Any, range_value: Any) -> None:
    """Bring every index of ``table`` in step with the item at this key (or its absence)."""
    state = _state(table)
    if not state.indexes:
        return
    partition = table.items.get(hash_value)
    item = partition if table.range_key_attr is None else (partition or {}).get(range_value)
    primary = _primary(hash_value, range_value)
    for built in state.indexes.values():
        built.remove(primary)
        if item is not None:
            built.add(primary, item)


@dataclass(frozen=True)
class IndexQuery:
    """What of a query on an index decides its window (moto's own parameter names)."""

    index_name: str
    range_comparison: str | None
    range_objs: list[Any]
    limit: int | None
    exclusive_start_key: dict[str, Any] | None
    scan_index_forward: bool
    hash_key_conditions: list[tuple[str, Any]]
    range_key_conditions: list[Any]
    filter_kwargs: dict[str, Any]


def window(table: Any, query: IndexQuery) -> list[Any] | None:
    """The items moto must see to answer ``query`` as its walk would; None: let moto walk."""
    if not ENABLED or query.filter_kwargs or len(query.range_key_conditions) > 1:
        return None
    built = _state(table).indexes.get(query.index_name)
    if built is None or len(query.hash_key_conditions) != 1:
        return None
    name, value = query.hash_key_conditions[0]
    if name != built.hash_attr:
        return None
    keys = built.partitions.get(value.cast_value, [])
    bounds = _range_bounds(keys, built, query)
    if bounds is None:
        return None
    low, high = bounds
    start = query.exclusive_start_key
    if start:
        if any(name not in start for name in built.sort_attrs):
            return None
        from moto.dynamodb.models.dynamo_type import DynamoType

        after = tuple(DynamoType(start[name]).cast_value for name in built.sort_attrs)
        if query.scan_index_forward:
            low = max(low, bisect.bisect_right(keys, after))
        else:
            high = min(high, bisect.bisect_left(keys, after))
    # moto reports LastEvaluatedKey when it meets one more item after a full page
    if query.scan_index_forward:
        end = high if query.limit is None else min(high, low + query.limit)
        chosen = keys[low : end + 1]
    else:
        begin = low if query.limit is None else max(low, high - query.limit)
        chosen = keys[max(begin - 1, 0) : high]
    return [built.items[key] for key in chosen]


def _range_bounds(keys: list[SortKey], built: _Index, query: IndexQuery) -> tuple[int, int] | None:
    """Positions [low, high) of ``keys`` whose index sort key meets the key condition."""
    comparison = query.range_comparison
    if comparison is None:
        return 0, len(keys)
    names = [condition[0] for condition in query.range_key_conditions]
    if built.range_attr is None or names not in ([], [built.range_attr]):
        return None  # moto refuses a sort key condition without a sort key; let it say so
    values = [v.cast_value for v in query.range_objs]

    def left(value: Any) -> int:
        return bisect.bisect_left(keys, value, key=_sort_value)

    def right(value: Any) -> int:
        return bisect.bisect_right(keys, value, key=_sort_value)

    bounds: dict[str, Callable[[], tuple[int, int]]] = {
        "=": lambda: (left(values[0]), right(values[0])),
        "<": lambda: (0, left(values[0])),
        "<=": lambda: (0, right(values[0])),
        ">": lambda: (right(values[0]), len(keys)),
        ">=": lambda: (left(values[0]), len(keys)),
        "BETWEEN": lambda: (left(values[0]), right(values[1])),
    }
    comparison = _ALIASES.get(comparison.upper(), comparison.upper())
    if comparison == "BEGINS_WITH":
        prefix = values[0]
        if not isinstance(prefix, str) or not prefix or prefix[-1] == chr(0x10FFFF):
            return None
        # the strings that start with "ab" are those from "ab" up to, not including, "ac"
        return left(prefix), left(prefix[:-1] + chr(ord(prefix[-1]) + 1))
    choose = bounds.get(comparison)
    return choose() if choose is not None else None


_ALIASES = {"EQ": "=", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}


def _sort_value(key: SortKey) -> Any:
    return key[1]  # moto's second sort attribute is the index's sort key

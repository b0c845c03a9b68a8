"""moto's per-item work at DynamoDB's cost: each expression parsed once, each item sized once.

Two things dominate moto's CPU in a 100-item transaction, and neither is work DynamoDB's
caller waits for in proportion:

- every condition is parsed three times per item (moto's request validation, the check, the
  write), although a batch sends the same ``attribute_not_exists(PK)`` a hundred times. Here a
  parse is kept by what its syntax tree depends on: the expression, the names, and the values
  of the placeholders the expression uses (moto's own ``expr_attr_values_found``). The tree is
  parsed from private copies and evaluating it changes nothing (moto's operators only read
  the item), so sharing it is safe. Unused values, or values that change per call for the
  other half of a transaction (an update's ``:at``), do not split the cache.
- an item's 400 KB check recomputes the whole item's size for each attribute it sets, O(n²)
  in attributes. Sizes only add up, so checking the total once refuses exactly the items that
  moto refuses, with the same error.
"""

from __future__ import annotations

import copy
from typing import Any

_MAX_ENTRIES = 20_000  # a cache that only grows: cleared when full (a miss is always correct)
_used: dict[tuple[str, Any], tuple[str, ...]] = {}  # (expression, names) -> value names used
_trees: dict[tuple[str, Any, Any], tuple[Any, tuple[str, ...], tuple[str, ...]]] = {}
_originals: dict[str, Any] = {}


def install() -> None:
    """Patch moto's condition parser and item constructor (idempotent)."""
    from moto.dynamodb.comparisons import ConditionExpressionParser
    from moto.dynamodb.models.dynamo_type import Item

    if _originals:
        return
    _originals["parse"] = ConditionExpressionParser.parse
    _originals["item_init"] = Item.__init__
    ConditionExpressionParser.parse = _parse  # type: ignore[method-assign]
    Item.__init__ = _item_init  # type: ignore[method-assign]


def uninstall() -> None:
    """moto's own parser and constructor again (tests compare the two)."""
    from moto.dynamodb.comparisons import ConditionExpressionParser
    from moto.dynamodb.models.dynamo_type import Item

    if not _originals:
        return
    ConditionExpressionParser.parse = _originals.pop("parse")  # type: ignore[method-assign]
    Item.__init__ = _originals.pop("item_init")  # type: ignore[method-assign]
    clear()


def clear() -> None:
    _used.clear()
    _trees.clear()


def _frozen(mapping: dict[str, Any] | None) -> Any:
    return None if not mapping else repr(sorted(mapping.items()))


def _parse(self: Any) -> Any:
    """``ConditionExpressionParser.parse``, answered from the cache where moto's answer must
    be the same; moto's own parse (on copies) otherwise, whose errors are not kept."""
    original = _originals["parse"]
    expression = self.condition_expression
    if not expression:
        return original(self)
    values = self.expression_attribute_values or {}
    shape = (expression, _frozen(self.expression_attribute_names))
    used = _used.get(shape)
    if used is not None and all(name in values for name in used):
        key = (*shape, repr([values[name] for name in used]))
        hit = _trees.get(key)
        if hit is not None:
            tree, names_found, values_found = hit
            self.expr_attr_names_found.extend(names_found)
            self.expr_attr_values_found.extend(values_found)
            return tree
    fresh = type(self)(
        expression,
        copy.deepcopy(self.expression_attribute_names),
        copy.deepcopy(self.expression_attribute_values),
    )
    tree = original(fresh)  # moto's error, if any, is the caller's
    self.expr_attr_names_found.extend(fresh.expr_attr_names_found)
    self.expr_attr_values_found.extend(fresh.expr_attr_values_found)
    if len(_trees) >= _MAX_ENTRIES:
        clear()
    used = tuple(dict.fromkeys(fresh.expr_attr_values_found))
    _used[shape] = used
    key = (*shape, repr([values[name] for name in used]))
    _trees[key] = (tree, tuple(fresh.expr_attr_names_found), tuple(fresh.expr_attr_values_found))
    return tree


def _item_init(self: Any, hash_key: Any, range_key: Any, attrs: dict[str, Any]) -> None:
    """moto's ``Item.__init__`` with its size limit checked once for the whole item."""
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import DynamoType, LimitedSizeDict
    from moto.dynamodb.models.utilities import bytesize

    self.hash_key = hash_key
    self.range_key = range_key
    converted = {key: DynamoType(value) for key, value in attrs.items()}
    # moto's check, as it stands after the last attribute (the largest of its partial sums)
    if sum(bytesize(key) + value.size() for key, value in converted.items()) > 405000:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()
    dict.update(self.attrs, converted)  # later sets (updates) still go through moto's check

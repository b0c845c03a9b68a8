"""DynamoDB on moto at DynamoDB's cost: transactions O(items), queries O(partition).

moto's ``transact_write_items`` deep-copies every table it touches before it starts (its
rollback plan), so a 3-item transaction costs ~0.8 s on a 10,000-item table. Here the same
semantics are had without the copy: every condition is checked first, then every write is
applied, and should a write fail part-way, the few items already written are put back.

Callers must serialize calls into moto (the local stack does, with one lock); then nothing can
change between the check and the writes, which is what makes DynamoDB transactions atomic.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

_PATCHED = False


def install() -> None:
    """Replace moto's transact_write_items with the two-phase version (idempotent)."""
    global _PATCHED
    if _PATCHED:
        return
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    original_query = Table.query

    index_position = list(inspect.signature(original_query).parameters).index("index_name") - 2

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        # moto finds a partition's items by walking every item of the table; DynamoDB reads
        # the partition. A base-table query sees only its partition here. moto passes the
        # index by position, so read it from wherever it came.
        index_name = kwargs.get("index_name")
        if index_name is None and len(args) > index_position:
            index_name = args[index_position]
        if index_name or hash_key is None:
            return original_query(self, hash_key, *args, **kwargs)
        return original_query(_Partition(self, hash_key), hash_key, *args, **kwargs)  # type: ignore[arg-type]

    Table.query = query  # type: ignore[method-assign]
    _PATCHED = True


class _Partition:
    """A table seen through one partition: ``all_items`` yields that partition only."""

    def __init__(self, table: Any, hash_key: Any) -> None:
        self._table = table
        self._hash_key = hash_key

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def all_items(self) -> Any:
        if self._hash_key not in self._table.items:  # items is a defaultdict: don't create
            return iter(())
        partition = self._table.items[self._hash_key]
        if self._table.range_key_attr is None:
            return iter((partition,))
        return iter(list(partition.values()))


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )
    from moto.dynamodb.models.dynamo_type import DynamoType

    if len(transact_items) > 100:
        raise TooManyTransactionsException()

    planned: list[tuple[str, dict[str, Any], Any, str, dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    reasons: list[tuple[Any, Any, Any]] = []

    # Phase 1: validate and check every condition; nothing is written yet.
    for entry in transact_items:
        if len(entry) != 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise ValueError("Unsupported transaction operation")
        table_name = op["TableName"]
        table = self.get_table(table_name)
        if op_type == "Put":
            attrs = op["Item"]
            key = {table.hash_key_attr: attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs[table.range_key_attr]
        else:
            key = op["Key"]
        marker = (str(table_name), str(dict(sorted(key.items()))))
        if marker in seen:
            raise MultipleTransactionsException()
        seen.add(marker)

        current = self.get_item(table_name, key)
        condition = op.get("ConditionExpression")
        if condition is not None:
            check = get_filter_expression(
                condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            )
            if not check.expr(current):
                old = None
                if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                    old = current.to_json()["Attributes"]
                failed = ConditionalCheckFailed()
                reasons.append(("ConditionalCheckFailed", str(failed.message), old))
                continue
        reasons.append((None, None, None))
        planned.append((op_type, op, table, table_name, key))

    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)

    # Phase 2: apply. Keep a copy of each touched item (not of the tables) to put back.
    backups: list[tuple[Any, Any, Any, Any]] = []
    try:
        for op_type, op, table, table_name, key in planned:
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            backups.append(
                (
                    table,
                    hash_value,
                    range_value,
                    copy.deepcopy(table.get_item(hash_value, range_value)),
                )
            )
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            condition = op.get("ConditionExpression")
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
    except Exception as error:
        _restore(backups)
        failure: list[tuple[Any, Any, Any]] = [(None, None, None)] * len(transact_items)
        failure[len(backups) - 1] = (
            type(error).__name__,
            str(getattr(error, "message", error)),
            None,
        )
        raise TransactionCanceledException(failure) from error


def _restore(backups: list[tuple[Any, Any, Any, Any]]) -> None:
    for table, hash_value, range_value, old in reversed(backups):
        if old is None:
            table.delete_item(hash_value, range_value)
        elif range_value is not None:
            table.items[hash_value][range_value] = old
        else:
            table.items[hash_value] = old

"""DynamoDB on moto at DynamoDB's cost: transactions O(items), queries O(partition or page).

moto's ``transact_write_items`` deep-copies every table it touches before it starts (its
rollback plan), so a 3-item transaction costs ~0.8 s on a 10,000-item table. Here the same
semantics are had without the copy: every condition is checked first, then every write is
applied, and should a write fail part-way, the few items already written are put back.

Callers must serialize calls into moto (the local stack does, with one lock); then nothing can
change between the check and the writes, which is what makes DynamoDB transactions atomic.

A query on the table reads its partition only; a query on a GSI or LSI reads its page of an
index that ``moto_index`` keeps in step with every write.
"""

from __future__ import annotations

import copy
import importlib
import inspect
from dataclasses import dataclass
from typing import Any

from ticketing_local import moto_hot, moto_index, moto_sqs, moto_tokens

_PATCHED = False


@dataclass(frozen=True)
class Internal:
    """A piece of moto this module replaces or calls: where it lives and the parameters it
    must take (``positional`` in this order, ``keywords`` anywhere)."""

    path: str  # "module:Attribute.attribute"
    positional: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


_CONDITION_KEYWORDS = (
    "condition_expression",
    "expression_attribute_names",
    "expression_attribute_values",
)

# Everything of moto's insides that this module relies on. ``install`` checks it before it
# patches, and a unit test checks it on every run: a moto release that moves one of them fails
# loudly, instead of the local stack silently losing DynamoDB's cost or semantics.
RELIED_ON = (
    Internal("moto.dynamodb.responses:DynamoHandler.transact_write_items", ("self",)),
    Internal(
        "moto.dynamodb.models:DynamoDBBackend.transact_write_items", ("self", "transact_items")
    ),
    Internal("moto.dynamodb.models:DynamoDBBackend.get_table", ("self", "table_name")),
    Internal("moto.dynamodb.models:DynamoDBBackend.get_item", ("self", "table_name", "keys")),
    Internal(
        "moto.dynamodb.models:DynamoDBBackend.put_item",
        ("self", "table_name", "item_attrs"),
        _CONDITION_KEYWORDS,
    ),
    Internal(
        "moto.dynamodb.models:DynamoDBBackend.delete_item",
        ("self", "table_name", "key"),
        _CONDITION_KEYWORDS,
    ),
    Internal(
        "moto.dynamodb.models:DynamoDBBackend.update_item",
        ("self", "table_name", "key"),
        ("update_expression", *_CONDITION_KEYWORDS),
    ),
    # moto passes a query's arguments by position; the query patch binds them to these names
    Internal(
        "moto.dynamodb.models.table:Table.query",
        ("self", "hash_key"),
        (
            "index_name",
            "range_comparison",
            "range_objs",
            "limit",
            "exclusive_start_key",
            "scan_index_forward",
            "hash_key_conditions",
            "range_key_conditions",
            "filter_kwargs",
        ),
    ),
    Internal("moto.dynamodb.models.table:Table.get_item", ("self", "hash_key", "range_key")),
    Internal("moto.dynamodb.models.table:Table.put_item", ("self", "item_attrs")),
    Internal("moto.dynamodb.models.table:Table.delete_item", ("self", "hash_key", "range_key")),
    Internal("moto.dynamodb.models.table:Table.all_items", ("self",)),
    Internal("moto.dynamodb.models.table:Table.all_indexes", ("self",)),
    Internal(
        "moto.dynamodb.models.table:Table._generate_attr_to_sort_by",
        ("self", "hash_key_attrs", "range_key_attrs"),
    ),
    Internal("moto.dynamodb.models.dynamo_type:Item.to_json", ("self",)),
    Internal("moto.dynamodb.models.dynamo_type:DynamoType", ("type_as_dict",)),
    Internal("moto.dynamodb.models.dynamo_type:DynamoType.cast_value", ("self",)),
    Internal("moto.dynamodb.comparisons:get_filter_expression", ("expr", "names", "values")),
    Internal("moto.dynamodb.exceptions:TransactionCanceledException", ("errors",)),
    Internal("moto.dynamodb.exceptions:ConditionalCheckFailed"),
    Internal("moto.dynamodb.exceptions:MultipleTransactionsException"),
    Internal("moto.dynamodb.exceptions:TooManyTransactionsException"),
    Internal("moto.dynamodb.exceptions:TransactWriteSingleOpException"),
    # moto_hot: the parse cache and the item's one size check
    Internal(
        "moto.dynamodb.comparisons:ConditionExpressionParser",
        ("condition_expression", "expression_attribute_names", "expression_attribute_values"),
    ),
    Internal("moto.dynamodb.comparisons:ConditionExpressionParser.parse", ("self",)),
    Internal(
        "moto.dynamodb.models.dynamo_type:Item.__init__",
        ("self", "hash_key", "range_key", "attrs"),
    ),
    Internal("moto.dynamodb.models.dynamo_type:LimitedSizeDict"),
    Internal("moto.dynamodb.models.utilities:bytesize", ("val",)),
    Internal("moto.dynamodb.exceptions:ItemSizeTooLarge"),
    # moto_sqs: a send that does not count the queue's messages
    Internal("moto.sqs.models:SQSBackend.send_message", ("self", "queue_name", "message_body")),
    *(Internal(f"moto.sqs.models:Queue.{name}", ("self",)) for name in moto_sqs.COUNTS),
)

# moto's own versions of what install() replaced, so that they can still be checked
_originals: dict[str, Any] = {}


class MotoChanged(RuntimeError):
    """moto no longer has what this module patches (a new moto release moved it)."""


def check_internals() -> None:
    """Raise ``MotoChanged`` naming every internal of ``RELIED_ON`` that moved or changed."""
    from importlib.metadata import version

    problems = [problem for internal in RELIED_ON if (problem := _problem_of(internal))]
    if problems:
        raise MotoChanged(
            f"moto {version('moto')} changed what local/ticketing_local/moto_fast.py patches:\n  "
            + "\n  ".join(problems)
            + "\nAdapt moto_fast.py to it, or pin moto below this version in pyproject.toml."
        )


def _problem_of(internal: Internal) -> str | None:
    try:
        target = _originals.get(internal.path) or _resolve(internal.path)
    except (ImportError, AttributeError) as error:
        return f"{internal.path} is gone ({error})"
    if isinstance(target, property):
        target = target.fget
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return f"{internal.path} has no readable signature"
    parameters = list(signature.parameters)  # of a class: its __init__'s, without self
    if parameters[: len(internal.positional)] != list(internal.positional):
        return (
            f"{internal.path} takes ({', '.join(parameters)}), "
            f"expected it to start with ({', '.join(internal.positional)})"
        )
    missing = [name for name in internal.keywords if name not in parameters]
    if missing:
        return f"{internal.path} no longer takes {', '.join(missing)}"
    return None


def _resolve(path: str) -> Any:
    module_name, _, attributes = path.partition(":")
    target: Any = importlib.import_module(module_name)
    for name in attributes.split("."):
        target = getattr(target, name)
    return target


def install() -> None:
    """Replace moto's transaction and query paths with the fast ones (idempotent)."""
    global _PATCHED
    if _PATCHED:
        return
    check_internals()
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    for path in (
        "moto.dynamodb.models:DynamoDBBackend.transact_write_items",
        "moto.dynamodb.models:DynamoDBBackend.update_item",
        "moto.dynamodb.models.table:Table.query",
        "moto.dynamodb.models.table:Table.put_item",
        "moto.dynamodb.models.table:Table.delete_item",
        "moto.dynamodb.comparisons:ConditionExpressionParser.parse",
        "moto.dynamodb.models.dynamo_type:Item.__init__",
        "moto.sqs.models:SQSBackend.send_message",
        *(f"moto.sqs.models:Queue.{name}" for name in moto_sqs.COUNTS),
    ):
        _originals[path] = _resolve(path)
    moto_hot.install()
    moto_sqs.install()
    moto_tokens.install()
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    Table.query = _fast_query(Table.query)  # type: ignore[method-assign]
    _keep_indexes_in_step(DynamoDBBackend, Table)
    _PATCHED = True


def _fast_query(original_query: Any) -> Any:
    signature = inspect.signature(original_query)

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        # moto finds a partition's items by walking every item of the table; DynamoDB reads
        # the partition. A base-table query sees only its partition here, an index query only
        # its page of the index. moto passes its arguments by position: bind them to names.
        arguments = signature.bind(self, hash_key, *args, **kwargs).arguments
        index_name = arguments.get("index_name")
        if index_name:
            items = moto_index.window(self, _index_query(index_name, arguments))
            if items is None:
                return original_query(self, hash_key, *args, **kwargs)
            return original_query(_Window(self, items), hash_key, *args, **kwargs)
        if hash_key is None:
            return original_query(self, hash_key, *args, **kwargs)
        return original_query(_Partition(self, hash_key), hash_key, *args, **kwargs)

    return query


def _index_query(index_name: str, arguments: dict[str, Any]) -> moto_index.IndexQuery:
    return moto_index.IndexQuery(
        index_name=index_name,
        range_comparison=arguments.get("range_comparison"),
        range_objs=list(arguments.get("range_objs") or []),
        limit=arguments.get("limit"),
        exclusive_start_key=arguments.get("exclusive_start_key"),
        scan_index_forward=arguments.get("scan_index_forward", True) is not False,
        hash_key_conditions=list(arguments.get("hash_key_conditions") or []),
        range_key_conditions=list(arguments.get("range_key_conditions") or []),
        filter_kwargs=dict(arguments.get("filter_kwargs") or {}),
    )


def _keep_indexes_in_step(backend: Any, table_class: Any) -> None:
    """Every write that reaches a table's items updates its indexes: puts and deletes (batch
    writes and transactions included) here, updates (moto edits the item in place) below."""
    original_put = table_class.put_item
    original_delete = table_class.delete_item
    original_update = backend.update_item

    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = original_put(self, *args, **kwargs)
        moto_index.sync(self, item.hash_key, item.range_key)
        return item

    def delete_item(self: Any, hash_key: Any, range_key: Any) -> Any:
        item = original_delete(self, hash_key, range_key)
        moto_index.sync(self, hash_key, range_key)
        return item

    def update_item(self: Any, table_name: str, key: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original_update(self, table_name, key, *args, **kwargs)
        finally:  # also after a failure: moto may have edited the item part-way
            _sync_key(self, table_name, key)

    table_class.put_item = put_item
    table_class.delete_item = delete_item
    backend.update_item = update_item


def _sync_key(backend: Any, table_name: str, key: Any) -> None:
    """``moto_index.sync`` for the item at ``key``; nothing if moto refused the key itself
    (its error is the one the caller must see)."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    try:
        table = backend.get_table(table_name)
    except Exception:  # noqa: BLE001 - no such table: moto has said so already
        return
    names = [table.hash_key_attr, *([table.range_key_attr] if table.range_key_attr else [])]
    if not isinstance(key, dict) or any(name not in key for name in names):
        return
    values = [DynamoType(key[name]) for name in names]
    moto_index.sync(table, values[0], values[1] if len(values) > 1 else None)


class _Window:
    """A table seen through the window of an index query: ``all_items`` yields that only."""

    def __init__(self, table: Any, items: list[Any]) -> None:
        self._table = table
        self._items = items

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def all_items(self) -> Any:
        return iter(self._items)


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


# one write of a transaction: (operation, its request, the table, the table's name, the key)
_Planned = tuple[str, dict[str, Any], Any, str, dict[str, Any]]


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.exceptions import TooManyTransactionsException

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    _apply(self, _plan(self, transact_items))


def _plan(self: Any, transact_items: list[dict[str, Any]]) -> list[_Planned]:
    """Phase 1: validate and check every condition; nothing is written yet."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MultipleTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    planned: list[_Planned] = []
    seen: set[tuple[str, str]] = set()
    reasons: list[tuple[Any, Any, Any]] = []
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
    return planned


def _apply(self: Any, planned: list[_Planned]) -> None:
    """Phase 2: write. Keep a copy of each touched item (not of the tables) to put back."""
    from moto.dynamodb.exceptions import TransactionCanceledException
    from moto.dynamodb.models.dynamo_type import DynamoType

    backups: list[tuple[Any, Any, Any, Any]] = []
    try:
        for op_type, op, table, table_name, key in planned:
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            old = copy.deepcopy(table.get_item(hash_value, range_value))
            backups.append((table, hash_value, range_value, old))
            _write(self, op_type, op, table_name, key)
    except Exception as error:
        _restore(backups)
        # every condition held, so the plan is the transaction, item for item
        failure: list[tuple[Any, Any, Any]] = [(None, None, None)] * len(planned)
        failure[len(backups) - 1] = (
            type(error).__name__,
            str(getattr(error, "message", error)),
            None,
        )
        raise TransactionCanceledException(failure) from error


def _write(self: Any, op_type: str, op: dict[str, Any], table_name: str, key: Any) -> None:
    condition = {
        "condition_expression": op.get("ConditionExpression"),
        "expression_attribute_names": op.get("ExpressionAttributeNames"),
        "expression_attribute_values": op.get("ExpressionAttributeValues"),
    }
    if op_type == "Put":
        self.put_item(table_name, op["Item"], **condition)
    elif op_type == "Delete":
        self.delete_item(table_name, key, **condition)
    elif op_type == "Update":
        self.update_item(table_name, key, update_expression=op["UpdateExpression"], **condition)


def _restore(backups: list[tuple[Any, Any, Any, Any]]) -> None:
    for table, hash_value, range_value, old in reversed(backups):
        if old is None:
            table.delete_item(hash_value, range_value)
        elif range_value is not None:
            table.items[hash_value][range_value] = old
        else:
            table.items[hash_value] = old
        moto_index.sync(table, hash_value, range_value)

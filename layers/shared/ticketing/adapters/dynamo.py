"""Thin typed access to the one table: serialization, conditional writes, transactions."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from ticketing.adapters import aws
from ticketing.adapters.keys import (
    GSI1,
    GSI1PK,
    GSI1SK,
    GSI2,
    GSI2PK,
    GSI2SK,
    LIVE,
    LIVEPK,
    LIVESK,
    Key,
)
from ticketing.settings import settings

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from mypy_boto3_dynamodb.client import DynamoDBClient

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

# DynamoDB's own limits; moto does not enforce the batch one, so we do.
MAX_BATCH_WRITE = 25
MAX_TRANSACTION_ITEMS = 100
MAX_BATCH_GET = 100
BATCH_GET_ATTEMPTS = 8  # calls for the keys DynamoDB left unprocessed, then an error
_JITTER = secrets.SystemRandom()

Item = dict[str, Any]


def request_token() -> str:
    """A fresh ``ClientRequestToken`` for one transaction. botocore retries a transaction whose
    answer it lost with the same parameters, token included, and DynamoDB answers that repeat
    with success instead of applying it again, so a write that went through is never answered
    as a conflict with itself."""
    return secrets.token_hex(16)


class ConditionFailed(Exception):
    """A conditional write (or one condition of a transaction) did not hold."""

    def __init__(self, reasons: Sequence[str | None] = ()) -> None:
        super().__init__("condition failed")
        self.reasons = list(reasons)


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(_plain(v)) for k, v in item.items() if v is not None}


def deserialize(item: Mapping[str, Any]) -> Item:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    return value


@dataclass(frozen=True, slots=True)
class Put:
    item: Mapping[str, Any]
    condition: str | None = None
    names: Mapping[str, str] | None = None
    values: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Update:
    key: Key
    expression: str
    condition: str | None = None
    names: Mapping[str, str] | None = None
    values: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ConditionCheck:
    key: Key
    condition: str
    names: Mapping[str, str] | None = None
    values: Mapping[str, Any] | None = None


Write = Put | Update | ConditionCheck


def chunks(items: Sequence[Any], size: int = MAX_BATCH_WRITE) -> Iterator[Sequence[Any]]:
    """Split ``items`` into slices DynamoDB accepts in one batch call."""
    if size < 1 or size > MAX_BATCH_WRITE:
        raise ValueError(f"a batch holds 1 to {MAX_BATCH_WRITE} items")
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Table:
    """The platform's table. One instance per process, created on first use."""

    def __init__(self, name: str | None = None, client: DynamoDBClient | None = None) -> None:
        self._name = name
        self._client = client
        # items DynamoDB read for index queries (ScannedCount), for reports and benchmarks
        self.read_items = 0

    @property
    def name(self) -> str:
        return self._name or settings().table_name

    @property
    def client(self) -> DynamoDBClient:
        return self._client or aws.dynamodb()

    def get(self, key: Key, consistent: bool = False) -> Item | None:
        response = self.client.get_item(
            TableName=self.name, Key=serialize(key), ConsistentRead=consistent
        )
        raw = response.get("Item")
        return None if raw is None else deserialize(raw)

    def get_many(self, keys: Sequence[Key], consistent: bool = True) -> list[Item]:
        """The items of ``keys`` that exist, in no particular order: BatchGetItem, 100 keys a
        call (a key asked twice is asked once), the keys DynamoDB left unprocessed asked again
        after a jittered, growing pause. Keys still unprocessed after ``BATCH_GET_ATTEMPTS``
        calls raise RuntimeError rather than come back as missing items."""
        wanted = list({tuple(sorted(k.items())): k for k in keys}.values())
        found: list[Item] = []
        for start in range(0, len(wanted), MAX_BATCH_GET):
            batch = [serialize(k) for k in wanted[start : start + MAX_BATCH_GET]]
            request: dict[str, Any] = {self.name: {"Keys": batch, "ConsistentRead": consistent}}
            for attempt in range(BATCH_GET_ATTEMPTS):
                if attempt:
                    time.sleep(_JITTER.uniform(0, 0.05 * 2 ** (attempt - 1)))
                response = self.client.batch_get_item(RequestItems=request)
                items = response.get("Responses", {}).get(self.name, [])
                found.extend(deserialize(i) for i in items)
                request = dict(response.get("UnprocessedKeys") or {})
                if not request:
                    break
            else:
                raise RuntimeError("DynamoDB left keys of a batch read unprocessed; try again")
        return found

    def put_new(self, item: Mapping[str, Any]) -> None:
        """Write an item that must not exist yet (ConditionFailed otherwise)."""
        self.write(Put(item, condition="attribute_not_exists(PK)"))

    def write(self, op: Put | Update) -> Item | None:
        """One conditional write; returns the new item for updates."""
        try:
            if isinstance(op, Put):
                self.client.put_item(TableName=self.name, Item=serialize(op.item), **_expr(op))
                return None
            response = self.client.update_item(
                TableName=self.name,
                Key=serialize(op.key),
                UpdateExpression=op.expression,
                ReturnValues="ALL_NEW",
                **_expr(op),
            )
            return deserialize(response.get("Attributes", {}))
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ConditionFailed() from error
            raise

    def transact(self, ops: Sequence[Write]) -> None:
        """All of ``ops`` or none; ConditionFailed carries a reason per operation."""
        if not ops or len(ops) > MAX_TRANSACTION_ITEMS:
            raise ValueError(f"a transaction holds 1 to {MAX_TRANSACTION_ITEMS} operations")
        items: list[Any] = []
        for op in ops:
            body: dict[str, Any] = {"TableName": self.name, **_expr(op)}
            if isinstance(op, Put):
                items.append({"Put": {**body, "Item": serialize(op.item)}})
            elif isinstance(op, Update):
                body.update(Key=serialize(op.key), UpdateExpression=op.expression)
                items.append({"Update": body})
            else:
                items.append({"ConditionCheck": {**body, "Key": serialize(op.key)}})
        try:
            self.client.transact_write_items(
                TransactItems=items, ClientRequestToken=request_token()
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
                if any(code == "ConditionalCheckFailed" for code in reasons):
                    raise ConditionFailed(
                        [None if c in (None, "None") else c for c in reasons]
                    ) from error
            raise

    def query_index(
        self,
        partition: str,
        limit: int = 100,
        start_after: Mapping[str, Any] | None = None,
        newest_first: bool = False,
        index: str = GSI1,
        sort_prefix: str | None = None,
        sort_between: tuple[str, str] | None = None,
    ) -> tuple[list[Item], dict[str, Any] | None]:
        """A page of an index for ``partition``, and the key to continue from (None at the end)."""
        pk_name, sk_name = {GSI1: (GSI1PK, GSI1SK), GSI2: (GSI2PK, GSI2SK), LIVE: (LIVEPK, LIVESK)}[
            index
        ]
        condition = "#pk = :pk"
        names = {"#pk": pk_name}
        values: dict[str, Any] = {":pk": {"S": partition}}
        if sort_prefix is not None:
            condition += " AND begins_with(#sk, :prefix)"
            names["#sk"] = sk_name
            values[":prefix"] = {"S": sort_prefix}
        if sort_between is not None:
            condition += " AND #sk BETWEEN :low AND :high"
            names["#sk"] = sk_name
            values[":low"] = {"S": sort_between[0]}
            values[":high"] = {"S": sort_between[1]}
        kwargs: dict[str, Any] = {
            "TableName": self.name,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "Limit": limit,
            "ScanIndexForward": not newest_first,
        }
        if start_after:
            kwargs["ExclusiveStartKey"] = serialize(start_after)
        response = self.client.query(**kwargs)
        self.read_items += int(response.get("ScannedCount", 0))
        items = [deserialize(i) for i in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        return items, (deserialize(last) if last else None)

    def _partition_query(self, pk: str, sk_prefix: str) -> dict[str, Any]:
        condition, values = "PK = :pk", {":pk": {"S": pk}}
        if sk_prefix:  # DynamoDB refuses an empty prefix
            condition += " AND begins_with(SK, :prefix)"
            values[":prefix"] = {"S": sk_prefix}
        return {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
        }

    def iter_partition(self, pk: str, sk_prefix: str = "") -> Iterator[Item]:
        """The items of partition ``pk`` one page at a time, never all in memory at once."""
        kwargs = self._partition_query(pk, sk_prefix)
        while True:
            response = self.client.query(**kwargs)
            for raw in response.get("Items", []):
                yield deserialize(raw)
            last = response.get("LastEvaluatedKey")
            if not last:
                return
            kwargs["ExclusiveStartKey"] = last

    def query_partition(
        self, pk: str, sk_prefix: str = "", consistent: bool = False, limit: int | None = None
    ) -> list[Item]:
        """Every item of partition ``pk`` whose sort key starts with ``sk_prefix``."""
        kwargs = {**self._partition_query(pk, sk_prefix), "ConsistentRead": consistent}
        items: list[Item] = []
        while True:
            if limit is not None:
                kwargs["Limit"] = limit - len(items)
            response = self.client.query(**kwargs)
            items.extend(deserialize(i) for i in response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            if not last or (limit is not None and len(items) >= limit):
                return items
            kwargs["ExclusiveStartKey"] = last

    def delete(self, key: Key) -> None:
        self.client.delete_item(TableName=self.name, Key=serialize(key))


def _expr(op: Write) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if op.condition:
        out["ConditionExpression"] = op.condition
    if op.names:
        out["ExpressionAttributeNames"] = dict(op.names)
    if op.values:
        out["ExpressionAttributeValues"] = serialize(op.values)
    return out

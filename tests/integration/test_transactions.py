"""DynamoDB transactions on the local stack's moto: all-or-nothing, at DynamoDB's cost."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Aws


def put(table: str, pk: str, **extra: Any) -> dict[str, Any]:
    item = {"PK": {"S": pk}, "SK": {"S": "X"}, **extra}
    return {
        "Put": {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}
    }


def get(aws: Aws, pk: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        aws.clients["dynamodb"]
        .get_item(TableName=aws.table, Key={"PK": {"S": pk}, "SK": {"S": "X"}})
        .get("Item")
    )
    return item


def test_a_transaction_writes_all_items(aws: Aws) -> None:
    aws.clients["dynamodb"].transact_write_items(
        TransactItems=[put(aws.table, "a"), put(aws.table, "b")]
    )
    assert get(aws, "a") is not None
    assert get(aws, "b") is not None


def test_one_failed_condition_cancels_every_write_with_reasons(aws: Aws) -> None:
    dynamodb = aws.clients["dynamodb"]
    dynamodb.put_item(TableName=aws.table, Item={"PK": {"S": "taken"}, "SK": {"S": "X"}})
    with pytest.raises(ClientError) as caught:
        dynamodb.transact_write_items(
            TransactItems=[put(aws.table, "new"), put(aws.table, "taken")]
        )
    error = caught.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    codes = [r["Code"] for r in error["CancellationReasons"]]  # type: ignore[typeddict-item]
    assert codes == ["None", "ConditionalCheckFailed"]
    assert get(aws, "new") is None


def test_an_update_and_a_condition_check_are_applied_together(aws: Aws) -> None:
    dynamodb = aws.clients["dynamodb"]
    dynamodb.put_item(
        TableName=aws.table,
        Item={"PK": {"S": "voucher"}, "SK": {"S": "X"}, "state": {"S": "issued"}},
    )
    dynamodb.put_item(TableName=aws.table, Item={"PK": {"S": "event"}, "SK": {"S": "X"}})
    redeem = {
        "Update": {
            "TableName": aws.table,
            "Key": {"PK": {"S": "voucher"}, "SK": {"S": "X"}},
            "UpdateExpression": "SET #s = :redeemed",
            "ConditionExpression": "#s = :issued",
            "ExpressionAttributeNames": {"#s": "state"},
            "ExpressionAttributeValues": {
                ":redeemed": {"S": "redeemed"},
                ":issued": {"S": "issued"},
            },
        }
    }
    check = {
        "ConditionCheck": {
            "TableName": aws.table,
            "Key": {"PK": {"S": "event"}, "SK": {"S": "X"}},
            "ConditionExpression": "attribute_exists(PK)",
        }
    }
    dynamodb.transact_write_items(TransactItems=[redeem, check])
    assert get(aws, "voucher")["state"] == {"S": "redeemed"}  # type: ignore[index]
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[redeem, check])
    assert get(aws, "voucher")["state"] == {"S": "redeemed"}  # type: ignore[index]


def test_a_write_that_fails_midway_leaves_earlier_writes_undone(aws: Aws) -> None:
    dynamodb = aws.clients["dynamodb"]
    dynamodb.put_item(
        TableName=aws.table, Item={"PK": {"S": "counter"}, "SK": {"S": "X"}, "n": {"S": "text"}}
    )
    bad_add = {
        "Update": {
            "TableName": aws.table,
            "Key": {"PK": {"S": "counter"}, "SK": {"S": "X"}},
            "UpdateExpression": "ADD n :one",  # n is a string: DynamoDB refuses the ADD
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[put(aws.table, "first"), bad_add])
    assert get(aws, "first") is None
    assert get(aws, "counter")["n"] == {"S": "text"}  # type: ignore[index]


def test_two_operations_on_one_item_are_refused(aws: Aws) -> None:
    with pytest.raises(ClientError) as caught:
        aws.clients["dynamodb"].transact_write_items(
            TransactItems=[put(aws.table, "same"), put(aws.table, "same")]
        )
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_a_transaction_does_not_copy_the_table(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's own version deep-copies whole tables; ours copies only the items it writes."""
    dynamodb = aws.clients["dynamodb"]
    for start in range(0, 500, 25):
        dynamodb.batch_write_item(
            RequestItems={
                aws.table: [
                    {"PutRequest": {"Item": {"PK": {"S": f"filler{i}"}, "SK": {"S": "X"}}}}
                    for i in range(start, start + 25)
                ]
            }
        )
    copied: list[str] = []
    real_deepcopy = copy.deepcopy

    def counting(value: Any, memo: Any = None) -> Any:
        copied.append(type(value).__name__)
        return real_deepcopy(value, memo)

    import ticketing_local.moto_fast as moto_fast

    monkeypatch.setattr(moto_fast.copy, "deepcopy", counting)
    dynamodb.transact_write_items(TransactItems=[put(aws.table, "x"), put(aws.table, "y")])
    assert "Table" not in copied
    assert len(copied) == 2  # one backup per written item


def test_a_query_reads_its_partition_not_the_table(aws: Aws) -> None:
    """moto walks the whole table for a query; the local stack reads the partition only, and
    the answer (items, order, pages) is what DynamoDB gives."""
    dynamodb = aws.clients["dynamodb"]
    for start in range(0, 300, 25):
        dynamodb.batch_write_item(
            RequestItems={
                aws.table: [
                    {"PutRequest": {"Item": {"PK": {"S": f"P{i % 3}"}, "SK": {"S": f"{i:04d}"}}}}
                    for i in range(start, start + 25)
                ]
            }
        )
    from moto.dynamodb.models.table import Table

    walked: list[int] = []
    real_all_items = Table.all_items

    def counting(self: Table) -> Any:
        items = list(real_all_items(self))
        walked.append(len(items))
        return iter(items)

    Table.all_items = counting  # type: ignore[method-assign]
    try:
        first = dynamodb.query(
            TableName=aws.table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues={":pk": {"S": "P1"}, ":p": {"S": "0"}},
            Limit=60,
        )
        rest = dynamodb.query(
            TableName=aws.table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues={":pk": {"S": "P1"}, ":p": {"S": "0"}},
            ExclusiveStartKey=first["LastEvaluatedKey"],
        )
    finally:
        Table.all_items = real_all_items  # type: ignore[method-assign]
    keys = [i["SK"]["S"] for i in first["Items"] + rest["Items"]]
    assert keys == [f"{i:04d}" for i in range(1, 300, 3)]
    assert walked == []  # the table was never walked
    empty = dynamodb.query(
        TableName=aws.table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "nobody"}},
    )
    assert empty["Items"] == []


def test_an_index_query_still_finds_items_of_every_partition(aws: Aws) -> None:
    dynamodb = aws.clients["dynamodb"]
    for i in range(6):
        dynamodb.put_item(
            TableName=aws.table,
            Item={
                "PK": {"S": f"ITEM#{i}"},
                "SK": {"S": "X"},
                "GSI1PK": {"S": "LIST"},
                "GSI1SK": {"S": f"{i:02d}"},
            },
        )
    found = dynamodb.query(
        TableName=aws.table,
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "LIST"}},
    )
    assert [i["PK"]["S"] for i in found["Items"]] == [f"ITEM#{i}" for i in range(6)]


def test_a_transaction_repeated_with_its_token_succeeds_without_being_applied_twice(
    aws: Aws,
) -> None:
    """What botocore's retry of a transaction whose answer was lost meets: DynamoDB's
    ``ClientRequestToken`` makes the repeat a success, not a conflict with itself."""
    dynamodb = aws.clients["dynamodb"]
    counter = {
        "Update": {
            "TableName": aws.table,
            "Key": {"PK": {"S": "counter"}, "SK": {"S": "X"}},
            "UpdateExpression": "ADD n :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    items = [put(aws.table, "order-1"), counter]

    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken="t" * 32)
    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken="t" * 32)

    assert get(aws, "order-1") is not None
    assert get(aws, "counter") == {"PK": {"S": "counter"}, "SK": {"S": "X"}, "n": {"N": "1"}}
    with pytest.raises(ClientError) as refused:  # the same items without the token: a conflict
        dynamodb.transact_write_items(TransactItems=items)
    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"


def test_a_token_reused_with_other_items_is_refused(aws: Aws) -> None:
    dynamodb = aws.clients["dynamodb"]
    dynamodb.transact_write_items(TransactItems=[put(aws.table, "a")], ClientRequestToken="u" * 32)
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(
            TransactItems=[put(aws.table, "b")], ClientRequestToken="u" * 32
        )
    assert refused.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    assert get(aws, "b") is None


def test_the_adapters_send_a_fresh_token_with_every_transaction(aws: Aws) -> None:
    from ticketing.adapters.dynamo import Put, Table

    sent: list[str] = []
    table = Table()

    def remember(params: dict[str, Any], **_: Any) -> None:
        sent.append(params["ClientRequestToken"])

    table.client.meta.events.register("provide-client-params.dynamodb.TransactWriteItems", remember)
    try:
        for pk in ("x", "y"):
            table.transact([Put({"PK": pk, "SK": "X"}, "attribute_not_exists(PK)")])
    finally:
        table.client.meta.events.unregister(
            "provide-client-params.dynamodb.TransactWriteItems", remember
        )
    assert len(sent) == len(set(sent)) == 2
    assert all(len(t) == 32 for t in sent)

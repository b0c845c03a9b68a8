"""Queries on a GSI or LSI on the local stack's moto: moto's own answers, at DynamoDB's cost.

``moto_index`` keeps each index of the template in step with the table and hands moto only a
query's page; these tests write random data through every kind of write, then run the same
queries with the index on and off (``moto_index.ENABLED``) and require the same answers, page
for page. The last ones show that a query on 50,000 items visits its page, not the table.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Aws
from ticketing_local import moto_fast, moto_index
from ticketing_local.template import ACCOUNT_ID, REGION

ALPHABET = "abc"  # few letters: many shared prefixes and equal index sort keys
PARTITIONS = ["p0", "p1", "p2"]


def word(rng: random.Random, longest: int = 3) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, longest)))


def random_item(rng: random.Random, n: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "PK": {"S": f"item#{n % 40}"},
        "SK": {"S": word(rng, 4) + f"#{n}"},
        "n": {"N": str(n)},
        "code": {"S": f"C{n}"},
        "note": {"S": word(rng)},
    }
    for pk, sk in (("GSI1PK", "GSI1SK"), ("GSI2PK", "GSI2SK"), ("LIVEPK", "LIVESK")):
        if rng.random() < 0.8:  # sparse: some items are in no partition of the index
            item[pk] = {"S": rng.choice(PARTITIONS)}
        if rng.random() < 0.85:
            item[sk] = {"S": word(rng)}
    return item


def key_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"PK": item["PK"], "SK": item["SK"]}


def write_random_data(aws: Aws, rng: random.Random, count: int = 160) -> None:
    """Puts, batch writes, updates that move, add and drop index keys, deletes, transactions
    (one of them cancelled part-way by a failed condition) — every door into the table."""
    dynamodb, table = aws.clients["dynamodb"], aws.table
    items = [random_item(rng, n) for n in range(count)]
    for item in items[: count // 2]:
        dynamodb.put_item(TableName=table, Item=item)
    rest = items[count // 2 :]
    for start in range(0, len(rest), 25):
        requests = [{"PutRequest": {"Item": i}} for i in rest[start : start + 25]]
        dynamodb.batch_write_item(RequestItems={table: requests})
    for item in rng.sample(items, count // 4):
        if rng.random() < 0.5:
            expression, values = "SET GSI1SK = :v, LIVEPK = :p", {":v": {"S": word(rng)}}
            values[":p"] = {"S": rng.choice(PARTITIONS)}
        else:
            expression, values = "REMOVE GSI1SK, GSI2PK SET note = :v", {":v": {"S": word(rng)}}
        dynamodb.update_item(
            TableName=table,
            Key=key_of(item),
            UpdateExpression=expression,
            ExpressionAttributeValues=values,
        )
    for item in rng.sample(items, count // 10):
        dynamodb.delete_item(TableName=table, Key=key_of(item))
    write_transactions(aws, rng, items)


def write_transactions(aws: Aws, rng: random.Random, items: list[dict[str, Any]]) -> None:
    dynamodb, table = aws.clients["dynamodb"], aws.table
    for attempt in range(6):
        chosen = rng.sample(items, 3)
        fresh = random_item(rng, 1000 + attempt)
        actions: list[dict[str, Any]] = [
            {"Put": {"TableName": table, "Item": fresh}},
            {
                "Update": {
                    "TableName": table,
                    "Key": key_of(chosen[0]),
                    "UpdateExpression": "SET GSI2SK = :v, GSI2PK = :p",
                    "ExpressionAttributeValues": {
                        ":v": {"S": word(rng)},
                        ":p": {"S": rng.choice(PARTITIONS)},
                    },
                }
            },
            {"Delete": {"TableName": table, "Key": key_of(chosen[1])}},
        ]
        if attempt % 3 == 2:  # cancelled: nothing of it may reach an index
            actions.append(
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": {"PK": {"S": "missing"}, "SK": {"S": "missing"}},
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                }
            )
        if attempt % 3 == 2:
            with pytest.raises(ClientError, match="TransactionCanceledException"):
                dynamodb.transact_write_items(TransactItems=actions)
        else:
            dynamodb.transact_write_items(TransactItems=actions)


def key_conditions(rng: random.Random) -> Iterator[tuple[str, dict[str, Any]]]:
    for partition in PARTITIONS:
        base = {":pk": {"S": partition}}
        yield "#pk = :pk", {**base}
        yield "#pk = :pk AND begins_with(#sk, :a)", {**base, ":a": {"S": word(rng, 2)}}
        low, high = sorted([word(rng), word(rng)])
        yield "#pk = :pk AND #sk BETWEEN :a AND :b", {**base, ":a": {"S": low}, ":b": {"S": high}}
        for operator in ("=", "<", "<=", ">", ">="):
            yield f"#pk = :pk AND #sk {operator} :a", {**base, ":a": {"S": word(rng)}}


def pages(aws: Aws, **query: Any) -> list[dict[str, Any]]:
    """Every page of a query: its items, counts and the key it continues from."""
    dynamodb, out = aws.clients["dynamodb"], []
    while True:
        response = dynamodb.query(**{"TableName": aws.table, **query})
        page = {k: response.get(k) for k in ("Items", "Count", "ScannedCount", "LastEvaluatedKey")}
        out.append(page)
        if not response.get("LastEvaluatedKey") or len(out) > 500:
            return out
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def moto_and_fast(aws: Aws, monkeypatch: pytest.MonkeyPatch, **query: Any) -> tuple[Any, Any]:
    """Every page of ``query`` as moto's walk answers it, and as the index does."""
    window = moto_index.window

    def must_use_the_index(table: Any, index_query: moto_index.IndexQuery) -> Any:
        items = window(table, index_query)
        assert items is not None, "the query fell back to moto's walk"
        return items

    with monkeypatch.context() as fast_only:
        fast_only.setattr(moto_index, "window", must_use_the_index)
        fast = pages(aws, **query)
    with monkeypatch.context() as plain:
        plain.setattr(moto_index, "ENABLED", False)
        own = pages(aws, **query)
    return own, fast


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("index", ["GSI1", "GSI2", "LIVE"])
def test_index_queries_answer_as_moto_does_page_for_page(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, seed: int, index: str
) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data
    write_random_data(aws, rng)
    compared = 0
    conditions = list(key_conditions(rng))
    for condition, values in rng.sample(conditions, 10):
        query: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": {
                name: attr
                for name, attr in (("#pk", f"{index}PK"), ("#sk", f"{index}SK"))
                if name in condition
            },
            "ExpressionAttributeValues": values,
            "ScanIndexForward": rng.random() < 0.5,
        }
        limit = rng.choice([None, 1, 3, 8])
        if limit is not None:
            query["Limit"] = limit
        own, fast = moto_and_fast(aws, monkeypatch, **query)
        assert fast == own, query
        compared += sum(len(page["Items"]) for page in own)
    assert compared > 20  # the random data put items into the partitions queried


def test_an_include_projection_and_a_filter_are_moto_s(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_random_data(aws, random.Random(7))  # noqa: S311 - test data
    query = {
        "IndexName": "LIVE",
        "KeyConditionExpression": "LIVEPK = :pk",
        "FilterExpression": "begins_with(code, :c)",
        "ExpressionAttributeValues": {":pk": {"S": "p1"}, ":c": {"S": "C1"}},
        "Limit": 5,
    }
    own, fast = moto_and_fast(aws, monkeypatch, **query)
    assert fast == own
    attributes = {name for page in fast for item in page["Items"] for name in item}
    assert attributes <= {"PK", "SK", "LIVEPK", "LIVESK", "code", "batch_id", "exhibitor_id"}
    assert "code" in attributes


def create_table_with_lsi_and_keys_only(aws: Aws) -> str:
    dynamodb = aws.clients["dynamodb"]
    strings = ("PK", "SK", "LSK", "KPK", "KSK", "HPK")
    dynamodb.create_table(
        TableName="shapes",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in strings],
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "BYL",
                "KeySchema": [
                    {"AttributeName": "PK", "KeyType": "HASH"},
                    {"AttributeName": "LSK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "KEYS",
                "KeySchema": [
                    {"AttributeName": "KPK", "KeyType": "HASH"},
                    {"AttributeName": "KSK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
            {  # no sort key: moto orders such an index by the table's sort key
                "IndexName": "HASHONLY",
                "KeySchema": [{"AttributeName": "HPK", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
    )
    rng = random.Random(11)  # noqa: S311 - test data
    for n in range(150):
        item = {"PK": {"S": f"p{n % 3}"}, "SK": {"S": f"{word(rng)}#{n}"}, "x": {"S": word(rng)}}
        for name, value in (("LSK", word(rng)), ("KPK", rng.choice(PARTITIONS))):
            if rng.random() < 0.8:
                item[name] = {"S": value}
        item["KSK"] = {"S": word(rng)}
        if rng.random() < 0.7:
            item["HPK"] = {"S": rng.choice(PARTITIONS)}
        dynamodb.put_item(TableName="shapes", Item=item)
    return "shapes"


@pytest.mark.parametrize(
    ("index", "condition", "values"),
    [
        ("BYL", "PK = :pk AND begins_with(LSK, :a)", {":pk": {"S": "p1"}, ":a": {"S": "b"}}),
        (
            "BYL",
            "PK = :pk AND LSK BETWEEN :a AND :b",
            {":pk": {"S": "p0"}, ":a": {"S": "a"}, ":b": {"S": "bb"}},
        ),
        ("KEYS", "KPK = :pk AND KSK > :a", {":pk": {"S": "p2"}, ":a": {"S": "b"}}),
        ("HASHONLY", "HPK = :pk", {":pk": {"S": "p0"}}),
    ],
)
def test_local_indexes_keys_only_and_hash_only_indexes_answer_as_moto_does(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, index: str, condition: str, values: Any
) -> None:
    table = create_table_with_lsi_and_keys_only(aws)
    for limit in (2, 9, 1000):
        for forward in (True, False):
            own, fast = moto_and_fast(
                aws,
                monkeypatch,
                TableName=table,
                IndexName=index,
                KeyConditionExpression=condition,
                ExpressionAttributeValues=values,
                Limit=limit,
                ScanIndexForward=forward,
            )
            assert fast == own
            assert sum(page["Count"] for page in fast) > 0


# ------------------------------------------------------------------------ cost, not answers


def fill_directly(aws: Aws, count: int) -> None:
    """``count`` items straight into moto's table (through its put, so indexes follow)."""
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[ACCOUNT_ID][REGION].get_table(aws.table)
    for n in range(count):
        table.put_item(
            {
                "PK": {"S": f"V#{n}"},
                "SK": {"S": "V"},
                "GSI1PK": {"S": f"BATCH#{n % 4}"},
                "GSI1SK": {"S": f"{n:08d}"},
                "LIVEPK": {"S": f"LIVE#{n % 16}"},
                "LIVESK": {"S": f"2026-{n % 12 + 1:02d}#{n}"},
                "code": {"S": f"C{n}"},
            }
        )


def visits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many items each index query hands moto; moto's walk of the table is refused."""
    from moto.dynamodb.models.table import Table

    seen: list[int] = []
    window = moto_index.window

    def counted(table: Any, query: moto_index.IndexQuery) -> Any:
        items = window(table, query)
        assert items is not None, "the query fell back to moto's walk of the table"
        seen.append(len(items))
        return items

    def refused(self: Any) -> Any:
        raise AssertionError("a query walked the whole table")

    monkeypatch.setattr(moto_index, "window", counted)
    monkeypatch.setattr(Table, "all_items", refused)
    return seen


@pytest.mark.parametrize("size", [500, 50_000])
def test_an_index_query_visits_its_page_whatever_the_table_holds(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    fill_directly(aws, size)
    seen = visits(monkeypatch)
    dynamodb = aws.clients["dynamodb"]
    first = dynamodb.query(
        TableName=aws.table,
        IndexName="LIVE",
        KeyConditionExpression="LIVEPK = :pk AND LIVESK BETWEEN :a AND :b",
        ExpressionAttributeValues={
            ":pk": {"S": "LIVE#3"},
            ":a": {"S": "2026-03"},
            ":b": {"S": "2026-05~"},
        },
        Limit=25,
        ScanIndexForward=False,
    )
    in_range = sum(1 for n in range(size) if n % 16 == 3 and n % 12 in (2, 3, 4))
    assert first["Count"] == first["ScannedCount"] == min(25, in_range)
    query: dict[str, Any] = {
        "TableName": aws.table,
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :p)",
        "ExpressionAttributeValues": {":pk": {"S": "BATCH#1"}, ":p": {"S": "0000"}},
        "Limit": 10,
    }
    page = dynamodb.query(**query)
    page = dynamodb.query(**query, ExclusiveStartKey=page["LastEvaluatedKey"])
    assert page["Count"] == min(10, size // 4 - 10)
    assert seen
    assert max(seen) <= 26  # a page and the one item after it, at 500 or 50,000


def test_a_query_without_a_limit_visits_its_range_only(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_directly(aws, 20_000)
    seen = visits(monkeypatch)
    response = aws.clients["dynamodb"].query(
        TableName=aws.table,
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :p)",
        ExpressionAttributeValues={":pk": {"S": "BATCH#2"}, ":p": {"S": "000001"}},
    )
    assert response["Count"] == 25  # 00000100..00000199, every fourth
    assert seen == [26]


def test_moto_fast_lists_what_the_index_relies_on() -> None:
    relied_on = {internal.path for internal in moto_fast.RELIED_ON}
    assert "moto.dynamodb.models.table:Table._generate_attr_to_sort_by" in relied_on
    assert "moto.dynamodb.models.dynamo_type:DynamoType.cast_value" in relied_on

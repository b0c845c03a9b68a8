"""``moto_hot``'s parse cache and one-time size check answer as moto does, on random data.

The same seeded script of conditional puts, updates, deletes, transactions (some cancelled by a
failed condition), filtered queries and items at the 400 KB limit runs on moto with
``moto_hot`` and on moto without it; every answer, every error and the table at the end must be
equal. Expressions repeat with other values, so the cache is hit with values it must not reuse.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ticketing_local import moto_hot
from ticketing_local.account import moto_account

STATES = ["issued", "registered", "redeemed"]


def key(n: int) -> dict[str, Any]:
    return {"PK": {"S": f"V#{n}"}, "SK": {"S": "V"}}


def conditional_put(rng: random.Random, table: str) -> dict[str, Any]:
    n = rng.randrange(30)
    item = {**key(n), "state": {"S": rng.choice(STATES)}, "n": {"N": str(rng.randrange(9))}}
    if rng.random() < 0.5:
        return {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}
    return {
        "TableName": table,
        "Item": item,
        "ConditionExpression": "attribute_not_exists(PK) OR #s = :s",
        "ExpressionAttributeNames": {"#s": "state"},
        "ExpressionAttributeValues": {":s": {"S": rng.choice(STATES)}},
    }


def conditional_update(rng: random.Random, table: str) -> dict[str, Any]:
    condition, values = rng.choice(
        [
            ("#s = :from", {":from": {"S": rng.choice(STATES)}}),
            ("n < :max", {":max": {"N": str(rng.randrange(9))}}),
            ("begins_with(#s, :p)", {":p": {"S": rng.choice(["i", "re", "x"])}}),
            (
                "attribute_exists(PK) AND n BETWEEN :lo AND :hi",
                {":lo": {"N": "2"}, ":hi": {"N": "6"}},
            ),
        ]
    )
    names = {"#s": "state"} if "#s" in condition else {}
    return {
        "TableName": table,
        "Key": key(rng.randrange(30)),
        "UpdateExpression": "SET #t = :to ADD n :one",
        "ConditionExpression": condition,
        "ExpressionAttributeNames": {**names, "#t": "state"},
        "ExpressionAttributeValues": {
            **values,
            ":to": {"S": rng.choice(STATES)},
            ":one": {"N": "1"},
        },
    }


def answer(call: Any, **kwargs: Any) -> Any:
    try:
        response = call(**kwargs)
    except ClientError as error:
        reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
        return ("error", error.response["Error"]["Code"], reasons, error.response.get("Item"))
    response.pop("ResponseMetadata", None)
    return response


def script(seed: int) -> list[Any]:
    """Run the seeded script on a fresh moto account; every answer, then the whole table."""
    rng = random.Random(seed)  # noqa: S311 - test data, reproducible by seed
    with moto_account() as account:
        client, table = account.clients["dynamodb"], account.environment["TABLE_NAME"]
        out: list[Any] = []
        for _ in range(250):
            roll = rng.random()
            if roll < 0.3:
                out.append(answer(client.put_item, **conditional_put(rng, table)))
            elif roll < 0.55:
                out.append(answer(client.update_item, **conditional_update(rng, table)))
            elif roll < 0.65:
                request = conditional_put(rng, table)
                request.pop("Item")
                out.append(answer(client.delete_item, Key=key(rng.randrange(30)), **request))
            elif roll < 0.85:
                writes: list[dict[str, Any]] = []
                for n in rng.sample(range(30), 3):
                    update = conditional_update(rng, table)
                    writes.append({"Update": {**update, "Key": key(n)}})
                out.append(answer(client.transact_write_items, TransactItems=writes))
            elif roll < 0.95:
                out.append(
                    answer(
                        client.scan,
                        TableName=table,
                        FilterExpression="#s = :s AND n >= :n",
                        ExpressionAttributeNames={"#s": "state"},
                        ExpressionAttributeValues={
                            ":s": {"S": rng.choice(STATES)},
                            ":n": {"N": str(rng.randrange(9))},
                        },
                    )
                )
            else:  # an item near moto's 405,000 bytes: on one side or the other
                size = rng.choice([404_000, 406_000])
                item = {**key(100), "blob": {"S": "x" * size}}
                out.append(answer(client.put_item, TableName=table, Item=item))
        items = client.scan(TableName=table)["Items"]
        out.append(sorted(items, key=lambda i: str(sorted(i.items()))))
        return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_answers_with_moto_hot_equal_moto_s_own(seed: int) -> None:
    fast = script(seed)
    moto_hot.uninstall()
    try:
        own = script(seed)
    finally:
        moto_hot.install()
    assert fast == own
    outcomes = {o[1] for o in fast if isinstance(o, tuple)}
    # the script does meet a failed condition, a cancelled transaction and a too-large item
    assert {"ConditionalCheckFailedException", "TransactionCanceledException"} <= outcomes
    assert "ValidationException" in outcomes


def test_a_repeated_condition_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str | None] = []
    original = moto_hot._originals["parse"]

    def counting(self: Any) -> Any:
        parsed.append(self.condition_expression)
        return original(self)

    monkeypatch.setitem(moto_hot._originals, "parse", counting)
    moto_hot.clear()
    with moto_account() as account:
        client, table = account.clients["dynamodb"], account.environment["TABLE_NAME"]
        writes = [
            {
                "Put": {
                    "TableName": table,
                    "Item": key(n),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
            for n in range(100)
        ]
        client.transact_write_items(TransactItems=writes)
    # 100 items, each checked by moto's validation, the plan and the write: one parse
    assert parsed.count("attribute_not_exists(PK)") == 1

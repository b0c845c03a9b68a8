"""The registration and check-in handlers' answer times, next to a bare conditional write.

On moto in this process (``moto_account``, with ``moto_fast`` as the local stack has it), in
one run: ``POST /vouchers/{code}/registration`` (the Redeem function) and ``POST /checkins``
(the Checkins function), each invoked as the local stack invokes it (``FunctionPool``: the
function's own environment, a warm instance), ``--calls`` times each (every registration a
code and a visitor address of its own, every check-in a ticket of its own); and on the same
moto a bare conditional ``put_item`` (``attribute_not_exists(PK)``) and a bare conditional
``update_item`` (``SET #s = :to`` if ``#s = :from``) through one boto3 client. p50 and p99 of
each, the ratio handler / bare write, and the AWS calls one invocation makes.

Usage::

    .venv/bin/python bench/handlers.py [--calls 300] [--json PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_JSON = ROOT / "bench" / "results" / "handlers.json"
EVENTS = ROOT / "events"
PLACEHOLDER_CODE = "7KQ2-M9XD-4HTB-W2"
EXHIBITOR_ID = "exh_bench0000000000"


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "calls": len(ordered),
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p99_ms": round(1000 * p99, 2),
        "mean_ms": round(1000 * statistics.fmean(ordered), 2),
    }


def timed(calls: int, one: Callable[[int], None]) -> list[float]:
    one(-1)  # warm: the first call of an instance is not what a visitor meets after it
    out = []
    for i in range(calls):
        started = time.perf_counter()
        one(i)
        out.append(time.perf_counter() - started)
    return out


def seed(quantity: int) -> list[str]:
    """The demo organizer, its 2030 fair (room for every visitor), an exhibitor, and a ready
    batch of ``quantity`` codes; the codes."""
    from tests.integration.helpers import EVENT_ID, ORGANIZER_ID, seed_interforst, seed_organizer
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.voucher_batch_store import CODES_PER_WRITE, DynamoBatchStore
    from ticketing.domain.parties import Exhibitor
    from ticketing.domain.visitor_vouchers import VoucherBatch
    from ticketing.domain.voucher_codes import new_code

    seed_organizer()
    seed_interforst(
        2030,
        10 * quantity,
        [("day", "Tageskarte", "25.00", 7), ("visitor-voucher", "Besuchergutschein", "12.00", 19)],
        voucher_price_option="visitor-voucher",
    )
    now = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
    DynamoAccessStore().add_party(
        Exhibitor(
            exhibitor_id=EXHIBITOR_ID,
            organizer_id=ORGANIZER_ID,
            event_id=EVENT_ID,
            name="Forsttechnik Huber KG",
            email="messe@forsttechnik-huber.example",
            created_at=now,
        ),
        None,
    )
    batch = VoucherBatch(
        batch_id="bat_handlers",
        organizer_id=ORGANIZER_ID,
        event_id=EVENT_ID,
        exhibitor_id=EXHIBITOR_ID,
        label="Bench",
        quantity=quantity,
        valid_until=dt.datetime(2030, 7, 12, 17, 0, tzinfo=dt.UTC),
        status="pending",
        created_at=now,
    )
    store = DynamoBatchStore()
    store.add_batch(batch)
    codes = [new_code() for _ in range(quantity)]
    for chunk, start in enumerate(range(0, quantity, CODES_PER_WRITE)):
        store.write_codes(batch, chunk, codes[start : start + CODES_PER_WRITE])
    store.finish_batch(batch, now)
    return codes


def registration_event(code: str, i: int) -> dict[str, Any]:
    from tests.integration.helpers import in_path

    event = json.loads((EVENTS / "redeem" / "registration.json").read_text())
    event = in_path(event, PLACEHOLDER_CODE, code, "code")
    body = json.loads(event["body"])
    body.update(last_name=f"Besucher{i}", email=f"visitor{i + 1}@example.org")
    event["body"] = json.dumps(body)
    source = f"198.18.{(i + 1) // 250}.{1 + (i + 1) % 250}"  # a visitor of its own each
    event["requestContext"]["identity"]["sourceIp"] = source
    forwarded = f"{source}, 130.176.98.41"
    event["headers"]["X-Forwarded-For"] = forwarded
    event["multiValueHeaders"]["X-Forwarded-For"] = [forwarded]
    return event


def scan_event(secret: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "checkins" / "scan.json").read_text())
    event["body"] = json.dumps({"secret": secret})
    return event


def counting(calls: Counter[str]) -> None:
    from ticketing.adapters import aws

    def count(model: Any, **_: Any) -> None:
        calls[f"{model.service_model.service_name}.{model.name}"] += 1

    for client in (aws.dynamodb(), aws.sqs(), aws.s3(), aws.sesv2()):
        client.meta.events.register("before-call", count)


def measure(calls: int) -> dict[str, Any]:
    from ticketing import clock
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing_local.account import moto_account

    shifted = clock.ShiftedClock()
    previous = clock.current()
    clock.install(shifted)
    try:
        with moto_account() as account:
            shifted.set(dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC))
            codes = seed(calls + 2)
            redeem, checkins = account.pool("RedeemFunction"), account.pool("CheckinsFunction")
            orders: list[str] = []

            def register(i: int) -> None:
                response = redeem.invoke(registration_event(codes[i + 1], i + 1))
                assert response["statusCode"] == 201, response["body"]
                orders.append(json.loads(response["body"])["order_number"])

            shifted.set(dt.datetime(2030, 7, 1, 10, 0, tzinfo=dt.UTC))
            registration = timed(calls, register)
            store = DynamoOrderStore()
            secrets = [store.get(number).positions[0].secret for number in orders]  # type: ignore[union-attr]

            def check_in(i: int) -> None:
                response = checkins.invoke(scan_event(secrets[i + 1]))
                assert response["statusCode"] == 200, response["body"]

            shifted.set(dt.datetime(2030, 7, 8, 8, 0, tzinfo=dt.UTC))
            checkin = timed(calls, check_in)
            bare_put, bare_update = bare_writes(account, calls)
            # the AWS calls of one more of each (hooks cost time: counted apart, at the end)
            seen: Counter[str] = Counter()
            counting(seen)
            shifted.set(dt.datetime(2030, 7, 1, 10, 0, tzinfo=dt.UTC))
            register(calls)
            calls_of = {"registration": dict(seen)}
            secrets.append(store.get(orders[-1]).positions[0].secret)  # type: ignore[union-attr]
            shifted.set(dt.datetime(2030, 7, 8, 8, 0, tzinfo=dt.UTC))
            seen.clear()
            check_in(len(secrets) - 2)
            calls_of["checkin"] = dict(seen)
    finally:
        clock.install(previous)
    return _figures(registration, checkin, bare_put, bare_update, calls_of)


def bare_writes(account: Any, calls: int) -> tuple[list[float], list[float]]:
    client, table = account.clients["dynamodb"], account.environment["TABLE_NAME"]

    def put(i: int) -> None:
        client.put_item(
            TableName=table,
            Item={"PK": {"S": f"BARE#{i}"}, "SK": {"S": "BARE"}, "state": {"S": "issued"}},
            ConditionExpression="attribute_not_exists(PK)",
        )

    def update(i: int) -> None:
        client.update_item(
            TableName=table,
            Key={"PK": {"S": f"BARE#{i}"}, "SK": {"S": "BARE"}},
            UpdateExpression="SET #s = :to",
            ConditionExpression="#s = :from",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":to": {"S": "redeemed"}, ":from": {"S": "issued"}},
        )

    return timed(calls, put), timed(calls, update)


def _figures(
    registration: list[float],
    checkin: list[float],
    bare_put: list[float],
    bare_update: list[float],
    calls_of: dict[str, dict[str, int]],
) -> dict[str, Any]:
    figures: dict[str, dict[str, Any]] = {
        "registration": percentiles(registration),
        "checkin": percentiles(checkin),
        "bare_conditional_put_item": percentiles(bare_put),
        "bare_conditional_update_item": percentiles(bare_update),
    }
    for name, bare in (
        ("registration", "bare_conditional_put_item"),
        ("checkin", "bare_conditional_update_item"),
    ):
        figures[name]["ratio_to"] = bare
        for p in ("p50", "p99"):
            ratio = figures[name][f"{p}_ms"] / figures[bare][f"{p}_ms"]
            figures[name][f"{p}_ratio"] = round(ratio, 1)
        figures[name]["aws_calls_per_invocation"] = calls_of[name]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    # the handlers' metrics (EMF) go to stdout, as on Lambda; here to /dev/null, not the report
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        figures = measure(args.calls)
    for name in (
        "registration",
        "checkin",
        "bare_conditional_put_item",
        "bare_conditional_update_item",
    ):
        f = figures[name]
        ratio = (
            f" | {f['p50_ratio']}x / {f['p99_ratio']}x {f['ratio_to']}" if "ratio_to" in f else ""
        )
        print(
            f"{name:30} p50 {f['p50_ms']:7.2f} ms  p99 {f['p99_ms']:7.2f} ms"
            f" ({f['calls']} calls){ratio}"
        )
    for name in ("registration", "checkin"):
        print(f"AWS calls of one {name}: {figures[name]['aws_calls_per_invocation']}")
    report = {
        "benchmark": "handlers",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "moto": "in-process, moto_fast installed (as the local stack)",
        **figures,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

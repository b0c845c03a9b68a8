"""Gift vouchers at merchants' terminals (seed 004): AWS calls, a crowd of tills, latency.

1. One validation and one redemption on moto in this process, every AWS call counted with a
   botocore ``before-call`` hook (the terminal function's stores, its merchant and campaign
   kept a minute as the function keeps them).
2. Through the local stack (``ticketing-local``, started here): 300 merchants (KTV and
   cinemas, high/middle/low, 30 of each kind in each of five cities, each with a terminal)
   and 1,500 vouchers; 2,000 concurrent redemption attempts, 500 codes tried by two
   terminals at once. Every code must be redeemed exactly once, the campaign's statistics must
   equal the ledgers (read from the table), and the merchants' settlements must sum to the
   statistics.
3. The redemption handler's median and 99th percentile on moto in this process, next to a
   bare conditional ``update_item`` on the same moto in the same run: the ratio is the figure.
4. The counter design on paper, checked by drawing shards: at 1,000 redemptions per second,
   how many writes per second does the hottest counter item take?

Usage::

    .venv/bin/python bench/terminal.py [--json PATH] [--codes 1500] [--attempts 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_JSON = ROOT / "bench" / "results" / "terminal.json"
CITIES = ("Beijing", "Shanghai", "Shenzhen", "Nanjing", "Fuzhou")
CITY_NAMES = {
    "Beijing": "北京",
    "Shanghai": "上海",
    "Shenzhen": "深圳",
    "Nanjing": "南京",
    "Fuzhou": "福州",
}
GRADES = ("high", "middle", "low")
TIERS = (("A", "100.00"), ("B", "50.00"), ("C", "20.00"))


def _campaign_and_merchant(now: dt.datetime) -> tuple[Any, Any]:
    from ticketing.domain.gift_vouchers import Campaign, Tier
    from ticketing.domain.parties import Merchant

    campaign = Campaign(
        campaign_id="cmp_bench",
        organizer_id="org_bench",
        issuer_id="iss_bench",
        name="无线音乐俱乐部积分换礼",
        valid_from=now - dt.timedelta(days=1),
        valid_until=now + dt.timedelta(days=90),
        tiers=[Tier(id=t, name=t, value=Decimal(v)) for t, v in TIERS],
        created_at=now,
    )
    merchant = Merchant(
        merchant_id="mer_bench",
        organizer_id="org_bench",
        name="南京新街口国际影城",
        city="Nanjing",
        category="cinema",
        grade="high",
        settlement_rate=Decimal("0.45"),
        created_at=now,
    )
    return campaign, merchant


def _issued(gifts: Any, transactions: Any, now: dt.datetime, n: int) -> list[str]:
    from ticketing.domain.gift_vouchers import GiftVoucher, LedgerEntry, new_code

    codes = []
    for _ in range(n):
        voucher = GiftVoucher(
            code=new_code(),
            campaign_id="cmp_bench",
            organizer_id="org_bench",
            issuer_id="iss_bench",
            tier="B",
            value=Decimal("50.00"),
            currency="CNY",
            valid_from=now - dt.timedelta(days=1),
            valid_until=now + dt.timedelta(days=90),
            external_ref=secrets.token_hex(8),
            token=secrets.token_hex(13),
            issued_at=now,
        )
        entry = LedgerEntry(kind="issued", at=now, by="bench", seq=1)
        transactions.commit(gifts.issuing(voucher, entry))
        codes.append(voucher.code)
    return codes


def _terminal_event(code: str, key: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((ROOT / "events/terminal/redemption.json").read_text())
    event["body"] = json.dumps({"code": code})
    event["headers"]["Idempotency-Key"] = key
    event["multiValueHeaders"]["Idempotency-Key"] = [key]
    authorizer = event["requestContext"]["authorizer"]
    authorizer.update(organizer_id="org_bench", scope="mer_bench", subject_id="trm_bench")
    return event


def on_moto(samples: int) -> dict[str, Any]:
    """Calls per validation and redemption, then the handler's latency beside a bare write."""
    import importlib.util

    from ticketing.adapters import aws
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.gift_store import DynamoCampaignStore, DynamoGiftVoucherStore
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.domain.identity import Principal, Role
    from ticketing_local.account import moto_account

    with moto_account():
        now = dt.datetime.now(dt.UTC)
        campaign, merchant = _campaign_and_merchant(now)
        DynamoCampaignStore().add_campaign(campaign)
        DynamoAccessStore().add_party(merchant, None)
        gifts, transactions = DynamoGiftVoucherStore(), DynamoTransactions()
        codes = _issued(gifts, transactions, now, samples + 4)

        spec = importlib.util.spec_from_file_location(
            "_terminal_app", ROOT / "functions/terminal/app.py"
        )
        assert spec is not None
        assert spec.loader is not None
        app = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(app)
        from ticketing.services import gift_terminal

        principal = Principal(Role.TERMINAL, "trm_bench", "org_bench", "key_bench", "mer_bench")
        calls: Counter[str] = Counter()

        def count(model: Any, **_: Any) -> None:
            calls[f"{model.service_model.service_name}.{model.name}"] += 1

        client = aws.dynamodb()
        client.meta.events.register("before-call", count)
        counted: dict[str, dict[str, int]] = {}
        for label, use in (
            ("validation_first", lambda c: gift_terminal.validate(app.desk, principal, c)),
            ("validation", lambda c: gift_terminal.validate(app.desk, principal, c)),
            ("redemption", lambda c: gift_terminal.redeem(app.desk, principal, c, f"k-{c}")),
        ):
            calls.clear()
            use(codes.pop())
            counted[label] = dict(calls)
        client.meta.events.unregister("before-call", count)

        # the handler (resolver, validation, service, adapters) on fresh codes
        context = type(
            "Context",
            (),
            {
                "function_name": "terminal",
                "aws_request_id": "bench",
                "memory_limit_in_mb": 512,
                "invoked_function_arn": "arn:bench",
            },
        )()
        # one handler call, then one bare write, in turn: whatever else the machine does
        # slows both alike
        handler_ms, bare_ms = [], []
        table = os.environ["TABLE_NAME"]
        for i, code in enumerate(codes[:samples]):
            event = _terminal_event(code, f"bench-{code}")
            started = time.perf_counter()
            answer = app.handler(event, context)
            handler_ms.append((time.perf_counter() - started) * 1000)
            assert answer["statusCode"] == 201, answer
            started = time.perf_counter()
            client.update_item(
                TableName=table,
                Key={"PK": {"S": f"BARE#{i}"}, "SK": {"S": "BARE"}},
                UpdateExpression="SET #s = :r",
                ConditionExpression="attribute_not_exists(#s)",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={":r": {"S": "redeemed"}},
            )
            bare_ms.append((time.perf_counter() - started) * 1000)
    return {
        "calls": counted,
        "reads_per_validation": _reads(counted["validation"]),
        "writes_per_validation": _writes(counted["validation"]),
        "reads_per_redemption": _reads(counted["redemption"]),
        "writes_per_redemption": _writes(counted["redemption"]),
        "latency_samples": samples,
        "handler_ms": _percentiles(handler_ms),
        "bare_update_item_ms": _percentiles(bare_ms),
        "ratio_p50": round(statistics.median(handler_ms) / statistics.median(bare_ms), 1),
        "ratio_p99": round(_p99(handler_ms) / _p99(bare_ms), 1),
    }


def _reads(calls: dict[str, int]) -> int:
    return sum(
        n for name, n in calls.items() if name.split(".")[1] in ("GetItem", "Query", "BatchGetItem")
    )


def _writes(calls: dict[str, int]) -> int:
    return sum(
        n
        for name, n in calls.items()
        if name.split(".")[1] not in ("GetItem", "Query", "BatchGetItem")
    )


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _percentiles(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 2), "p99": round(_p99(values), 2)}


def _call(
    base: str,
    method: str,
    path: str,
    key: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    target = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(
        target.hostname or "127.0.0.1", target.port, timeout=120
    )
    sent = {"Content-Type": "application/json", **(headers or {})}
    if key:
        sent["Authorization"] = f"Bearer {key}"
    try:
        connection.request(
            method, path, body=None if body is None else json.dumps(body), headers=sent
        )
        response = connection.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw
    finally:
        connection.close()


def _merchants(base: str, key: str) -> list[dict[str, Any]]:
    specs = []
    for city in CITIES:
        for category, low, high in (("ktv", 50, 65), ("cinema", 40, 55)):
            for i in range(30):
                grade = GRADES[i % 3]
                rate = Decimal(low + (high - low) * (2 - i % 3) / 2) / 100
                kind = "KTV" if category == "ktv" else "影城"
                specs.append(
                    {
                        "name": f"{CITY_NAMES[city]}{grade}{kind}{i + 1:02d}号店",
                        "city": city,
                        "category": category,
                        "grade": grade,
                        "address": f"{CITY_NAMES[city]}市中山路{i + 1}号",
                        "settlement_rate": str(rate.quantize(Decimal("0.0001"))),
                    }
                )

    def make(spec: dict[str, Any]) -> dict[str, Any]:
        status, merchant = _call(base, "POST", "/merchants", key, spec)
        assert status == 201, merchant
        status, terminal = _call(
            base, "POST", f"/merchants/{merchant['merchant_id']}/terminals", key, {}
        )
        assert status == 201, terminal
        return {**merchant, "terminal_key": terminal["api_key"]}

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(make, specs))


def crowd(codes_wanted: int, attempts: int) -> dict[str, Any]:
    import boto3

    folder = Path(tempfile.mkdtemp())
    credentials = folder / "credentials.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    stack = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ticketing_local",
            "--port",
            "0",
            "--credentials-file",
            str(credentials),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    try:
        while not credentials.exists():
            if stack.poll() is not None:
                raise RuntimeError("ticketing-local did not start")
            time.sleep(0.1)
        time.sleep(0.2)
        creds = json.loads(credentials.read_text())
        base, key = creds["base_url"], creds["organizer_key"]
        setup_started = time.perf_counter()
        merchants = _merchants(base, key)
        _, issuer = _call(base, "POST", "/issuers", key, {"name": "无线音乐俱乐部积分系统"})
        today = dt.datetime.now(dt.UTC)
        status, campaign = _call(
            base,
            "POST",
            "/campaigns",
            issuer["api_key"],
            {
                "name": "无线音乐俱乐部积分换礼",
                "currency": "CNY",
                "valid_from": (today - dt.timedelta(days=1)).isoformat(),
                "valid_until": (today + dt.timedelta(days=90)).isoformat(),
                "tiers": [{"id": t, "name": f"{t} 档", "value": v} for t, v in TIERS],
                "accept": {"categories": ["ktv", "cinema"], "cities": list(CITIES)},
            },
        )
        assert status == 201, campaign
        cid = campaign["campaign_id"]

        def issue(i: int) -> dict[str, Any]:
            tier = TIERS[i % 3][0]
            status, voucher = _call(
                base,
                "POST",
                f"/campaigns/{cid}/vouchers",
                issuer["api_key"],
                {
                    "tier": tier,
                    "recipient": {
                        "phone": f"+86 138{i:08d}",
                        "name": f"会员{i}",
                        "city": CITIES[i % 5],
                    },
                    "external_ref": f"points-{i}",
                },
            )
            # 200: the same points transaction answered again (a retry inside the stack)
            assert status in (200, 201), voucher
            issued: dict[str, Any] = voucher
            return issued

        with ThreadPoolExecutor(max_workers=16) as pool:
            vouchers = list(pool.map(issue, range(codes_wanted)))
        setup_seconds = time.perf_counter() - setup_started
        rng = random.Random(4)
        # every code once; the rest of the attempts: codes tried by a second till at once
        plan = [(v["code"], rng.choice(merchants)) for v in vouchers]
        doubles = rng.sample(vouchers, attempts - len(vouchers))
        plan += [(v["code"], rng.choice(merchants)) for v in doubles]
        rng.shuffle(plan)

        def attempt(item: tuple[str, dict[str, Any]]) -> tuple[str, str, int, float]:
            code, merchant = item
            started = time.perf_counter()
            status, _ = _call(
                base,
                "POST",
                "/terminal/redemptions",
                merchant["terminal_key"],
                {"code": code},
                {"Idempotency-Key": secrets.token_hex(8)},
            )
            return code, merchant["merchant_id"], status, (time.perf_counter() - started) * 1000

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=64) as pool:
            outcomes = list(pool.map(attempt, plan))
        seconds = time.perf_counter() - started
        won = Counter(code for code, _, s, _ in outcomes if s == 201)
        by_merchant = Counter(m for _, m, s, _ in outcomes if s == 201)

        # the ledgers, read from the table: every live redemption entry of the campaign's codes
        dynamo = boto3.client(
            "dynamodb",
            endpoint_url=creds["aws_endpoint"],
            region_name="eu-central-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",  # noqa: S106 - moto takes any
        )
        table = next(t for t in dynamo.list_tables()["TableNames"] if t.endswith("Table"))
        ledger_redeemed: Counter[str] = Counter()  # per code: redeemed minus reversed entries
        for page in dynamo.get_paginator("scan").paginate(TableName=table):
            for item in page["Items"]:
                if not item["SK"]["S"].startswith("LEDGER#"):
                    continue
                kind = item.get("kind", {}).get("S")
                if kind in ("redeemed", "reversed"):
                    ledger_redeemed[item["PK"]["S"]] += 1 if kind == "redeemed" else -1
        _, stats = _call(base, "GET", f"/campaigns/{cid}/stats?by=merchant", key)
        value_of = {v["code"]: Decimal(v["value"]) for v in vouchers}
        answered_value = sum((value_of[c] for c in won), Decimal(0))
        stats_by_merchant = {g["key"]: g for g in stats["groups"]}
        yesterday, tomorrow = (today + dt.timedelta(days=d) for d in (-1, 1))
        period = f"from={yesterday.date()}&to={tomorrow.date()}"

        def settle(merchant: dict[str, Any]) -> tuple[str, Any]:
            status, body = _call(
                base, "GET", f"/merchants/{merchant['merchant_id']}/settlement?{period}", key
            )
            assert status == 200, body
            return merchant["merchant_id"], body

        with ThreadPoolExecutor(max_workers=16) as pool:
            settlements = dict(pool.map(settle, merchants))
        settled_face = sum((Decimal(s["face_value"]) for s in settlements.values()), Decimal(0))
        mismatched = [
            m
            for m, s in settlements.items()
            if s["redemptions"] != stats_by_merchant.get(m, {}).get("redeemed", 0)
            or Decimal(s["face_value"])
            != Decimal(stats_by_merchant.get(m, {}).get("value_redeemed", "0"))
            or s["redemptions"] != by_merchant.get(m, 0)
        ]
        return {
            "merchants": len(merchants),
            "codes": len(vouchers),
            "attempts": len(plan),
            "codes_tried_twice": len(doubles),
            "setup_seconds": round(setup_seconds, 1),
            "seconds": round(seconds, 2),
            "statuses": dict(Counter(s for _, _, s, _ in outcomes)),
            "redeemed": sum(won.values()),
            "codes_redeemed_twice": sum(1 for n in won.values() if n > 1),
            "codes_never_redeemed": len(vouchers) - len(won),
            "ledger_redemption_entries": sum(ledger_redeemed.values()),
            "stats_redeemed": stats["redeemed"],
            "stats_value_redeemed": stats["value_redeemed"],
            "answers_value_redeemed": str(answered_value),
            "settlements_face_value": str(settled_face),
            "settlements_payable": str(
                sum((Decimal(s["payable"]) for s in settlements.values()), Decimal(0))
            ),
            "merchants_whose_settlement_differs_from_stats": len(mismatched),
            "attempt_ms": _percentiles([ms for *_, ms in outcomes]),
        }
    finally:
        stack.terminate()
        stack.wait(timeout=30)


def counter_design(rate: int = 1000, seconds: int = 60) -> dict[str, Any]:
    """On paper: each redemption adds to the totals item and one item per group (tier, day,
    city, category, merchant) on ONE shard of 16 drawn at random; so the totals item of a shard
    (and a group every redemption shares, e.g. today's day) takes rate / 16. Drawn here for
    ``seconds`` seconds at ``rate`` to see the busiest second of the busiest item."""
    from ticketing.services.ports_gift import STATS_SHARDS

    rng = random.Random(16)
    busiest = 0
    for _ in range(seconds):
        per_shard = Counter(rng.randrange(STATS_SHARDS) for _ in range(rate))
        busiest = max(busiest, max(per_shard.values()))
    return {
        "redemptions_per_second": rate,
        "shards": STATS_SHARDS,
        "items_written_per_redemption": "voucher 1, ledger entry 1, redemption 1, idempotency 1,"
        " counters 1 totals + 5 groups (tier, day, city, category, merchant) = 10 items, one"
        " TransactWriteItems",
        "hottest_item_writes_per_second_expected": rate / STATS_SHARDS,
        "hottest_item_writes_per_second_busiest_drawn": busiest,
        "hottest_item_wcu_per_second": 2 * rate / STATS_SHARDS,  # transactional writes cost 2
        "partition_limit_wcu_per_second": 1000,
        "without_shards": rate,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--codes", type=int, default=1500)
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args(argv)
    moto = on_moto(args.samples)
    calls = moto["calls"]
    print(f"AWS calls: validation {calls['validation']}, redemption {calls['redemption']}")
    print(
        f"redemption handler p50/p99 {moto['handler_ms']} ms,"
        f" bare update_item {moto['bare_update_item_ms']} ms,"
        f" ratio {moto['ratio_p50']} / {moto['ratio_p99']}"
    )
    design = counter_design()
    print(
        "hottest counter item at 1,000 redemptions/s:"
        f" {design['hottest_item_writes_per_second_expected']} writes/s"
        f" ({design['hottest_item_writes_per_second_busiest_drawn']} in the busiest drawn second)"
    )
    result = crowd(args.codes, args.attempts)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "on_moto": moto,
        "counter_design": design,
        "crowd": result,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"Figures written to {args.json}")
    assert result["codes_redeemed_twice"] == 0
    assert result["codes_never_redeemed"] == 0
    assert result["stats_redeemed"] == result["redeemed"] == result["ledger_redemption_entries"]
    assert result["merchants_whose_settlement_differs_from_stats"] == 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

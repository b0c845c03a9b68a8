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
import json
import os
import platform
import random
import secrets
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import (  # noqa: E402 - after the path
    beside_bare_write,
    call,
    counting_calls,
    local_stack,
    percentiles,
    reads,
    writes,
)

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
    from ticketing.domain.gift_parties import Merchant
    from ticketing.domain.gift_vouchers import Campaign, Tier

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
        client = aws.dynamodb()
        counted: dict[str, dict[str, int]] = {}
        with counting_calls([client]) as calls:
            for label, use in (
                ("validation_first", lambda c: gift_terminal.validate(app.desk, principal, c)),
                ("validation", lambda c: gift_terminal.validate(app.desk, principal, c)),
                ("redemption", lambda c: gift_terminal.redeem(app.desk, principal, c, f"k-{c}")),
            ):
                calls.clear()
                use(codes.pop())
                counted[label] = dict(calls)

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
        fresh = codes[:samples]

        def redeem(i: int) -> None:
            answer = app.handler(_terminal_event(fresh[i], f"bench-{fresh[i]}"), context)
            assert answer["statusCode"] == 201, answer

        timing = beside_bare_write(samples, redeem, client, os.environ["TABLE_NAME"])
    return {
        "calls": counted,
        "reads_per_validation": reads(counted["validation"]),
        "writes_per_validation": writes(counted["validation"]),
        "reads_per_redemption": reads(counted["redemption"]),
        "writes_per_redemption": writes(counted["redemption"]),
        **timing,
    }


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
        status, merchant = call(base, "POST", "/merchants", key, spec)
        assert status == 201, merchant
        status, terminal = call(
            base, "POST", f"/merchants/{merchant['merchant_id']}/terminals", key, {}
        )
        assert status == 201, terminal
        return {**merchant, "terminal_key": terminal["api_key"]}

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(make, specs))


def crowd(codes_wanted: int, attempts: int) -> dict[str, Any]:
    import boto3

    with local_stack() as creds:
        base, key = creds["base_url"], creds["organizer_key"]
        setup_started = time.perf_counter()
        merchants = _merchants(base, key)
        _, issuer = call(base, "POST", "/issuers", key, {"name": "无线音乐俱乐部积分系统"})
        today = dt.datetime.now(dt.UTC)
        status, campaign = call(
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
            status, voucher = call(
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
            status, _ = call(
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
        _, stats = call(base, "GET", f"/campaigns/{cid}/stats?by=merchant", key)
        value_of = {v["code"]: Decimal(v["value"]) for v in vouchers}
        answered_value = sum((value_of[c] for c in won), Decimal(0))
        stats_by_merchant = {g["key"]: g for g in stats["groups"]}
        yesterday, tomorrow = (today + dt.timedelta(days=d) for d in (-1, 1))
        period = f"from={yesterday.date()}&to={tomorrow.date()}"

        def settle(merchant: dict[str, Any]) -> tuple[str, Any]:
            status, body = call(
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
            "attempt_ms": percentiles([ms for *_, ms in outcomes]),
        }


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

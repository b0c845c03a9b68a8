"""Voucher registration: AWS calls per registration, and a crowd of visitors at once.

1. One registration on moto in this process, every AWS call counted with a botocore
   ``before-call`` hook; the run fails unless it makes ``MINIMUM``'s calls and no more (four
   reads, one transaction, the mail, its outbox entry cleared).
2. Through the local stack (``ticketing-local``, started here): 200 concurrent registrations
   on 100 codes, each code twice, every visitor from its own loopback address. Exactly 100
   must succeed and no code may be used twice.

Usage::

    .venv/bin/python bench/redeem.py [--json PATH] [--codes 100] [--visitors 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import platform
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.harness import call, counting_calls, local_stack  # noqa: E402 - after the path

DEFAULT_JSON = ROOT / "bench" / "results" / "redeem.json"


def calls_per_registration() -> dict[str, Any]:
    from ticketing import clock
    from ticketing.adapters import aws
    from ticketing.adapters.attempts import DynamoAttempts
    from ticketing.adapters.event_store import CachedEventStore
    from ticketing.adapters.mail_queue import SqsMailQueue
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.outbox import DynamoOutbox
    from ticketing.adapters.question_store import DynamoQuestionStore
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore, DynamoExhibitorFigures
    from ticketing.domain.events import Event
    from ticketing.domain.visitor_vouchers import RegistrationForm, VoucherBatch
    from ticketing.services.ordering import Ordering
    from ticketing.services.visitor_vouchers.registration import RegistrationDesk, register
    from ticketing_local.account import moto_account

    with moto_account():
        now = dt.datetime.now(dt.UTC)
        body = json.loads((ROOT / "events/events/create_event.json").read_text())["body"]
        draft = json.loads(body)
        draft.update(starts_at="2030-07-12T09:00:00+02:00", ends_at="2030-07-16T18:00:00+02:00")
        events = CachedEventStore()  # as the Redeem function keeps them
        events.add(Event(**draft, event_id="evt_b", organizer_id="org_b", created_at=now))
        store = DynamoBatchStore()
        batch = VoucherBatch(
            batch_id="bat_b",
            organizer_id="org_b",
            event_id="evt_b",
            exhibitor_id="exh_b",
            label="",
            quantity=1,
            valid_until=now + dt.timedelta(days=30),
            status="pending",
            created_at=now,
        )
        store.add_batch(batch)
        from ticketing.domain.voucher_codes import new_code

        codes = [new_code(), new_code()]
        store.write_codes(batch, 0, codes)

        counted = []
        # two people of different names: the second is no namesake of the first (a namesake
        # costs one more write, the flag on the earlier registration)
        people = (("Erika", "erika@example.org"), ("Max", "max@example.org"))
        clients = (aws.dynamodb(), aws.sqs(), aws.s3(), aws.sesv2())
        with counting_calls(clients) as calls:
            for code, (first_name, email) in zip(codes, people, strict=True):
                calls.clear()
                ordering = Ordering(
                    DynamoOrderStore(),
                    DynamoOutbox(),
                    SqsMailQueue(),
                    DynamoTransactions(),
                    clock.current(),
                )
                desk = RegistrationDesk(
                    ordering,
                    DynamoVisitorVoucherStore(),
                    DynamoExhibitorFigures(),
                    events,
                    DynamoAttempts(),
                    DynamoQuestionStore(),
                )
                form = RegistrationForm(first_name=first_name, last_name="Musterfrau", email=email)
                register(desk, "203.0.113.10", code, form)
                counted.append(dict(calls))
    cold, warm = counted
    return {
        "calls_first": cold,
        "calls_warm": warm,
        "total_first": sum(cold.values()),
        "total": sum(warm.values()),
        "minimum": MINIMUM,
        "at_minimum": warm == {call: n for call, (n, _) in MINIMUM.items()},
    }


# what a registration (the event cached) needs, and why: (calls, what for)
MINIMUM = {
    "dynamodb.GetItem": (
        4,
        "the client's attempts (is it blocked?), the voucher (its event, state, validity),"
        " a namesake (a possible duplicate is flagged), the event's questions (seed 002: the"
        " answers are checked against them)",
    ),
    "dynamodb.TransactWriteItems": (
        1,
        "places, order, outbox, redeem, claim, namesake, figures (and attempts if any)",
    ),
    "sqs.SendMessage": (1, "the confirmation"),
    "dynamodb.DeleteItem": (1, "clear the pending-mail entry (never lose a mail)"),
}


def crowd(codes_wanted: int = 100, visitors: int = 200) -> dict[str, Any]:
    import openpyxl

    with local_stack(stop_within=20) as creds:
        base, key = creds["base_url"], creds["organizer_key"]
        draft = json.loads(
            json.loads((ROOT / "events/events/create_event.json").read_text())["body"]
        )
        draft.update(starts_at="2030-07-12T09:00:00+02:00", ends_at="2030-07-16T18:00:00+02:00")
        _, event = call(base, "POST", "/events", key, draft)
        _, exhibitor = call(
            base,
            "POST",
            "/exhibitors",
            key,
            {"name": "Crowd", "email": "c@example.org", "event_id": event["event_id"]},
        )
        _, batch = call(
            base,
            "POST",
            f"/events/{event['event_id']}/voucher-batches",
            exhibitor["api_key"],
            {"quantity": codes_wanted},
        )
        while True:
            _, status = call(
                base, "GET", f"/voucher-batches/{batch['batch_id']}", exhibitor["api_key"]
            )
            if status["status"] == "ready":
                break
            time.sleep(0.2)
        with urllib.request.urlopen(status["download_url"]) as download:  # noqa: S310 - local  # noqa: S310 - local S3
            sheet = openpyxl.load_workbook(io.BytesIO(download.read())).active
        assert sheet is not None
        codes = [str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)]

        def visit(i: int) -> tuple[str, int]:
            code = codes[i % len(codes)]
            status_code, _ = call(
                base,
                "POST",
                f"/vouchers/{code}/registration",
                None,
                {"first_name": "V", "last_name": f"Visitor{i}", "email": f"visitor{i}@example.org"},
                source=f"127.0.{1 + i // 250}.{1 + i % 250}",
                timeout=60,
            )
            return code, status_code

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=50) as pool:
            outcomes = list(pool.map(visit, range(visitors)))
        seconds = time.perf_counter() - started
        won = Counter(code for code, status_code in outcomes if status_code == 201)
        _, redeemed = call(
            base, "GET", f"/events/{event['event_id']}/redemptions", exhibitor["api_key"]
        )
        redeemed_codes = Counter(r["code"] for r in redeemed["redemptions"])
        return {
            "codes": len(codes),
            "visitors": visitors,
            "seconds": round(seconds, 2),
            "statuses": dict(Counter(status_code for _, status_code in outcomes)),
            "succeeded": sum(won.values()),
            "codes_used_twice": sum(1 for n in won.values() if n > 1),
            "redemptions_listed": sum(redeemed_codes.values()),
            "redemptions_listed_twice": sum(1 for n in redeemed_codes.values() if n > 1),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--codes", type=int, default=100)
    parser.add_argument("--visitors", type=int, default=200)
    args = parser.parse_args(argv)
    per = calls_per_registration()
    print(
        f"AWS calls per registration: {per['total']} with the event cached "
        f"({per['total_first']} for the first of an instance)"
    )
    for name, n in sorted(per["calls_warm"].items()):
        print(f"  {name:30} {n}  (minimum {MINIMUM.get(name, (0, ''))[0]})")
    assert per["at_minimum"], f"calls beyond the minimum: {per['calls_warm']}"
    result = crowd(args.codes, args.visitors)
    print(
        f"{result['visitors']} concurrent registrations on {result['codes']} codes through the "
        f"local stack in {result['seconds']} s: {result['succeeded']} succeeded, "
        f"{result['codes_used_twice']} codes used twice, statuses {result['statuses']}; "
        f"the exhibitor sees {result['redemptions_listed']} redemptions"
    )
    assert result["succeeded"] == result["codes"]
    assert result["codes_used_twice"] == 0
    out = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "per_registration": per,
        "crowd": result,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(f"Figures written to {args.json.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

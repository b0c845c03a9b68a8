"""The expiry sweep's cost against the size of the table.

A table with N vouchers of which 1,000 have passed their end (N = 100,000 and 10,000): the
index items the sweep reads (DynamoDB's ScannedCount) per voucher it expires (aim 1.0; a
scan would read N per 1,000), its write calls, and its time. The items read and the calls
must not grow with N. The time is moto's: moto answers an index query by walking the whole
table, which DynamoDB does not, so on moto the time does grow with N.

Usage::

    .venv/bin/python bench/expiry.py [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "expiry.json"
DUE = 1_000


def sweep_with(total: int) -> dict[str, Any]:
    from ticketing.adapters import aws, keys
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
    from ticketing.clock import ShiftedClock
    from ticketing.domain.voucher_codes import new_code
    from ticketing.services.visitor_vouchers import validity
    from ticketing_local.account import moto_account

    with moto_account() as account:
        clients = account.clients
        table = account.environment["TABLE_NAME"]
        now = dt.datetime.now(dt.UTC)
        past, future = now - dt.timedelta(hours=1), now + dt.timedelta(days=30)
        dynamodb = clients["dynamodb"]
        for start in range(0, total, 25):
            requests: list[Any] = []
            for i in range(start, min(start + 25, total)):
                code = new_code()
                end = past if i < DUE else future
                item = {
                    **keys.voucher(code),
                    "code": code,
                    "state": "issued",
                    "valid_until": end.isoformat(),
                    **keys.live(code, end),
                }
                requests.append({"PutRequest": {"Item": {k: {"S": v} for k, v in item.items()}}})
            dynamodb.batch_write_item(RequestItems={table: requests})

        store = DynamoVisitorVoucherStore()
        calls: Counter[str] = Counter()

        def count(model: Any, **_: Any) -> None:
            calls[model.name] += 1

        aws.dynamodb().meta.events.register("before-call", count)
        started = time.perf_counter()
        sweep = validity.expire_due(store, ShiftedClock())
        seconds = time.perf_counter() - started
        first_calls = dict(calls)
        again = validity.expire_due(store, ShiftedClock())
    return {
        "vouchers": total,
        "due": DUE,
        "expired": sweep.expired,
        "index_items_read": sweep.read,
        "items_read_per_expired": round(sweep.read / max(1, sweep.expired), 3),
        "a_scan_would_read_per_expired": round(total / DUE, 1),
        "calls": first_calls,
        "write_calls": first_calls.get("TransactWriteItems", 0),
        "seconds_on_moto": round(seconds, 2),
        "second_run_expired": again.expired,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    runs = [sweep_with(100_000), sweep_with(10_000)]
    for run in runs:
        print(
            f"{run['vouchers']:>7,} vouchers, {run['due']:,} due: expired {run['expired']:,}, "
            f"read {run['index_items_read']:,} index items "
            f"({run['items_read_per_expired']} per expired; a scan: "
            f"{run['a_scan_would_read_per_expired']}), "
            f"{run['write_calls']} write calls, {run['calls']}, "
            f"{run['seconds_on_moto']} s on moto; a second run expired {run['second_run_expired']}"
        )
    out = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "runs": runs,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(f"Figures written to {args.json.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

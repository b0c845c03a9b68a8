"""A whole batch's validity extension in the worker: time and AWS calls per batch size.

A ready batch of N codes (1,000 and 10,000) on moto in this process, one redeemed code among
them; the worker's walk (``extension.extend_codes``) is timed and every AWS call it makes is
counted by operation. ``--per-code`` walks as the worker did before issue 12's batch reads
and writes (a GetItem and an UpdateItem per code), for the comparison.

Usage::

    .venv/bin/python bench/extension.py [--per-code] [--sizes 1000,10000] [--json PATH]
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
DEFAULT_JSON = ROOT / "bench" / "results" / "extension.json"
sys.path.insert(0, str(ROOT))


def _per_code(deps: Any, job: Any, codes: list[str], writers: int) -> int:
    """The walk of a step before issue 12's batch calls: a read and a write per code."""
    now, changed = deps.clock.now(), 0
    for code in codes:
        voucher = deps.vouchers.get_voucher(code)
        if voucher is None or voucher.state == "redeemed":
            continue
        if voucher.state == "issued" and voucher.valid_until == job.valid_until:
            changed += 1
            continue
        changed += deps.vouchers.extend(voucher, job.valid_until, now, job.by)
    return changed


def _ready_batch(quantity: int, batch_id: str) -> tuple[Any, list[str]]:
    from bench.voucher_batch import pending_batch
    from ticketing.adapters import keys
    from ticketing.adapters.dynamo import Table, Update
    from ticketing.domain.voucher_codes import new_code

    _, store = pending_batch(quantity, batch_id)
    batch = store.get_batch(batch_id)
    per, codes = store.codes_per_write, [new_code() for _ in range(quantity)]
    for chunk in range(-(-quantity // per)):
        store.write_codes(batch, chunk, codes[chunk * per : (chunk + 1) * per])
    store.finish_batch(batch, dt.datetime.now(dt.UTC))
    # one redeemed voucher: left alone, counted as skipped
    Table().write(
        Update(
            keys.voucher(codes[0]),
            "SET #state = :redeemed",
            names={"#state": "state"},
            values={":redeemed": "redeemed"},
        )
    )
    return store, codes


def walk(quantity: int, per_code: bool) -> dict[str, Any]:
    from ticketing import clock
    from ticketing.adapters import aws
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
    from ticketing.domain.visitor_vouchers import BatchExtension
    from ticketing.services.visitor_vouchers import extension
    from ticketing_local.account import moto_account

    with moto_account():
        batch_id = f"vbt_bench{quantity}"
        store, _ = _ready_batch(quantity, batch_id)
        now = dt.datetime.now(dt.UTC)
        end = (now + dt.timedelta(days=400)).replace(microsecond=0)
        job = BatchExtension(
            job_id="ext_bench", state="running", valid_until=end, by="key_bench",
            total=quantity, started_at=now, progress_at=now,
        )  # fmt: skip
        assert store.start_extension(batch_id, job, now - dt.timedelta(minutes=5))
        deps = extension.Walking(DynamoVisitorVoucherStore(), store, clock.current())
        calls: Counter[str] = Counter()

        def count(model: Any, **_: Any) -> None:
            calls[model.name] += 1

        original = extension._extend_all
        if per_code:
            extension._extend_all = _per_code
        aws.dynamodb().meta.events.register("before-call", count)
        try:
            started = time.perf_counter()
            walked = extension.extend_codes(deps, batch_id, "ext_bench")
            seconds = time.perf_counter() - started
        finally:
            aws.dynamodb().meta.events.unregister("before-call", count)
            extension._extend_all = original
        done = store.get_batch(batch_id).extension
    return {
        "codes": quantity,
        "walk": "per code (GetItem + UpdateItem)" if per_code else "BatchGetItem + transactions",
        "outcome": walked,
        "seconds_on_moto": round(seconds, 2),
        "codes_per_second": round(quantity / seconds),
        "aws_calls": sum(calls.values()),
        "calls_by_operation": dict(sorted(calls.items())),
        "changed": done.changed,
        "skipped_redeemed": done.skipped,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-code", action="store_true", help="walk as before issue 12")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    runs = [walk(int(size), args.per_code) for size in args.sizes.split(",")]
    for run in runs:
        print(
            f"{run['codes']:>7,} codes, {run['walk']}: {run['seconds_on_moto']} s on moto "
            f"({run['codes_per_second']:,} codes/s), {run['aws_calls']:,} AWS calls "
            f"{run['calls_by_operation']}; changed {run['changed']:,}, "
            f"skipped (redeemed) {run['skipped_redeemed']}"
        )
    key = "per_code" if args.per_code else "batched"
    previous = json.loads(args.json.read_text()) if args.json.exists() else {}
    out = {
        **previous,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        key: runs,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

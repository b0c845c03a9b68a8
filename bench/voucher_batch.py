"""A batch of 100,000 voucher codes: write calls, time and the worker's peak memory; the
Excel file next to bare XlsxWriter writing the same cells.

moto runs in a child process (the local stack's server, with its O(items) transactions), so
the worker's memory is measured without moto's copy of the table in it. Memory figures are
``tracemalloc`` peaks of Python allocations in this process.

Usage::

    .venv/bin/python bench/voucher_batch.py [--quantity 100000] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import platform
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "voucher_batch.json"

SERVER = """
import sys, threading
from ticketing_local.moto_backend import MotoServer
server = MotoServer(port=0)
server.start()
print(server.url, flush=True)
sys.stdin.read()
"""


def start_moto() -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    return child, child.stdout.readline().strip()


def pending_batch(quantity: int, batch_id: str) -> tuple[Any, Any]:
    """The bench's fair and a pending batch of ``quantity`` codes: (event store, batch store)."""
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore
    from ticketing.domain.events import Event
    from ticketing.domain.visitor_vouchers import VoucherBatch

    now = dt.datetime.now(dt.UTC)
    draft = json.loads(json.loads((ROOT / "events/events/create_event.json").read_text())["body"])
    draft.update(starts_at="2030-07-12T09:00:00+02:00", ends_at="2030-07-16T18:00:00+02:00")
    events = DynamoEventStore()
    if events.get("evt_bench") is None:
        events.add(Event(**draft, event_id="evt_bench", organizer_id="org_bench", created_at=now))
    store = DynamoBatchStore()
    store.add_batch(
        VoucherBatch(
            batch_id=batch_id,
            organizer_id="org_bench",
            event_id="evt_bench",
            exhibitor_id="exh_bench",
            label="Kundeneinladung",
            quantity=quantity,
            valid_until=now + dt.timedelta(days=365),
            status="pending",
            created_at=now,
        )
    )
    return events, store


def run(quantity: int, traced: bool, batch_id: str) -> dict[str, Any]:
    from ticketing import clock
    from ticketing.adapters import aws
    from ticketing.adapters.document_store import S3DocumentStore
    from ticketing.services.visitor_vouchers import worker

    events, store = pending_batch(quantity, batch_id)

    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[f"{model.service_model.service_name}.{model.name}"] += 1

    for client in (aws.dynamodb(), aws.s3()):
        client.meta.events.register("before-call", count)

    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    done = worker.generate(store, events, S3DocumentStore(), clock.current(), batch_id)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    assert done is not None
    assert done.status == "ready"
    assert done.generated == quantity
    writes = {k: v for k, v in calls.items() if k.split(".")[1] in _WRITES}
    return {
        "quantity": quantity,
        "seconds": round(seconds, 2),
        "codes_per_second": round(quantity / seconds),
        "worker_peak_mb": round(peak / 2**20, 1) if traced else None,
        "dynamodb_write_calls": sum(v for k, v in writes.items() if k.startswith("dynamodb")),
        "write_calls": writes,
        "all_calls": dict(calls),
        "floor_write_calls": -(-quantity // 100),
        "codes": list(store.batch_codes(batch_id)),
    }


def _timed(work: Any) -> tuple[float, bytes]:
    started = time.perf_counter()
    data = work()
    return time.perf_counter() - started, data


def _traced_peak(work: Any) -> int:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return int(peak)


_WRITES = {"TransactWriteItems", "PutItem", "UpdateItem", "BatchWriteItem", "PutObject"}


def excel_next_to_bare(codes: list[str]) -> dict[str, Any]:
    """Our workbook (safe cells, formats, streaming) next to bare XlsxWriter, same cells."""
    import xlsxwriter  # type: ignore[import-untyped]

    from ticketing.documents.excel import Column, write_table
    from ticketing.domain.voucher_codes import display

    until = dt.datetime(2030, 7, 16, 18, 0)
    rows = [
        [
            display(c),
            f"https://tickets.example.com/redeem?code={display(c)}",
            "Kundeneinladung",
            until,
        ]
        for c in codes
    ]
    columns = [
        Column("Gutschein-Nummer", 22),
        Column("Persönlicher Einlöse-Link", 70),
        Column("Bezeichnung", 28),
        Column("Gültig bis", 18, "datetime"),
    ]

    def ours_run() -> bytes:
        return write_table("Gutscheine", columns, iter(rows))

    def bare_run() -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
        sheet = book.add_worksheet("Gutscheine")
        when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for column, title in enumerate(c.title for c in columns):
            sheet.write_string(0, column, title)
        for index, (code, link, label, valid) in enumerate(rows, start=1):
            sheet.write_string(index, 0, code)
            sheet.write_string(index, 1, link)
            sheet.write_string(index, 2, label)
            sheet.write_datetime(index, 3, valid, when)
        book.close()
        return buffer.getvalue()

    ours_seconds, ours = _timed(ours_run)
    bare_seconds, bare = _timed(bare_run)
    ours_peak = _traced_peak(ours_run)
    bare_peak = _traced_peak(bare_run)
    return {
        "rows": len(rows),
        "ours_seconds": round(ours_seconds, 2),
        "bare_seconds": round(bare_seconds, 2),
        "ratio_ours_to_bare": round(ours_seconds / bare_seconds, 2),
        "ours_peak_mb": round(ours_peak / 2**20, 1),
        "bare_peak_mb": round(bare_peak / 2**20, 1),
        "ours_bytes": len(ours),
        "bare_bytes": len(bare),
        "note": "times untraced; peaks traced separately and exclude the row list both get",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quantity", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)

    from ticketing_local.account import moto_account

    child, url = start_moto()
    try:
        with moto_account(url):
            worker = run(args.quantity, traced=False, batch_id="bat_timed")
            # the same work again with tracemalloc on, which slows Python down: memory only
            worker["worker_peak_mb"] = run(args.quantity, traced=True, batch_id="bat_traced")[
                "worker_peak_mb"
            ]
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)
    codes = worker.pop("codes")
    assert len(set(codes)) == args.quantity
    excel = excel_next_to_bare(codes)
    print(
        f"voucher batch of {args.quantity:,} codes on moto\n"
        f"  time                 {worker['seconds']} s ({worker['codes_per_second']:,} codes/s)\n"
        f"  DynamoDB write calls {worker['dynamodb_write_calls']:,} "
        f"(floor with conditions: {worker['floor_write_calls']:,} calls of 100 items)\n"
        f"  worker peak memory   {worker['worker_peak_mb']} MB (tracemalloc)\n"
        f"  write calls          {worker['write_calls']}\n"
        f"Excel file of {excel['rows']:,} rows\n"
        f"  ours                 {excel['ours_seconds']} s, peak {excel['ours_peak_mb']} MB, "
        f"{excel['ours_bytes']:,} bytes\n"
        f"  bare XlsxWriter      {excel['bare_seconds']} s, peak {excel['bare_peak_mb']} MB, "
        f"{excel['bare_bytes']:,} bytes\n"
        f"  ratio ours / bare    {excel['ratio_ours_to_bare']}"
    )
    result = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "worker": worker,
        "excel": excel,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The batch worker's codes at 1, 4 and 16 writers, fanned out as on AWS, with DynamoDB's
latency simulated; and where the time goes.

A botocore ``before-call`` hook on each worker's DynamoDB client sleeps as DynamoDB would
answer: 25 ms per ``TransactWriteItems``, 5 ms per ``GetItem`` (other calls: none). The batch is
fanned out by the worker itself (``worker.run`` with a queue that records the shares: above
50,000 codes, one share per 50,000), and each share runs as a simulated Lambda:

- ``--mode processes`` (the default): every Lambda is a process of its own (a fresh
  interpreter, one GIL each, as each Lambda has its own CPU), all against one moto server in
  a child process through ``AWS_ENDPOINT_URL``, as the local stack runs it. moto is not
  thread-safe, so the server holds one lock around each call: moto's CPU is serialized there,
  while the simulated waits (in the clients) overlap as on DynamoDB.
- ``--mode threads``: moto in this process, each Lambda a thread (all under one GIL), one lock
  around moto's handling of a call, the waits outside it.

The wall time on moto is bound below by moto's CPU under its lock. Where DynamoDB answers,
that work is the service's, inside the latency; so next to the measured wall time the report
has a **simulated DynamoDB wall time**: the measured client CPU of each share plus its
simulated waits, overlapped as its writers allow (``max(cpu, (cpu + waits) / writers)``;
shares of one Lambda add up, Lambdas run side by side). It is a model on measured figures
only, not a measurement of DynamoDB (which may also cancel some of the parallel transactions
on the batch's progress item, and whose Lambdas have a CPU unlike this machine's).

Every code is checked unique against the table itself: in the server, the batch's VOUCHER
items, their codes, and each chunk's item with its codes.

Usage::

    .venv/bin/python bench/batch_writers.py [--quantity 100000] [--writers 1,4,16]
        [--mode processes|threads] [--lambdas 20] [--client-validation] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_JSON = ROOT / "bench" / "results" / "batch_writers.json"
LATENCY = {"TransactWriteItems": 0.025, "GetItem": 0.005}
MOTO_LOCK = threading.Lock()
MOTO_CPU = [0.0]  # threads mode: CPU time moto spent answering, under the lock

SERVER = f"""
import json, os, resource, sys
sys.path.insert(0, {str(ROOT)!r})
from ticketing_local.moto_backend import MotoServer
from bench.batch_writers import table_check
server = MotoServer(port=0)
server.start()
print(server.url, flush=True)
for line in sys.stdin:
    command, *args = line.split()
    if command == "cpu":
        times = os.times()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        answer = {{"cpu_seconds": times.user + times.system, "peak_rss_mb": round(peak)}}
    else:
        answer = table_check(*args)
    print(json.dumps(answer), flush=True)
"""


class MotoChild:
    """The moto server in a child process: its URL, its CPU so far, the table check."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:  # its request threads may keep it a while after the last client went
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def table_check(table_name: str, batch_id: str, quantity: str) -> dict[str, Any]:
    """In the moto server: the batch's VOUCHER items and chunk items, read from the table."""
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType

    from ticketing.adapters import keys
    from ticketing.adapters.voucher_batch_store import CODES_PER_WRITE
    from ticketing_local.moto_backend import MOTO_LOCK as SERVER_LOCK
    from ticketing_local.template import ACCOUNT_ID, REGION

    with SERVER_LOCK:
        table = dynamodb_backends[ACCOUNT_ID][REGION].get_table(table_name)
        voucher_codes: list[str] = []
        keyed_right = True
        for hash_key, partition in table.items.items():
            if not str(hash_key.cast_value).startswith("VOUCHER#"):
                continue
            for item in partition.values():
                attrs = item.attrs
                if attrs["batch_id"].cast_value != batch_id:
                    continue
                code = attrs["code"].cast_value
                voucher_codes.append(code)
                keyed_right &= hash_key.cast_value == keys.voucher(code)["PK"]
        chunks = table.items.get(DynamoType({"S": keys.batch_partition(batch_id)}), {})
        listed: list[str] = []
        chunk_keys = set()
        for range_key, item in chunks.items():
            if str(range_key.cast_value).startswith(keys.CODES_PREFIX):
                chunk_keys.add(range_key.cast_value)
                listed.extend(item.attrs["codes"].cast_value)
    expected = -(-int(quantity) // CODES_PER_WRITE)
    every_chunk = chunk_keys == {keys.batch_codes(batch_id, c)["SK"] for c in range(expected)}
    vouchers = set(voucher_codes)
    return {
        "voucher_items": len(voucher_codes),
        "distinct_voucher_codes": len(vouchers),
        "voucher_keys_match_codes": keyed_right,
        "chunk_items": len(chunk_keys),
        "every_chunk_item_present": every_chunk,
        "codes_listed_in_chunks": len(listed),
        "listed_equal_voucher_items": len(listed) == len(set(listed)) and set(listed) == vouchers,
    }


def serialize_moto() -> None:
    """Threads mode: one lock while moto handles a call (the wait happens before, outside)."""
    from moto.core.botocore_stubber import BotocoreStubber

    original = BotocoreStubber.__call__
    if getattr(original, "_bench_locked", False):
        return

    def locked(self: Any, *args: Any, **kwargs: Any) -> Any:
        with MOTO_LOCK:
            started = time.thread_time()
            try:
                return original(self, *args, **kwargs)
            finally:
                MOTO_CPU[0] += time.thread_time() - started

    locked._bench_locked = True  # type: ignore[attr-defined]
    BotocoreStubber.__call__ = locked  # type: ignore[method-assign]


def simulate_latency(client: Any, calls: Counter[str]) -> None:
    def wait(model: Any, **_: Any) -> None:
        calls[model.name] += 1
        delay = LATENCY.get(model.name)
        if delay:
            time.sleep(delay)

    client.meta.events.register("before-call.dynamodb", wait)


class _Shares:
    """The worker's ``fan_out`` queue: records the shares instead of sending them."""

    def __init__(self) -> None:
        self.shares: list[tuple[int, int] | None] = []

    def enqueue_batch(self, batch_id: str, chunks: tuple[int, int] | None = None) -> None:
        self.shares.append(chunks)


class Lambda:
    """One simulated Lambda: the worker's stores and a DynamoDB client with the latency."""

    def __init__(self, validation: bool) -> None:
        from ticketing.adapters import aws
        from ticketing.adapters.document_store import S3DocumentStore
        from ticketing.adapters.event_store import DynamoEventStore
        from ticketing.adapters.voucher_batch_store import DynamoBatchStore
        from ticketing.services.visitor_vouchers import worker

        _bench_client(validation)
        self.calls: Counter[str] = Counter()
        simulate_latency(aws.dynamodb(), self.calls)
        simulate_latency(aws.dynamodb_unvalidated(), self.calls)
        self.worker = worker
        self.stores = (DynamoBatchStore(), DynamoEventStore(), S3DocumentStore())
        self.file = {"seconds": 0.0, "cpu": 0.0, "ended_codes_at": 0.0}
        write_file = getattr(worker, "write_batch_file")  # noqa: B009 - timed, replaced below

        def timed_file(*args: Any, **kwargs: Any) -> None:
            started, cpu = time.time(), time.process_time()
            self.file["ended_codes_at"] = started
            write_file(*args, **kwargs)
            self.file["seconds"] += time.time() - started
            self.file["cpu"] += time.process_time() - cpu

        setattr(worker, "write_batch_file", timed_file)  # noqa: B010

    def share(self, batch_id: str, writers: int, share: tuple[int, int] | None) -> dict[str, Any]:
        from ticketing import clock

        store, events, docs = self.stores
        calls_before = Counter(self.calls)
        self.file.update(seconds=0.0, cpu=0.0, ended_codes_at=0.0)
        started, cpu = time.time(), time.process_time()
        run = self.worker.run(
            store, events, docs, clock.current(), batch_id, writers=writers, share=share
        )
        ended, cpu = time.time(), time.process_time() - cpu
        calls = self.calls - calls_before
        return {
            "share": list(share) if share else None,
            "outcome": run.outcome,
            "started_at": started,
            "codes_ended_at": self.file["ended_codes_at"] or ended,
            "client_cpu_seconds": cpu - self.file["cpu"],
            "simulated_wait_seconds": sum(LATENCY.get(n, 0.0) * k for n, k in calls.items()),
            "transactions": calls.get("TransactWriteItems", 0),
            "excel_file_seconds": self.file["seconds"],
            "file_cpu": self.file["cpu"],
        }


def _bench_client(validation: bool) -> None:
    """The worker's DynamoDB clients as ``aws`` makes them, but for their read timeout: moto
    behind one lock, with hundreds of writers queued, answers later than DynamoDB's 10 s
    (a timed-out transaction moto still applies would be retried and refused). The one for
    the code-writing transactions (``aws.dynamodb_unvalidated``) without botocore's parameter
    validation as the worker has it, or, for the comparison, with it (``validation``)."""
    import boto3
    from botocore.config import Config

    from ticketing.adapters import aws
    from ticketing.settings import settings

    for name, validated in (("dynamodb", True), ("dynamodb/unvalidated", validation)):
        config = Config(
            retries={"mode": "standard", "max_attempts": settings().aws_max_attempts},
            connect_timeout=3,
            read_timeout=900,
            max_pool_connections=max(10, settings().code_writers),
            parameter_validation=validated,
        )
        aws._clients[name] = boto3.session.Session().client("dynamodb", config=config)


def lambda_process(
    environment: dict[str, str],
    batch_id: str,
    writers: int,
    validation: bool,
    shares: Any,
    results: Any,
    ready: Any,
    go: Any,
) -> None:
    """A simulated Lambda in a process of its own: takes shares until there are none."""
    os.environ.clear()
    os.environ.update(environment)
    from ticketing import settings
    from ticketing.adapters import aws

    settings.reset()
    aws.reset()
    function = Lambda(validation)
    ready.put(os.getpid())
    go.wait()
    while (share := shares.get()) is not None:
        result = function.share(batch_id, writers, tuple(share) if share != "whole" else None)
        result["lambda"] = os.getpid()
        results.put(result)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put({"lambda_done": os.getpid(), "peak_rss_mb": peak})


def fan_out(quantity: int, batch_id: str) -> list[tuple[int, int] | None]:
    """A pending batch, fanned out by the worker as on AWS: its shares (None: the whole)."""
    from bench.voucher_batch import pending_batch
    from ticketing import clock
    from ticketing.adapters.document_store import S3DocumentStore
    from ticketing.services.visitor_vouchers import worker

    events, store = pending_batch(quantity, batch_id)
    if quantity <= worker.FAN_OUT_ABOVE:
        return [None]  # the worker writes such a batch in one invocation
    recorder = _Shares()
    run = worker.run(store, events, S3DocumentStore(), clock.current(), batch_id, fan_out=recorder)
    return recorder.shares if run.outcome == "fanned out" else [None]


def run_processes(
    account: Any, quantity: int, writers: int, batch_id: str, lambdas: int, validation: bool
) -> dict[str, Any]:
    shares = fan_out(quantity, batch_id)
    environment = {**account.environment, "CODE_WRITERS": str(writers)}
    context = multiprocessing.get_context("spawn")
    queue, results, ready, go = context.Queue(), context.Queue(), context.Queue(), context.Event()
    count = min(lambdas, len(shares))
    children = [
        context.Process(
            target=lambda_process,
            args=(environment, batch_id, writers, validation, queue, results, ready, go),
        )
        for _ in range(count)
    ]
    for child in children:
        child.start()
    for _ in children:
        ready.get(timeout=300)  # every Lambda warm: imports are not the codes' time
    for share in shares:
        queue.put(list(share) if share else "whole")
    for _ in children:
        queue.put(None)
    moto_before = MOTO_SERVER.ask("cpu")["cpu_seconds"]
    started = time.time()
    go.set()
    done: list[dict[str, Any]] = []
    peaks: list[float] = []
    while len(peaks) < count:
        result = results.get(timeout=3600)
        if "lambda_done" in result:
            peaks.append(result["peak_rss_mb"])
        else:
            result.pop("file_cpu")
            done.append(result)
    for child in children:
        child.join(timeout=60)
    moto = MOTO_SERVER.ask("cpu")
    return _figures(done, started, writers, moto["cpu_seconds"] - moto_before) | {
        "lambdas": count,
        "lambda_peak_rss_mb": round(max(peaks)),
        "moto_server_peak_rss_mb": moto["peak_rss_mb"],
    }


def run_threads(
    quantity: int, writers: int, batch_id: str, lambdas: int, validation: bool
) -> dict[str, Any]:
    shares = fan_out(quantity, batch_id)
    function = Lambda(validation)  # one client: a thread per Lambda shares this process
    pending = list(shares)
    lock = threading.Lock()
    done: list[dict[str, Any]] = []

    def one_lambda(name: int) -> None:
        while True:
            with lock:
                if not pending:
                    return
                share = pending.pop(0)
            result = function.share(batch_id, writers, share)
            result["lambda"] = name
            with lock:
                done.append(result)

    MOTO_CPU[0] = 0.0
    started, cpu = time.time(), time.process_time()
    threads = [threading.Thread(target=one_lambda, args=(n,)) for n in range(lambdas)]
    for thread in threads[: len(shares)]:
        thread.start()
    for thread in threads[: len(shares)]:
        thread.join()
    # in one process, process_time counts every thread, moto's too: the shares' CPU is the
    # run's less moto's and the file's, shared out by transactions
    client = time.process_time() - cpu - MOTO_CPU[0] - sum(r.pop("file_cpu") for r in done)
    transactions = sum(r["transactions"] for r in done) or 1
    for r in done:
        r["client_cpu_seconds"] = client * r["transactions"] / transactions
    figures = _figures(done, started, writers, MOTO_CPU[0])
    figures["lambdas"] = min(lambdas, len(shares))
    return figures


def _figures(
    done: list[dict[str, Any]], started: float, writers: int, moto_cpu: float
) -> dict[str, Any]:
    codes_ended = max(r["codes_ended_at"] for r in done)
    seconds = codes_ended - started
    client_cpu = sum(r["client_cpu_seconds"] for r in done)
    waits = sum(r["simulated_wait_seconds"] for r in done)
    transactions = sum(r["transactions"] for r in done)
    by_lambda: dict[Any, float] = {}
    for r in done:
        cpu, wait = r["client_cpu_seconds"], r["simulated_wait_seconds"]
        by_lambda[r["lambda"]] = by_lambda.get(r["lambda"], 0.0) + max(cpu, (cpu + wait) / writers)
    simulated = max(by_lambda.values())
    return {
        "codes_seconds": round(seconds, 2),
        "excel_file_seconds": round(sum(r["excel_file_seconds"] for r in done), 2),
        "shares": len(done),
        "transactions": transactions,
        "moto_cpu_seconds_under_lock": round(moto_cpu, 2),
        "moto_cpu_ms_per_transaction": round(1000 * moto_cpu / max(1, transactions), 1),
        "client_cpu_seconds": round(client_cpu, 2),
        "client_cpu_ms_per_transaction": round(1000 * client_cpu / max(1, transactions), 1),
        "simulated_wait_seconds_summed": round(waits, 2),
        "simulated_dynamodb_wall_seconds": round(simulated, 2),
        "outcomes": dict(Counter(r["outcome"] for r in done)),
    }


MOTO_SERVER: MotoChild


def main(argv: list[str] | None = None) -> int:
    global MOTO_SERVER
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quantity", type=int, default=100_000)
    parser.add_argument("--writers", default="1,4,16")
    parser.add_argument("--mode", choices=("processes", "threads"), default="processes")
    parser.add_argument("--lambdas", type=int, default=20, help="Lambdas at once (shares)")
    parser.add_argument(
        "--client-validation",
        action="store_true",
        help="code-writing transactions WITH botocore's parameter validation (for comparison; "
        "the worker runs them without)",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    validation = args.client_validation

    from ticketing.settings import settings
    from ticketing_local.account import moto_account

    processes = args.mode == "processes"
    if processes:
        MOTO_SERVER = MotoChild()
    else:
        serialize_moto()
    runs = []
    try:
        with moto_account(MOTO_SERVER.url if processes else None) as account:
            table = settings().table_name
            for writers in (int(w) for w in args.writers.split(",")):
                batch_id = f"bat_writers_{args.mode}_{writers}_{args.quantity}"
                if processes:
                    result = run_processes(
                        account, args.quantity, writers, batch_id, args.lambdas, validation
                    )
                else:
                    result = run_threads(args.quantity, writers, batch_id, args.lambdas, validation)
                result = {"writers": writers, "quantity": args.quantity, **result}
                if processes:
                    check = MOTO_SERVER.ask(f"check {table} {batch_id} {args.quantity}")
                else:
                    check = table_check(table, batch_id, str(args.quantity))
                result["table_check"] = check
                result["every_code_unique"] = (
                    check["voucher_items"] == check["distinct_voucher_codes"] == args.quantity
                    and check["every_chunk_item_present"]
                    and check["listed_equal_voucher_items"]
                )
                runs.append(result)
                print(_line(result), flush=True)
    finally:
        if processes:
            MOTO_SERVER.stop()
    report = {
        "benchmark": "batch_writers",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "mode": args.mode,
        # botocore's parameter validation on the code-writing transactions' client (the
        # worker's has it off; every other call is validated either way)
        "client_parameter_validation": validation,
        "simulated_latency_seconds": LATENCY,
        "target": "100,000 codes in under 10 s at 16 writers",
        "simulated_dynamodb_wall_model": (
            "per share max(client CPU, (client CPU + simulated waits) / writers), measured"
            " figures; shares of one Lambda add up, Lambdas side by side; moto's CPU left out"
            " (on DynamoDB that work is inside the latency)"
        ),
        "coordinator_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        # the machine is shared: wall times are only as good as the CPU this run was given
        "load_average_1_5_15_min_at_end": [round(x, 1) for x in os.getloadavg()],
        "runs": runs,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {args.json}")
    return 0


def _line(r: dict[str, Any]) -> str:
    return (
        f"{r['writers']:>3} writers, {r['shares']} shares on {r['lambdas']} Lambdas: "
        f"{r['codes_seconds']:7.2f} s for {r['quantity']:,} codes"
        f" (file {r['excel_file_seconds']} s)"
        f" | moto CPU under lock {r['moto_cpu_seconds_under_lock']} s"
        f" ({r['moto_cpu_ms_per_transaction']} ms/txn), client CPU {r['client_cpu_seconds']} s"
        f" ({r['client_cpu_ms_per_transaction']} ms/txn),"
        f" waits {r['simulated_wait_seconds_summed']} s"
        f" | simulated DynamoDB wall time {r['simulated_dynamodb_wall_seconds']} s"
        f" | unique {r['every_code_unique']}"
    )


if __name__ == "__main__":
    raise SystemExit(main())

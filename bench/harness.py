"""What the benchmarks share: AWS calls counted, a handler timed beside a bare conditional
write, p50/p99, the local stack started for a crowd, and its API called.

- :func:`counting_calls` counts every AWS call of the clients given (a botocore ``before-call``
  hook, removed again on leaving), by ``service.Operation``.
- :func:`beside_bare_write` times one handler call, then one bare conditional ``update_item``
  on the same table, in turn, ``samples`` times: whatever else the machine does slows both
  alike, so the ratio of the two is the figure and not the milliseconds.
- :func:`local_stack` starts ``ticketing-local`` on a free port and yields its credentials;
  :func:`call` sends one JSON request to it.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

READS = ("GetItem", "Query", "BatchGetItem")


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def percentiles(values: list[float]) -> dict[str, float]:
    """Median and 99th percentile of ``values``, rounded to 0.01."""
    return {"p50": round(statistics.median(values), 2), "p99": round(p99(values), 2)}


def reads(calls: dict[str, int]) -> int:
    return sum(n for name, n in calls.items() if name.split(".")[1] in READS)


def writes(calls: dict[str, int]) -> int:
    return sum(n for name, n in calls.items() if name.split(".")[1] not in READS)


@contextmanager
def counting_calls(clients: Iterable[Any]) -> Iterator[Counter[str]]:
    """Every AWS call the ``clients`` make inside the block, by ``service.Operation``."""
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[f"{model.service_model.service_name}.{model.name}"] += 1

    hooked = list(clients)
    for client in hooked:
        client.meta.events.register("before-call", count)
    try:
        yield calls
    finally:
        for client in hooked:
            client.meta.events.unregister("before-call", count)


def beside_bare_write(
    samples: int, handler: Callable[[int], None], client: Any, table: str
) -> dict[str, Any]:
    """``handler(i)`` and a bare conditional ``update_item`` timed in turn, ``samples`` times:
    both latencies' p50/p99 in ms and the ratios handler / bare write."""
    handler_ms, bare_ms = [], []
    for i in range(samples):
        started = time.perf_counter()
        handler(i)
        handler_ms.append((time.perf_counter() - started) * 1000)
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
        "latency_samples": samples,
        "handler_ms": percentiles(handler_ms),
        "bare_update_item_ms": percentiles(bare_ms),
        "ratio_p50": round(statistics.median(handler_ms) / statistics.median(bare_ms), 1),
        "ratio_p99": round(p99(handler_ms) / p99(bare_ms), 1),
    }


@contextmanager
def local_stack(stop_within: float = 30) -> Iterator[dict[str, Any]]:
    """``ticketing-local`` started on a free port (without the caller's AWS variables); yields
    its credentials file (``base_url``, ``organizer_key``, ...) and stops it on leaving."""
    credentials = Path(tempfile.mkdtemp()) / "credentials.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    stack = subprocess.Popen(
        [sys.executable, "-m", "ticketing_local", "--port", "0", "--credentials-file", credentials],
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
        yield json.loads(credentials.read_text())
    finally:
        stack.terminate()
        stack.wait(timeout=stop_within)


def call(
    base: str,
    method: str,
    path: str,
    key: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    source: str | None = None,
    timeout: float = 120,
) -> tuple[int, Any]:
    """One request to the stack at ``base``: the status and the decoded JSON (the raw bytes
    when the answer is not JSON). ``source`` (127.0.0.N) is another client to the throttles."""
    target = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(
        target.hostname or "127.0.0.1",
        target.port,
        timeout=timeout,
        source_address=(source, 0) if source else None,
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

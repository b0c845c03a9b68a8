"""Guessing a link must not tell which orders exist: the time of an unknown order against
a wrong secret, through the local stack.

``ticketing-local`` is started here; one order is booked. Then, interleaved, 50 requests for
an order number nobody has (well formed, the booked number plus one) and 50 for the booked
order with a wrong secret, on ``/o/{order}/{secret}`` and on ``/t/{token}``. Each request
comes from its own loopback address, so that the throttle neither holds an answer back nor
refuses it (that is the same for both and would hide a difference). Aim: the medians differ
by less than 20 %.

Usage::

    .venv/bin/python bench/guessing.py [--tries 50] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "guessing.json"
AIM = 0.20


def _call(
    base: str, method: str, path: str, key: str | None = None, body: Any = None, source: str = ""
) -> tuple[int, bytes, float]:
    target = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(
        target.hostname or "127.0.0.1",
        target.port,
        timeout=60,
        source_address=(source, 0) if source else None,
    )
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    try:
        connection.connect()  # the clock runs for the answer, not for the connection
        started = time.perf_counter()
        connection.request(
            method, path, body=None if body is None else json.dumps(body), headers=headers
        )
        response = connection.getresponse()
        raw = response.read()
        return response.status, raw, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


@contextmanager
def local_stack() -> Iterator[dict[str, Any]]:
    credentials = Path(tempfile.mkdtemp()) / "credentials.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    stack = subprocess.Popen(
        [
            *(sys.executable, "-m", "ticketing_local", "--port", "0"),
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
            time.sleep(0.1)
        time.sleep(0.2)
        yield json.loads(credentials.read_text())
    finally:
        stack.terminate()
        stack.wait(timeout=20)


def booked_order(base: str, key: str) -> dict[str, Any]:
    draft = json.loads(json.loads((ROOT / "events/events/create_event.json").read_text())["body"])
    draft.update(starts_at="2030-07-12T09:00:00+02:00", ends_at="2030-07-16T18:00:00+02:00")
    _, raw, _ = _call(base, "POST", "/events", key, draft)
    event = json.loads(raw)
    booking = json.loads(
        json.loads((ROOT / "events/bookings/create_booking.json").read_text())["body"]
    )
    status, raw, _ = _call(base, "POST", f"/events/{event['event_id']}/bookings", key, booking)
    assert status == 201, raw
    order: dict[str, Any] = json.loads(raw)
    return order


def _wrong(secret: str) -> str:
    return secret[:-1] + ("a" if secret[-1] != "a" else "b")


def _addresses() -> Iterator[str]:
    for third in range(10, 250):
        for fourth in range(1, 255):
            yield f"127.0.{third}.{fourth}"


def measure(base: str, order: dict[str, Any], links: list[str], tries: int) -> dict[str, Any]:
    number, secret = urllib.parse.urlsplit(order["self_service_url"]).path.split("/")[-2:]
    unknown = f"{number[:-6]}{(int(number[-6:]) + 1) % 1_000_000:06d}"
    token = urllib.parse.urlsplit(links[0]).path.rsplit("/", 1)[-1]
    _, position, ticket_secret = token.split(".")
    paths = {
        "/o/ unknown order": f"/o/{unknown}/{secret}",
        "/o/ wrong secret": f"/o/{number}/{_wrong(secret)}",
        "/t/ unknown order": f"/t/{unknown}.{position}.{ticket_secret}",
        "/t/ wrong token": f"/t/{number}.{position}.{_wrong(ticket_secret)}",
    }
    sources = _addresses()
    times: dict[str, list[float]] = {name: [] for name in paths}
    bodies: dict[str, set[bytes]] = {name: set() for name in paths}
    for round_ in range(tries + 5):  # five rounds to warm up, not counted
        for name, path in paths.items():
            status, body, millis = _call(base, "GET", path, source=next(sources))
            assert status == 404, (name, status, body)
            bodies[name].add(body)
            if round_ >= 5:
                times[name].append(millis)
    medians = {name: round(statistics.median(t), 2) for name, t in times.items()}
    ratio_o = medians["/o/ wrong secret"] / medians["/o/ unknown order"]
    ratio_t = medians["/t/ wrong token"] / medians["/t/ unknown order"]
    return {
        "tries": tries,
        "median_ms": medians,
        "p90_ms": {n: round(statistics.quantiles(t, n=10)[-1], 2) for n, t in times.items()},
        "ratio_order_page": round(ratio_o, 3),
        "ratio_ticket_link": round(ratio_t, 3),
        "difference_order_page": round(abs(ratio_o - 1), 3),
        "difference_ticket_link": round(abs(ratio_t - 1), 3),
        "same_body_order_page": bodies["/o/ unknown order"] == bodies["/o/ wrong secret"],
        "aim": AIM,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    with local_stack() as creds:
        base, key = creds["base_url"], creds["organizer_key"]
        order = booked_order(base, key)
        _, raw, _ = _call(base, "GET", f"/orders/{order['order_number']}/links", key)
        links = [link["url"] for link in json.loads(raw)["links"]]
        result = measure(base, order, links, args.tries)
    for name, median in result["median_ms"].items():
        print(f"{name:20} median {median:7.2f} ms   p90 {result['p90_ms'][name]:7.2f} ms")
    print(
        f"wrong secret / unknown order: /o/ {result['ratio_order_page']:.3f}, "
        f"/t/ {result['ratio_ticket_link']:.3f} (aim: within {AIM:.0%} of 1)"
    )
    out = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        **result,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(f"Figures written to {args.json.relative_to(ROOT)}")
    ok = max(result["difference_order_page"], result["difference_ticket_link"]) < AIM
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The local stack at the size users reach: its answer times with 200,000 vouchers in the table.

Starts the local stack in this process (as ``ticketing-local`` does), makes an event, a few
exhibitors with a small real batch each and some bookings through the API, then puts 200,000
issued visitor vouchers straight into moto's table, shaped as the batch worker writes them (on
the sparse LIVE index; a few hundred already past their end, a few hundred ending a week from
now, which the reminders read). Then it times, over HTTP, the routes the issue measured
(median of 5) and both schedules (one run each). Aim: each route under 0.3 s, each schedule
under 5 s.

Usage::

    .venv/bin/python bench/local_stack_size.py [--vouchers 200000] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import platform
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "local_stack_size.json"
EXHIBITORS = 4
DUE = 300  # vouchers already past their end: the expiry sweep's work
ENDING = 300  # vouchers ending a week from now: the reminders' work
ROUTE_AIM_S = 0.3
SCHEDULE_AIM_S = 5.0


class Api:
    def __init__(self, base_url: str) -> None:
        target = urllib.parse.urlsplit(base_url)
        self.host, self.port = target.hostname or "127.0.0.1", target.port

    def call(self, method: str, path: str, key: str | None = None, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            data = None if body is None else json.dumps(body).encode()
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload) if payload else None


def event_body(now: dt.datetime) -> dict[str, Any]:
    starts = (now + dt.timedelta(days=60)).replace(microsecond=0)
    return {
        "name": "Bench-Messe",
        "venue": "Halle 1",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(days=3)).isoformat(),
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "language": "de",
        "capacity": 100_000,
        "price_options": [
            {"id": "day", "name": "Tageskarte", "price": "25.00", "tax_rate": "7"},
            {"id": "voucher", "name": "Besucher-Gutschein", "price": "12.00", "tax_rate": "19"},
        ],
        "voucher_price_option": "voucher",
    }


def booking(last_name: str) -> dict[str, Any]:
    return {
        "submitter": {"company": "Bench GmbH", "email": "bench@example.org"},
        "customer": {
            "first_name": "Erika",
            "last_name": last_name,
            "street": "Hauptstraße 1",
            "zip": "12345",
            "city": "Musterstadt",
            "phone": "0123 456789",
            "email": "erika@example.org",
        },
        "quantity": 1,
        "price_option": "day",
        "payment": "transfer",
        "delivery": "email",
        "show_price": True,
    }


def set_up(api: Api, organizer_key: str) -> dict[str, Any]:
    """An event, exhibitors with one small real batch each, and a few bookings."""
    event = api.call("POST", "/events", organizer_key, event_body(dt.datetime.now(dt.UTC)))
    exhibitors = []
    for n in range(EXHIBITORS):
        made = api.call(
            "POST",
            "/exhibitors",
            organizer_key,
            {
                "name": f"Aussteller {n}",
                "email": f"a{n}@example.org",
                "event_id": event["event_id"],
            },
        )
        batch = api.call(
            "POST",
            f"/events/{event['event_id']}/voucher-batches",
            made["api_key"],
            {"quantity": 20, "label": f"Stand {n}"},
        )
        exhibitors.append({**made, "batch_id": batch["batch_id"]})
    for exhibitor in exhibitors:
        deadline = time.monotonic() + 60
        path = f"/voucher-batches/{exhibitor['batch_id']}"
        while api.call("GET", path, exhibitor["api_key"])["status"] != "ready":
            if time.monotonic() > deadline:
                raise RuntimeError(f"batch {exhibitor['batch_id']} did not become ready")
            time.sleep(0.2)
        exhibitor["batch"] = api.call("GET", path, exhibitor["api_key"])
    for name in ("Mustermann", "Schmidt", "Meyer"):
        api.call("POST", f"/events/{event['event_id']}/bookings", organizer_key, booking(name))
    return {"event": event, "exhibitors": exhibitors}


def fill(count: int, world: dict[str, Any], organizer_id: str) -> float:
    """``count`` vouchers straight into moto's table, as the worker's ``write_codes`` shapes
    them; returns the seconds it took."""
    from moto.dynamodb.models import dynamodb_backends

    from ticketing.adapters import keys
    from ticketing.adapters.dynamo import serialize
    from ticketing_local.moto_backend import MOTO_LOCK
    from ticketing_local.template import ACCOUNT_ID, REGION

    backend = dynamodb_backends[ACCOUNT_ID][REGION]
    (table_name,) = [name for name in backend.tables if name.endswith("Table")] or list(
        backend.tables
    )
    table = backend.get_table(table_name)
    event, exhibitors = world["event"], world["exhibitors"]
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    with MOTO_LOCK:
        for n in range(count):
            exhibitor = exhibitors[n % len(exhibitors)]
            if n < DUE:
                valid_until = now - dt.timedelta(days=1, minutes=n)
            elif n < DUE + ENDING:
                # the reminders read the vouchers ending a week from now, within a day
                valid_until = now + dt.timedelta(days=7, hours=1, seconds=n)
            else:
                valid_until = now + dt.timedelta(days=90 + n % 200)
            code = f"BENCH{n:07d}"
            item = {
                **keys.voucher(code),
                "kind": "voucher",
                "code": code,
                "batch_id": exhibitor["batch_id"],
                "organizer_id": organizer_id,
                "event_id": event["event_id"],
                "exhibitor_id": exhibitor["exhibitor_id"],
                "valid_from": now.isoformat(),
                "valid_until": valid_until.isoformat(),
                "state": "issued",
                **keys.live(code, valid_until),
            }
            table.put_item(serialize(item))
    return time.perf_counter() - started


def median_time(api: Api, path: str, key: str, runs: int = 5) -> dict[str, Any]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        api.call("GET", path, key)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    return {
        "median_s": round(median, 4),
        "max_s": round(max(times), 4),
        "aim_met": median < ROUTE_AIM_S,
    }


def schedule_time(api: Api, function: str) -> dict[str, Any]:
    started = time.perf_counter()
    ran = api.call("POST", f"/_local/schedules/{function}")
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "error": ran.get("error"),
        "result": ran.get("result"),
        "aim_met": seconds < SCHEDULE_AIM_S and ran.get("error") is None,
    }


def run(vouchers: int) -> dict[str, Any]:
    from ticketing_local.stack import LocalStack

    stack = LocalStack(port=0)
    credentials = stack.start()
    try:
        api = Api(credentials.base_url)
        world = set_up(api, credentials.organizer_key)
        fill_s = fill(vouchers, world, credentials.organizer_id)
        event_id = world["event"]["event_id"]
        exhibitor_key = world["exhibitors"][0]["api_key"]
        organizer_key = credentials.organizer_key
        routes = {
            "GET /events": median_time(api, "/events", organizer_key),
            "GET /voucher-batches": median_time(api, "/voucher-batches", exhibitor_key),
            "GET /orders?q=Mustermann": median_time(api, "/orders?q=Mustermann", organizer_key),
            "GET /events/{id}/redemptions": median_time(
                api, f"/events/{event_id}/redemptions", exhibitor_key
            ),
        }
        schedules = {
            name: schedule_time(api, name)
            for name in ("RemindersFunction", "VoucherExpiryFunction")
        }
    finally:
        stack.stop()
    return {
        "vouchers": vouchers,
        "due": DUE,
        "ending_in_a_week": ENDING,
        "fill_seconds": round(fill_s, 1),
        "routes": routes,
        "schedules": schedules,
        "aims": {"route_s": ROUTE_AIM_S, "schedule_s": SCHEDULE_AIM_S},
        "all_aims_met": all(r["aim_met"] for r in routes.values())
        and all(s["aim_met"] for s in schedules.values()),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vouchers", type=int, default=200_000)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    result = run(args.vouchers)
    print(
        f"local stack with {result['vouchers']:,} vouchers (filled in {result['fill_seconds']} s)"
    )
    for name, figures in result["routes"].items():
        mark = "ok" if figures["aim_met"] else "SLOW"
        print(
            f"  {name:32} median {figures['median_s']:.3f} s  (max {figures['max_s']:.3f})  {mark}"
        )
    for name, figures in result["schedules"].items():
        mark = "ok" if figures["aim_met"] else "SLOW"
        print(f"  schedule {name:23} {figures['seconds']:.2f} s  {mark}  {figures['error'] or ''}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"written to {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}"
    )
    return 0 if result["all_aims_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""``ticketing-local`` stops within 5 s on SIGTERM and on Ctrl-C (SIGINT), also with open
keep-alive connections and a queue consumer busy rendering a large confirmation (issue 18)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVENT = {
    "name": "Stop test", "venue": "Halle 1", "starts_at": "2027-07-12T09:00:00+02:00",
    "ends_at": "2027-07-12T18:00:00+02:00", "timezone": "Europe/Berlin", "currency": "EUR",
    "language": "de", "capacity": 1000,
    "price_options": [{"id": "day", "name": "Tageskarte", "price": "25.00", "tax_rate": "7"}],
}  # fmt: skip
BOOKING = {
    "submitter": {"company": "Musterfirma", "email": "muster@beispiel.de"},
    "customer": {"first_name": "Madeleine", "last_name": "Müller", "street": "Hauptstraße 1",
                 "zip": "12345", "city": "Musterstadt", "email": "m.mueller@example.org"},
    "quantity": 300, "price_option": "day", "payment": "free", "delivery": "email",
}  # fmt: skip

pytestmark = pytest.mark.slow


def start(folder: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    credentials = folder / "creds.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "ticketing-local"), "--port", "0",
         "--credentials-file", str(credentials)],
        stdout=(folder / "stack.log").open("wb"), stderr=subprocess.STDOUT, env=env, cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while not credentials.exists():
        assert process.poll() is None, "ticketing-local ended"
        assert time.monotonic() < deadline, "ticketing-local did not start"
        time.sleep(0.1)
    time.sleep(0.2)
    return process, json.loads(credentials.read_text())


def call(connection: http.client.HTTPConnection, method: str, path: str, key: str,
         body: object = None) -> dict[str, object]:  # fmt: skip
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    assert response.status < 300, payload
    return json.loads(payload)  # type: ignore[no-any-return]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_the_local_stack_stops_within_five_seconds(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    process, credentials = start(tmp_path)
    try:
        url = urlsplit(credentials["base_url"])
        key = credentials["organizer_key"]
        keep_alive = [http.client.HTTPConnection(url.hostname, url.port, timeout=30)
                      for _ in range(3)]  # fmt: skip
        event = call(keep_alive[0], "POST", "/events", key, EVENT)
        # 300 tickets: the mail consumer renders their PDFs for many seconds
        call(keep_alive[1], "POST", f"/events/{event['event_id']}/bookings", key, BOOKING)
        call(keep_alive[2], "GET", "/events", key)  # each connection stays open, idle
        time.sleep(1.0)

        sent = time.monotonic()
        process.send_signal(stop_signal)
        process.wait(timeout=10)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
    assert took < 5.0, f"stopped after {took:.1f} s"
    assert "ticketing-local stopped" in (tmp_path / "stack.log").read_text()

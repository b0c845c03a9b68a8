"""The local stack, started as a user starts it (``ticketing-local``), driven over HTTP."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    base_url: str
    # another loopback address (127.0.0.N) is another client to the rate limits
    source: str | None = None

    def from_address(self, source: str) -> Client:
        return Client(self.base_url, source)

    def call(
        self,
        method: str,
        path: str,
        key: str | None = None,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        sent = {"Content-Type": "application/json"} if data is not None else {}
        if key:
            sent["Authorization"] = f"Bearer {key}"
        sent.update(headers or {})
        target = urllib.parse.urlsplit(self.base_url)
        connection = http.client.HTTPConnection(
            target.hostname or "127.0.0.1",
            target.port,
            timeout=30,
            source_address=(self.source, 0) if self.source else None,
        )
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            return Reply(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()


@dataclass
class LocalStack:
    client: Client
    organizer_key: str
    reviewer_key: str
    organizer_id: str
    aws_endpoint: str
    # the console's demo users: the demo organizer's admin and a reviewer (tests/e2e/console.py)
    organizer_email: str = ""
    reviewer_email: str = ""


def outbox(stack: LocalStack, raw: bool = False) -> list[dict[str, Any]]:
    """Every mail the local stack has sent, oldest first (``raw``: with its MIME text)."""
    mails: list[dict[str, Any]] = stack.client.call(
        "GET", "/_local/outbox?raw=1" if raw else "/_local/outbox"
    ).json()
    return mails


def mails_to(
    stack: LocalStack,
    address: str | None,
    subject: str | re.Pattern[str] | None = None,
    count: int = 1,
    after: int = 0,
    timeout: float = 60,
    raw: bool = False,
    text: str | None = None,
) -> list[dict[str, Any]]:
    """The mails to ``address`` (None: to anyone) whose subject holds ``subject`` (a pattern
    is searched; None: any subject) and whose text holds ``text``, among the outbox's mails
    after the first ``after``, oldest first, as soon as there are ``count`` of them.

    Waits up to ``timeout`` seconds and fails the test if they do not come; ``count=0`` takes
    what is there now. Name the subject whenever an address gets more than one mail: a wait
    for "any mail" returns at the first one, also when a later one was meant."""

    def wanted(mail: dict[str, Any]) -> bool:
        if address is not None and address not in mail["to"]:
            return False
        if isinstance(subject, re.Pattern):
            if not subject.search(mail["subject"]):
                return False
        elif subject is not None and subject not in mail["subject"]:
            return False
        return text is None or text in mail["text"]

    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in outbox(stack, raw)[after:] if wanted(m)]
        if len(found) >= count:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{count} mail(s) to {address or 'anyone'} about {subject or 'anything'}"
                f" did not arrive in {timeout:g} s; {len(found)} did"
            )
        time.sleep(0.2)


def mail_to(
    stack: LocalStack,
    address: str | None,
    subject: str | re.Pattern[str] | None = None,
    after: int = 0,
    timeout: float = 60,
    raw: bool = False,
    text: str | None = None,
) -> dict[str, Any]:
    """The first mail :func:`mails_to` finds, waiting for it."""
    return mails_to(stack, address, subject, 1, after, timeout, raw, text)[0]


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    folder = tmp_path_factory.mktemp("local-stack")
    credentials = folder / "credentials.json"
    log = (folder / "stack.log").open("w")
    executable = Path(sys.executable).parent / "ticketing-local"
    command = (
        [str(executable)] if executable.exists() else [sys.executable, "-m", "ticketing_local"]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    process = subprocess.Popen(
        [*command, "--port", "0", "--credentials-file", str(credentials)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while not credentials.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("ticketing-local did not start:\n" + (folder / "stack.log").read_text())
        time.sleep(0.1)
    time.sleep(0.1)
    data = json.loads(credentials.read_text())
    try:
        yield LocalStack(
            client=Client(data["base_url"]),
            organizer_key=data["organizer_key"],
            reviewer_key=data["reviewer_key"],
            organizer_id=data["organizer_id"],
            aws_endpoint=data["aws_endpoint"],
            organizer_email=data.get("organizer_email", ""),
            reviewer_email=data.get("reviewer_email", ""),
        )
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()

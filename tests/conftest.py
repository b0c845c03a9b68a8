"""Fixtures shared by every test: AWS on moto, built from the SAM template like the local stack."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
FUNCTIONS = ROOT / "functions"


class FixedClock:
    """A clock tests set by hand."""

    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


@dataclass
class Aws:
    """The moto account a test runs in: clients, queue URLs, the environment functions see."""

    clients: dict[str, Any]
    queue_urls: dict[str, str]
    environment: dict[str, str]
    clock: FixedClock

    @property
    def table(self) -> str:
        return self.environment["TABLE_NAME"]

    def receive_all(self, queue: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        while True:
            batch = (
                self.clients["sqs"]
                .receive_message(
                    QueueUrl=self.queue_urls[queue],
                    MaxNumberOfMessages=10,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                )
                .get("Messages", [])
            )
            if not batch:
                return messages
            messages.extend(batch)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    """Every table, bucket and queue of the template, on moto, with the functions' environment."""
    import boto3
    from moto import mock_aws

    from ticketing import clock as clock_module
    from ticketing.adapters import aws as aws_clients
    from ticketing.settings import settings
    from ticketing_local import moto_fast
    from ticketing_local.moto_backend import provision
    from ticketing_local.template import REGION, load_template, read_stack

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    moto_fast.install()
    with mock_aws():
        template = load_template()
        clients = {n: boto3.client(n, region_name=REGION) for n in ("dynamodb", "s3", "sqs", "ses")}
        sender = str(template["Parameters"]["SenderAddress"]["Default"])
        queue_urls = provision(template, clients, sender=sender)
        stack = read_stack(template, queue_urls)
        environment: dict[str, str] = {}
        for function in stack.functions.values():
            environment.update(function.environment)
        for key, value in environment.items():
            monkeypatch.setenv(key, value)
        settings.cache_clear()
        aws_clients.reset()
        clock = FixedClock(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))
        previous = clock_module.current()
        clock_module.install(clock)
        try:
            yield Aws(clients, queue_urls, environment, clock)
        finally:
            clock_module.install(previous)
            settings.cache_clear()
            aws_clients.reset()


def load_function(name: str) -> Any:
    """Import ``functions/<name>/app.py`` afresh, as a Lambda cold start would."""
    path = FUNCTIONS / name / "app.py"
    spec = importlib.util.spec_from_file_location(f"_test_fn_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would; pydantic resolves annotations there
    spec.loader.exec_module(module)
    return module


def load_event(relative: str) -> dict[str, Any]:
    """A sample event from ``events/`` (the same files ``sam local invoke -e`` takes)."""
    data: dict[str, Any] = json.loads((EVENTS / relative).read_text(encoding="utf-8"))
    return data


class LambdaContext:
    function_name = "test"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-central-1:123456789012:function:test"
    aws_request_id = "00000000-0000-4000-8000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@pytest.fixture
def lambda_context() -> LambdaContext:
    return LambdaContext()


def pytest_configure(config: pytest.Config) -> None:
    # Logs of handlers are JSON lines; keep them out of the way of test output.
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")


# The local stack is one per test session (per xdist worker), shared by the end-to-end and
# the browser tests.
from tests.e2e.stack import local_stack  # noqa: E402, F401

"""Fixtures shared by every test: AWS on moto, built from the SAM template like the local stack."""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.fakes.clock import FixedClock

if TYPE_CHECKING:
    from ticketing_local.account import Account

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
FUNCTIONS = ROOT / "functions"


@dataclass
class Aws:
    """The moto account a test runs in: clients, queue URLs, the environment functions see."""

    clients: dict[str, Any]
    queue_urls: dict[str, str]
    environment: dict[str, str]  # every function's variables: for the test's own code
    clock: FixedClock
    account: Account

    @property
    def table(self) -> str:
        return self.environment["TABLE_NAME"]

    def environment_of(self, function: str) -> dict[str, str]:
        """What the function ``function`` (its logical id) sees, and nothing else."""
        return self.account.environment_of(function)

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


# The account of the running test, so that a handler loaded by ``load_function`` runs in its
# own function's environment.
_current: Aws | None = None


@pytest.fixture
def aws(request: pytest.FixtureRequest) -> Iterator[Aws]:
    """Every table, bucket and queue of the template, on moto, as the local stack has them.

    The test's own code sees every function's variables; a handler from ``load_function`` sees
    only its function's. Parametrize indirectly with a template to run on a changed one.
    """
    from ticketing import clock as clock_module
    from ticketing_local.account import moto_account

    global _current
    template = getattr(request, "param", None) or _template()
    with moto_account(template=template) as account:
        clock = FixedClock(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))
        previous = clock_module.current()
        clock_module.install(clock)
        _current = Aws(account.clients, account.queue_urls, account.environment, clock, account)
        try:
            yield _current
        finally:
            _current = None
            clock_module.install(previous)


def _template() -> dict[str, Any]:
    """The SAM template, parsed once per process (two thirds of an account's set-up was
    PyYAML reading it for every test); a fresh copy each time, read again if the file changed."""
    from ticketing_local.template import TEMPLATE_PATH

    return copy.deepcopy(_parsed_template(TEMPLATE_PATH.stat().st_mtime_ns))


@functools.cache
def _parsed_template(_version: int) -> dict[str, Any]:
    from ticketing_local.template import load_template

    return load_template()


def load_function(name: str) -> Any:
    """Import ``functions/<name>/app.py`` afresh, as a Lambda cold start would.

    Within the ``aws`` fixture its handler runs in its own function's environment, as the local
    stack runs it: a variable the template gives another function only is missing there too.
    """
    path = FUNCTIONS / name / "app.py"
    spec = importlib.util.spec_from_file_location(f"_test_fn_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would; pydantic resolves annotations there
    spec.loader.exec_module(module)
    if _current is not None:
        function = next(
            f for f in _current.account.functions.values() if f.code_dir == path.parent.resolve()
        )
        attribute = function.handler.rpartition(".")[2]
        setattr(module, attribute, _in_environment(getattr(module, attribute), function.logical_id))
    return module


def _in_environment(handler: Any, function: str) -> Any:
    from ticketing.settings import scoped_environment

    @functools.wraps(handler)
    def invoke(event: dict[str, Any], context: Any) -> Any:
        assert _current is not None, f"{function}'s handler runs outside the aws fixture"
        with scoped_environment(_current.environment_of(function)):
            return handler(event, context)

    return invoke


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

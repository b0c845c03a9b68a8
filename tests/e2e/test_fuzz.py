"""Issue 10: schemathesis against the generated ``docs/openapi.json``, through the local stack.

Every operation gets a few valid and a few invalid requests (schemathesis' positive and
negative generation), made with an organizer's key, an exhibitor's key and no key at all. The
assertion is the one a clumsy client or an attacker cares about: no answer is a server error.

Bounded so that it stays a test, not a campaign: ``EXAMPLES`` per operation and mode, the same
inputs on every run (derandomized), and ``BUDGET_SECONDS`` for all of it; operations the budget
did not reach are reported, and must be few. The fuzzer works in an organizer of its own and
from its own loopback address, so that its events and its failed guesses touch no other test.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import INTERFORST, new_organizer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 3
BUDGET_SECONDS = 90.0  # for the three callers together
FUZZER_ADDRESS = "127.0.0.77"  # another client to the throttles than the other tests


def _session(source: str) -> Any:
    """A requests session whose connections leave from ``source``."""
    import requests
    from requests.adapters import HTTPAdapter

    class FromAddress(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            kwargs["source_address"] = (source, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", FromAddress())
    return session


def _callers(stack: LocalStack) -> dict[str, str | None]:
    """An organizer of the fuzzer's own, one of its exhibitors, and nobody."""
    client = stack.client
    _, organizer_key = new_organizer(stack, "fuzz-organizer")
    event = client.call("POST", "/events", organizer_key, INTERFORST)
    assert event.status == 201, event.body
    exhibitor = client.call(
        "POST",
        "/exhibitors",
        organizer_key,
        {
            "name": "Fuzz Forsttechnik KG",
            "email": "fuzz@forsttechnik.example",
            "event_id": event.json()["event_id"],
        },
    )
    assert exhibitor.status == 201, exhibitor.body
    return {"organizer": organizer_key, "exhibitor": exhibitor.json()["api_key"], "no key": None}


class Fuzzing:
    """One caller's run: what it sent, what came back, and what it found."""

    def __init__(self, base_url: str, key: str | None) -> None:
        self.base_url = base_url
        self.session = _session(FUZZER_ADDRESS)
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.errors: list[str] = []  # server errors: operation, mode, input as curl
        self.unreached: list[str] = []  # operations the budget did not reach
        self.statuses: Counter[int] = Counter()
        self.reached = 0  # operations and modes probed

    def run(self, schema: Any, deadline: float) -> None:
        from schemathesis import GenerationMode

        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                if time.monotonic() > deadline:
                    self.unreached.append(f"{operation.label} ({mode.value})")
                else:
                    self.probe(operation, mode)
                    self.reached += 1

    def probe(self, operation: Any, mode: Any) -> None:
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis.errors import Unsatisfiable

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def one(case: Any) -> None:
            failure = self.failure_of(case)
            if failure:
                self.errors.append(
                    f"{operation.label} ({mode.value}): {failure}\n    {case.as_curl_command()}"
                )

        # an operation without parameters has no invalid input to make
        with contextlib.suppress(Unsatisfiable):
            one()

    def failure_of(self, case: Any) -> str | None:
        from schemathesis.checks import not_a_server_error

        try:
            response = case.call(
                base_url=self.base_url, session=self.session, headers=self.headers, timeout=30
            )
        except OSError as broken:  # a connection the stack dropped is a server error too
            return f"no answer: {broken}"
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            return f"answered {response.status_code}: {response.text[:300]}"
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (AssertionError, BaseExceptionGroup) as failed:  # one failure, or a group
            return f"{type(failed).__name__}: {str(failed)[:300]}"
        return None


def test_the_fuzzer_finds_no_server_error(local_stack: LocalStack) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_path(str(ROOT / "docs" / "openapi.json"))
    callers = _callers(local_stack)
    started = time.monotonic()
    report: dict[str, Fuzzing] = {}
    for index, (who, key) in enumerate(callers.items()):
        # each caller gets its share of what is left of the budget
        share = (BUDGET_SECONDS - (time.monotonic() - started)) / (len(callers) - index)
        report[who] = Fuzzing(local_stack.client.base_url, key)
        report[who].run(schema, time.monotonic() + share)
    elapsed = time.monotonic() - started

    errors = [f"[{who}] {e}" for who, run in report.items() for e in run.errors]
    unreached = sum(len(run.unreached) for run in report.values())
    statuses = sum((run.statuses for run in report.values()), Counter[int]())
    print(
        f"fuzzer: {statuses.total()} requests in {elapsed:.1f} s, statuses {dict(statuses)}, "
        f"{unreached} operation-modes unreached"
    )
    assert errors == [], "\n".join(errors)
    assert statuses.total() > 0
    assert set(statuses) - {401, 403, 404, 405}, "no request reached a route's own answer"
    planned = unreached + sum(run.reached for run in report.values())
    assert unreached <= planned // 2, "the time budget reached fewer than half the operations"

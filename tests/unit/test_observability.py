"""Business metrics leave a handler as one CloudWatch EMF line on stdout, and never break it."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from tests.conftest import LambdaContext, load_event
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.observability import NAMESPACE, count, flush, metered


def metric_lines(output: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [line for line in lines if "_aws" in line]


def counted(line: dict[str, Any]) -> dict[str, Any]:
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == NAMESPACE
    return {m["Name"]: line[m["Name"]] for m in directive["Metrics"]}


@pytest.fixture(autouse=True)
def nothing_counted_before(capsys: pytest.CaptureFixture[str]) -> None:
    flush()  # what other tests' services counted outside a handler
    capsys.readouterr()


def test_an_api_handler_writes_what_it_counted_as_one_emf_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = make_resolver()

    @app.get("/events")
    def listing() -> dict[str, Any]:
        count("BookingsPlaced")
        count("Registrations", 2)
        return {"events": []}

    answer = lambda_handler(app)(load_event("events/list_events.json"), LambdaContext())
    assert answer["statusCode"] == 200
    (line,) = metric_lines(capsys.readouterr().out)
    assert counted(line) == {"BookingsPlaced": [1.0], "Registrations": [2.0]}


def test_counts_are_written_when_the_handler_fails_too(capsys: pytest.CaptureFixture[str]) -> None:
    @metered
    def handler(event: dict[str, Any], context: Any) -> None:
        count("MailsFailed")
        raise RuntimeError("SES is down")

    with pytest.raises(RuntimeError):
        handler({}, LambdaContext())
    (line,) = metric_lines(capsys.readouterr().out)
    assert counted(line) == {"MailsFailed": [1.0]}


def test_an_invocation_that_counted_nothing_writes_nothing_and_warns_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = make_resolver()

    @app.get("/events")
    def listing() -> dict[str, Any]:
        return {"events": []}

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        answer = lambda_handler(app)(load_event("events/list_events.json"), LambdaContext())
    assert answer["statusCode"] == 200
    assert metric_lines(capsys.readouterr().out) == []


def test_a_metric_that_cannot_be_counted_does_not_break_the_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = make_resolver()

    @app.get("/events")
    def listing() -> dict[str, Any]:
        count("")  # CloudWatch refuses an empty name
        count("CheckIns")
        return {"events": []}

    answer = lambda_handler(app)(load_event("events/list_events.json"), LambdaContext())
    assert answer["statusCode"] == 200
    (line,) = metric_lines(capsys.readouterr().out)
    assert counted(line) == {"CheckIns": [1.0]}


def test_metrics_switched_off_are_not_written_and_do_not_pile_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")  # as the local stack runs
    for _ in range(3):
        metered(lambda event, context: count("VouchersExpired", 5))({}, LambdaContext())
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED")
    metered(lambda event, context: count("VouchersExpired", 1))({}, LambdaContext())
    (line,) = metric_lines(capsys.readouterr().out)
    assert counted(line) == {"VouchersExpired": [1.0]}


def test_the_template_asks_for_no_tracing_that_the_code_does_not_do() -> None:
    from ticketing_local.template import load_template

    template = load_template()
    assert "Tracing" not in template["Globals"]["Function"]
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties") or {}
        assert "Tracing" not in properties, name
        assert "TracingEnabled" not in properties, name

"""Operable on AWS (issue 18): whatever functions and queues the template declares when this
runs, each has its alarms and its log group; the API logs access, the documents bucket logs
access and locks invoices, a WAF rate rule guards the public routes. checkov runs in `make lint`
(scripts/checkov.sh), so a new finding fails CI there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ticketing_local.template import load_template

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    return load_template()["Resources"]  # type: ignore[no-any-return]


def of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def alarms_on(resources: dict[str, Any], namespace: str, dimension: str) -> dict[str, set[str]]:
    """Logical id -> the metrics alarmed on, of alarms whose ``dimension`` names a resource."""
    found: dict[str, set[str]] = {}
    for alarm in of_type(resources, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("Namespace") != namespace:
            continue
        assert props.get("AlarmActions") == [{"Ref": "AlarmTopic"}], props
        for dim in props.get("Dimensions", []):
            value = dim["Value"]
            if dim["Name"] != dimension or not isinstance(value, dict):
                continue
            target = value.get("Ref") or value.get("Fn::GetAtt", [None])[0]
            found.setdefault(target, set()).add(props["MetricName"])
    return found


def dead_letter_queues(resources: dict[str, Any]) -> set[str]:
    queues = set()
    for resource in resources.values():
        props = resource.get("Properties") or {}
        redrive = props.get("RedrivePolicy")
        if redrive:
            queues.add(redrive["deadLetterTargetArn"]["Fn::GetAtt"][0])
        for event in (props.get("Events") or {}).values():
            config = (event.get("Properties") or {}).get("DeadLetterConfig") or {}
            assert "QueueLogicalId" not in config, "declare the queue, so that it can be alarmed"
            if "Arn" in config:
                queues.add(config["Arn"]["Fn::GetAtt"][0])
    return queues


def test_every_function_has_errors_and_throttles_alarms(resources: dict[str, Any]) -> None:
    alarmed = alarms_on(resources, "AWS/Lambda", "FunctionName")
    for name in of_type(resources, "AWS::Serverless::Function"):
        assert {"Errors", "Throttles"} <= alarmed.get(name, set()), f"alarm {name}"


def test_every_dead_letter_queue_is_alarmed_when_it_holds_a_message(
    resources: dict[str, Any],
) -> None:
    alarmed = alarms_on(resources, "AWS/SQS", "QueueName")
    queues = dead_letter_queues(resources)
    assert {"MailDeadLetterQueue", "VoucherBatchDeadLetterQueue"} <= queues
    for queue in queues:
        assert resources[queue]["Type"] == "AWS::SQS::Queue"
        assert "ApproximateNumberOfMessagesVisible" in alarmed.get(queue, set()), queue


def test_every_queue_says_what_happens_to_it_on_delete(resources: dict[str, Any]) -> None:
    for name, queue in of_type(resources, "AWS::SQS::Queue").items():
        assert queue.get("DeletionPolicy"), name
        assert queue.get("UpdateReplacePolicy"), name
        assert queue["Properties"].get("SqsManagedSseEnabled") is True, name


def test_every_function_has_a_log_group_with_retention(resources: dict[str, Any]) -> None:
    groups = {}
    for group in of_type(resources, "AWS::Logs::LogGroup").values():
        props = group["Properties"]
        assert props["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        name = props.get("LogGroupName")
        if isinstance(name, dict) and "Fn::Sub" in name:
            groups[name["Fn::Sub"]] = group
    for name in of_type(resources, "AWS::Serverless::Function"):
        assert f"/aws/lambda/${{{name}}}" in groups, f"log group for {name}"


def test_mail_reputation_api_errors_and_pending_mail_are_alarmed(
    resources: dict[str, Any],
) -> None:
    alarms = {
        (a["Properties"]["Namespace"], a["Properties"]["MetricName"]): a["Properties"]
        for a in of_type(resources, "AWS::CloudWatch::Alarm").values()
    }
    assert alarms[("AWS/SES", "Reputation.BounceRate")]["Threshold"] == 0.05
    assert alarms[("AWS/SES", "Reputation.ComplaintRate")]["Threshold"] == 0.001
    assert ("AWS/ApiGateway", "5XXError") in alarms
    assert ("AWS/SQS", "ApproximateAgeOfOldestMessage") in alarms
    assert ("Ticketing", "MailsFailed") in alarms
    body = resources["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    for metric in ("BookingsPlaced", "Registrations", "MailsSent", "MailsFailed", "Latency"):
        assert metric in body


def test_api_access_logs_are_json_without_keys_or_personal_fields(
    resources: dict[str, Any],
) -> None:
    import json

    setting = resources["Api"]["Properties"]["AccessLogSetting"]
    assert setting["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    fields = json.loads(setting["Format"])
    values = set(fields.values())
    assert {"$context.requestId", "$context.authorizer.role", "$context.status"} <= values
    for forbidden in ("identity.sourceIp", "$context.path", "apiKey", "authorizer.principalId"):
        assert not any(forbidden in value for value in values), forbidden


def test_documents_bucket_logs_access_and_locks_invoices(resources: dict[str, Any]) -> None:
    bucket = resources["DocumentsBucket"]["Properties"]
    assert bucket["ObjectLockEnabled"] is True
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "AccessLogBucket"}
    logs = resources["AccessLogBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert any(r.get("ExpirationInDays") == {"Ref": "AccessLogRetentionDays"} for r in logs)
    template = load_template()
    assert template["Globals"]["Function"]["Environment"]["Variables"]["DOCUMENTS_LOCK_MODE"] == {
        "Ref": "DocumentsLockMode"
    }
    # whoever may write an invoice may (and must) put its retention
    for name, function in of_type(resources, "AWS::Serverless::Function").items():
        statements = [
            s for p in function["Properties"].get("Policies", []) for s in p.get("Statement", [])
        ]
        text = repr(statements)
        if "/invoices/*" in text and "s3:PutObject'" in text:
            assert "s3:PutObjectRetention" in text, name


def public_functions(resources: dict[str, Any]) -> set[str]:
    found = set()
    for name, function in of_type(resources, "AWS::Serverless::Function").items():
        for event in (function["Properties"].get("Events") or {}).values():
            auth = (event.get("Properties") or {}).get("Auth") or {}
            if event["Type"] == "Api" and auth.get("Authorizer") == "NONE":
                found.add(name)
    return found


def test_public_routes_are_behind_a_waf_rate_rule_and_reserved_concurrency(
    resources: dict[str, Any],
) -> None:
    import re

    (acl,) = of_type(resources, "AWS::WAFv2::WebACL").values()
    (rule,) = [r for r in acl["Properties"]["Rules"] if "RateBasedStatement" in r["Statement"]]
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP"
    assert "Block" in rule["Action"]
    (association,) = of_type(resources, "AWS::WAFv2::WebACLAssociation").values()
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}
    assert (
        "/restapis/${Api}/stages/${Api.Stage}"
        in association["Properties"]["ResourceArn"]["Fn::Sub"]
    )
    patterns = [
        re.compile(p["Fn::Sub"].replace("${Stage}", "v1"))
        for p in resources["PublicPaths"]["Properties"]["RegularExpressionList"]
    ]
    public_paths = {
        e["Properties"]["Path"]
        for name in public_functions(resources)
        for e in resources[name]["Properties"]["Events"].values()
        if e["Type"] == "Api" and (e["Properties"].get("Auth") or {}).get("Authorizer") == "NONE"
    }
    # the console's pages answer only a signed-in session; its door is the sign-in
    public_paths = {p for p in public_paths if not p.startswith("/console")}
    public_paths.add("/console/sign-in")
    for path in public_paths:
        concrete = re.sub(r"\{\w+\+?\}", "x", path)
        for prefix in ("", "/v1"):
            assert any(p.search(prefix + concrete) for p in patterns), f"WAF misses {path}"
    for private in ("/events", "/v1/orders/x/invoice", "/v1/organizers"):
        assert not any(p.search(private) for p in patterns), private
    for name in public_functions(resources):
        reserved = resources[name]["Properties"].get("ReservedConcurrentExecutions")
        assert "PublicConcurrency" in repr(reserved), f"reserve concurrency of {name}"


def test_cfn_lint_reports_nothing_informational_included() -> None:
    from cfnlint.api import ManualArgs, lint

    text = (ROOT / "infra" / "template.yaml").read_text(encoding="utf-8")
    matches = lint(text, config=ManualArgs(include_checks=["I"]))
    assert [str(m) for m in matches] == []

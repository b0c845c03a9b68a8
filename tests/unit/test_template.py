"""The SAM template: valid for cfn-lint, readable by the local stack, and complete."""

from __future__ import annotations

from pathlib import Path

from ticketing_local.template import TEMPLATE_PATH, load_template, read_stack

ROOT = Path(__file__).resolve().parents[2]


def test_cfn_lint_reports_no_errors() -> None:
    from cfnlint.api import lint_all

    matches = lint_all(TEMPLATE_PATH.read_text(encoding="utf-8"))
    errors = [str(m) for m in matches if m.rule.id.startswith("E")]
    assert errors == []


def test_short_tags_become_intrinsic_functions() -> None:
    template = load_template()
    api = template["Resources"]["Api"]["Properties"]
    assert api["StageName"] == {"Ref": "Stage"}
    authorizer = api["Auth"]["Authorizers"]["KeyAuthorizer"]
    assert authorizer["FunctionArn"] == {"Fn::GetAtt": ["AuthorizerFunction", "Arn"]}


def test_every_function_has_its_handler_file_and_sample_events() -> None:
    stack = read_stack(load_template(), {"MailQueue": "q", "MailDeadLetterQueue": "dlq"})
    for function in stack.functions.values():
        module, _, _ = function.handler.rpartition(".")
        assert (function.code_dir / f"{module}.py").is_file(), function.logical_id
        events = ROOT / "events" / function.code_dir.name
        assert list(events.glob("*.json")), f"no sample events for {function.logical_id}"


def test_routes_are_behind_the_key_authorizer() -> None:
    stack = read_stack(load_template(), {"MailQueue": "q", "MailDeadLetterQueue": "dlq"})
    assert stack.authorizer == "AuthorizerFunction"
    routes = {(r.method, r.path): r for r in stack.routes}
    assert ("POST", "/events") in routes
    assert ("GET", "/events/{event_id}") in routes
    public = {(r.method, r.path) for r in stack.routes if not r.authorized}
    assert public == {
        ("GET", "/t/{ticket_token}"),
        ("GET", "/redeem"),
        ("POST", "/redeem"),  # the page's form posted without a script (issue 17)
        ("GET", "/g/{token}"),  # a gift voucher's page: its token is the secret
        ("GET", "/terminal"),  # the cashier's page: it shows nothing until a terminal key is typed
        ("POST", "/vouchers/{code}/registration"),
        ("GET", "/portal"),
        ("POST", "/portal/requests"),
        ("GET", "/o/{order_number}/{secret}"),
        ("GET", "/o/{order_number}/{secret}/tickets.pdf"),
        ("GET", "/o/{order_number}/{secret}/invoice"),
        ("POST", "/o/{order_number}/{secret}/preferences"),
        # the customer's own privacy requests (issue 17): answered alike; the link is the secret
        ("GET", "/portal/privacy"),
        ("POST", "/portal/privacy"),
        ("GET", "/portal/privacy/{token}"),
        ("POST", "/portal/privacy/{token}"),
        # the consent links' pages (issue 15): the token is the secret
        ("GET", "/consent/confirm/{token}"),
        ("POST", "/consent/confirm/{token}"),
        ("GET", "/consent/unsubscribe/{token}"),
        ("POST", "/consent/unsubscribe/{token}"),
        # the console: its session is the authorization (issue 13)
        ("GET", "/console"),
        ("POST", "/console"),
        ("GET", "/console/{proxy+}"),
        ("POST", "/console/{proxy+}"),
    }


def test_environment_is_resolved_to_local_names() -> None:
    stack = read_stack(
        load_template(), {"MailQueue": "http://q", "MailDeadLetterQueue": "http://d"}
    )
    access = stack.functions["AccessFunction"].environment
    assert access["TABLE_NAME"] == "ticketing-Table"
    assert access["MAIL_QUEUE_URL"] == "http://q"
    assert access["POWERTOOLS_SERVICE_NAME"] == "ticketing"


def test_gateway_responses_answer_in_problem_json() -> None:
    stack = read_stack(load_template(), {"MailQueue": "q", "MailDeadLetterQueue": "dlq"})
    unauthorized = stack.gateway_responses["UNAUTHORIZED"]
    assert unauthorized.status == 401
    assert unauthorized.headers["Content-Type"] == "application/problem+json"


def test_functions_are_least_privileged() -> None:
    """No function gets a managed policy with wildcards; statements name their resources."""
    resources = load_template()["Resources"]
    for name, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for policy in resource["Properties"].get("Policies", []):
            assert isinstance(policy, dict), f"{name} uses a managed policy {policy!r}"
            for statement in policy.get("Statement", []):
                # SMS to phone numbers: NotResource excludes every topic (no ARN names a phone)
                assert statement.get("Resource") != "*", f"{name} allows {statement['Action']} on *"


def test_schedules_deliver_their_declared_input() -> None:
    stack = read_stack(load_template(), {"MailQueue": "q", "MailDeadLetterQueue": "dlq"})
    (spec,) = stack.functions["MailRedriveFunction"].schedules
    assert spec.expression == "rate(5 minutes)"
    assert spec.input == (ROOT / "events" / "mail_redrive" / "scheduled.json").read_text().strip()


def test_the_batch_queue_outlasts_its_worker_and_stalled_batches_are_rescued() -> None:
    """AWS advises a visibility timeout of at least six times the consumer's timeout; the
    rescue schedule runs every five minutes with its sample event as input."""
    resources = load_template()["Resources"]
    worker_timeout = resources["VoucherWorkerFunction"]["Properties"]["Timeout"]
    visibility = resources["VoucherBatchQueue"]["Properties"]["VisibilityTimeout"]
    assert visibility >= 6 * worker_timeout
    stack = read_stack(load_template(), {"MailQueue": "q", "MailDeadLetterQueue": "dlq"})
    (spec,) = stack.functions["BatchRescueFunction"].schedules
    assert spec.expression == "rate(5 minutes)"
    assert spec.input == (ROOT / "events" / "batch_rescue" / "scheduled.json").read_text().strip()

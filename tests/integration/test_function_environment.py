"""Each function runs with the environment the template gives it, and nothing more.

On Lambda a function sees the template's Globals and its own variables. The local stack and
these tests run every function in one process; were the variables of all functions merged, a
variable forgotten for one function would be lent by another and the mistake would first show
in AWS. Here it shows at once, in the function that lacks it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Aws, LambdaContext, load_event, load_function
from ticketing.settings import MissingSetting
from ticketing_local.account import moto_account
from ticketing_local.template import load_template


def template_without(function: str, variable: str) -> dict[str, Any]:
    template = load_template()
    del template["Resources"][function]["Properties"]["Environment"]["Variables"][variable]
    return template


EXPIRY_WITHOUT_TABLE = template_without("VoucherExpiryFunction", "TABLE_NAME")


def metric_lines(output: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [line for line in lines if "_aws" in line]


@pytest.mark.parametrize("aws", [EXPIRY_WITHOUT_TABLE], ids=["expiry-without-table"], indirect=True)
def test_a_handler_fails_on_a_variable_only_other_functions_declare(
    aws: Aws, lambda_context: LambdaContext
) -> None:
    assert "TABLE_NAME" in aws.environment  # every other function still declares it
    assert "TABLE_NAME" not in aws.environment_of("VoucherExpiryFunction")

    expiry = load_function("voucher_expiry")
    with pytest.raises(MissingSetting) as missing:
        expiry.handler(load_event("voucher_expiry/scheduled.json"), lambda_context)
    assert missing.value.name == "TABLE_NAME"

    # the functions the template gives TABLE_NAME work beside it
    redrive = load_function("mail_redrive")
    answer = redrive.handler(load_event("mail_redrive/scheduled.json"), lambda_context)
    assert answer == {"moved": 0, "kept": 0, "queued": 0}


def test_the_local_stack_runs_each_function_in_its_own_environment() -> None:
    with moto_account(template=EXPIRY_WITHOUT_TABLE) as account:
        expiry = account.pool("VoucherExpiryFunction")
        with pytest.raises(MissingSetting) as missing:
            expiry.invoke(load_event("voucher_expiry/scheduled.json"))
        assert missing.value.name == "TABLE_NAME"
        redrive = account.pool("MailRedriveFunction")
        assert redrive.invoke(load_event("mail_redrive/scheduled.json"))["queued"] == 0


def test_a_function_sees_the_globals_its_own_variables_and_the_local_endpoint_only(
    aws: Aws,
) -> None:
    expiry = aws.environment_of("VoucherExpiryFunction")
    assert expiry["TABLE_NAME"] == aws.table
    assert expiry["POWERTOOLS_METRICS_NAMESPACE"] == "Ticketing"  # from the Globals
    assert expiry["AWS_REGION"] == "eu-central-1"
    assert "MAIL_QUEUE_URL" not in expiry  # the access function's, not the expiry's
    assert "MAIL_QUEUE_URL" in aws.environment_of("AccessFunction")


def test_a_handler_invocation_writes_its_business_figures(
    aws: Aws, lambda_context: LambdaContext, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    load_function("mail_redrive").handler(load_event("mail_redrive/scheduled.json"), lambda_context)
    figures = {
        metric["Name"]: line[metric["Name"]]
        for line in metric_lines(capsys.readouterr().out)
        for directive in line["_aws"]["CloudWatchMetrics"]
        for metric in directive["Metrics"]
    }
    assert figures["MailsRecovered"] == [0.0]

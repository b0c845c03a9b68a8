"""Faults from outside, on the moto account: SES refusing or throttling a send, the mail queue
down while a write sends mail, DynamoDB throttling on the booking, registration and check-in
paths, and the retry settings of the AWS clients.

Faults are injected with a botocore ``before-send`` hook on the product's own client
(``ticketing.adapters.aws``): the hook answers in place of AWS, so botocore's retries run
exactly as they would against a throttled service.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import EVENT_ID, body_of, header
from tests.integration.test_order_handlers import (
    book,
    booking_request,
    for_order,
    scan_event,
    seeded,  # noqa: F401 - the fixture of the booking cases
    sent_mails,
    stored_order,
)
from tests.integration.test_voucher_handlers import (
    ready_codes,
    register,
    seed_exhibitor,
    stored_voucher,
)
from tests.integration.test_voucher_handlers import seed_event as seed_voucher_event

PROBLEM_JSON = "application/problem+json"
# AWS_CALL_MAX_ATTEMPTS=3 retries: botocore's ``max_attempts`` counts retries, so a call is
# tried four times at most before its error reaches the product
ATTEMPTS = 4


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


@contextmanager
def refused(
    service: str, operation: str, code: str, times: int = 1000, status: int = 400
) -> Iterator[list[int]]:
    """Let ``service``'s ``operation`` fail with ``code`` for its next ``times`` attempts
    (every botocore retry is an attempt); yields the attempts it refused so far."""
    from ticketing.adapters import aws

    client = getattr(aws, service)()
    refusals: list[int] = []
    protocol = client.meta.service_model.protocol

    from moto.core.models import botocore_stubber

    mocked = botocore_stubber.enabled

    def answer(request: Any, **_: Any) -> AWSResponse | None:
        if len(refusals) >= times:
            return None
        refusals.append(status)
        # every before-send handler runs: moto's would carry the request out all the same
        botocore_stubber.enabled = False
        if protocol == "json":
            prefix = "com.amazonaws.dynamodb.v20120810#" if service == "dynamodb" else ""
            body = json.dumps({"__type": f"{prefix}{code}", "message": "injected"}).encode()
            headers = {"Content-Type": "application/x-amz-json-1.0"}
        elif protocol == "rest-json":
            body = json.dumps({"message": "injected"}).encode()
            headers = {"Content-Type": "application/json", "x-amzn-ErrorType": code}
        else:  # SQS speaks JSON (or query on older botocore)
            body = json.dumps({"__type": code, "message": "injected"}).encode()
            headers = {"Content-Type": "application/x-amz-json-1.0"}
        headers["x-amzn-RequestId"] = "injected-fault"
        return AWSResponse(request.url, status, headers, _Body(body))

    def answered(**_: Any) -> None:
        botocore_stubber.enabled = mocked

    name = f"{client.meta.service_model.service_id.hyphenize()}.{operation}"
    client.meta.events.register_first(f"before-send.{name}", answer)
    client.meta.events.register_first(f"needs-retry.{name}", answered)
    try:
        yield refusals
    finally:
        client.meta.events.unregister(f"before-send.{name}", answer)
        client.meta.events.unregister(f"needs-retry.{name}", answered)
        botocore_stubber.enabled = mocked


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore waits up to seconds between retries; the attempts matter here, not the waits."""
    from botocore.retries import standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)


@pytest.fixture(autouse=True)
def no_mail_sent_before(aws: Aws) -> None:
    # moto keeps SES's sent messages beyond one mocked account
    from moto.ses.models import ses_backends

    ses_backends["123456789012"]["eu-central-1"].sent_messages.clear()


def mailer_event(*bodies: str) -> dict[str, Any]:
    """An SQS event for the mailer carrying ``bodies``, one record each."""
    template = load_event("mailer/sqs_mail_request.json")["Records"][0]
    records = []
    for i, body in enumerate(bodies):
        record = json.loads(json.dumps(template))
        record.update(body=body, messageId=f"message-{i}", md5OfBody="")
        records.append(record)
    return {"Records": records}


def welcome(request_id: str = "welcome-exh_fault0000000000", **context: str) -> str:
    return json.dumps(
        {
            "template": "exhibitor_welcome",
            "to": ["messe@forsttechnik-huber.example"],
            "language": "en",
            "context": {
                "exhibitor_name": "Forsttechnik Huber KG",
                "event_name": "INTERFORST 2026",
                "organizer_name": "Demo Messe GmbH",
                **context,
            },
            "request_id": request_id,
        }
    )


def subject_of(raw: str) -> str:
    import email
    import email.policy

    return str(email.message_from_string(raw, policy=email.policy.default)["Subject"])


# ------------------------------------------------------------------- names that break lines


@pytest.mark.parametrize("breaker", ["\n", "\r", "\r\n", "\x85", "\u2028"], ids=repr)
def test_a_name_with_a_line_break_no_longer_stops_the_mail(
    aws: Aws, lambda_context: Any, breaker: str
) -> None:
    # what the mail queue held for an event named "Fair\nX" (the queue's context is plain text)
    body = welcome(event_name=f"Fair{breaker}X", organizer_name=f"Org{breaker}Name")

    result = load_function("mailer").handler(mailer_event(body), lambda_context)

    assert result == {"batchItemFailures": []}
    [sent] = sent_mails()
    assert subject_of(sent.raw_data) == "Fair X: your exhibitor access"
    headers = sent.raw_data.split("\r\n\r\n")[0]
    assert "\nX" not in headers
    assert "Name" not in [line.split(":")[0] for line in headers.split("\r\n")]


# ------------------------------------------------------------------------ SES at send time


def test_ses_throttling_leaves_the_mail_for_the_queue_to_retry(
    aws: Aws, lambda_context: Any
) -> None:
    mailer = load_function("mailer")
    # throttled on every attempt botocore makes for the first record, then SES takes mail
    with refused("sesv2", "SendEmail", "TooManyRequestsException", ATTEMPTS, 429) as refusals:
        result = mailer.handler(mailer_event(welcome(), welcome("welcome-next")), lambda_context)

    assert result == {"batchItemFailures": [{"itemIdentifier": "message-0"}]}
    assert len(refusals) == ATTEMPTS  # botocore's bounded attempts; then it is the queue's
    assert len(sent_mails()) == 1
    assert load_function("mailer").failures.for_order("welcome-exh_fault0000000000") == []

    again = mailer.handler(mailer_event(welcome()), lambda_context)
    assert again == {"batchItemFailures": []}
    assert len(sent_mails()) == 2


def test_a_mail_ses_refuses_is_parked_not_retried_and_the_batch_goes_on(
    aws: Aws, lambda_context: Any
) -> None:
    from ticketing.adapters.mail_failures import DynamoMailFailures

    mailer = load_function("mailer")
    with refused("sesv2", "SendEmail", "MessageRejected", times=1) as refusals:
        result = mailer.handler(
            mailer_event(welcome("welcome-refused"), welcome("welcome-next")), lambda_context
        )

    assert result == {"batchItemFailures": []}  # both consumed
    assert refusals == [400]  # not retried: no try would send it
    assert len(sent_mails()) == 1
    [failure] = DynamoMailFailures().for_order("welcome-refused")
    assert (failure.template, failure.reason) == (
        "exhibitor_welcome",
        "SES refused the mail: MessageRejected",
    )


def test_a_mail_that_cannot_be_sent_is_shown_on_its_order(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    first = book(lambda_context)
    second = book(lambda_context)
    [*messages] = seeded.receive_all("MailQueue")
    assert len(messages) == 2
    # the first order's request is spoilt on the queue: a header smuggled into the address
    spoilt = json.loads(messages[0]["Body"])
    assert spoilt["order_number"] == first["order_number"]
    spoilt["to"] = ["guest@example.org\r\nBcc: everyone@example.org"]
    event = mailer_event(json.dumps(spoilt), messages[1]["Body"])

    result = load_function("mailer").handler(event, lambda_context)

    assert result == {"batchItemFailures": []}
    [sent] = sent_mails()  # the second order's confirmation went
    assert second["order_number"] in subject_of(sent.raw_data)
    assert "Bcc" not in sent.raw_data.split("\r\n\r\n")[0]
    detail = load_function("bookings").handler(
        for_order("bookings/order_detail.json", first["order_number"]), lambda_context
    )
    assert detail["statusCode"] == 200, detail["body"]
    [failure] = body_of(detail)["mail_failures"]
    assert failure["template"] == "order_confirmation"
    assert failure["request_id"] == f"confirm-{first['order_number']}"
    assert "line break" in failure["reason"]
    assert failure["at"]
    other = load_function("bookings").handler(
        for_order("bookings/order_detail.json", second["order_number"]), lambda_context
    )
    assert body_of(other)["mail_failures"] == []


# ------------------------------------------------------------- the mail queue down at writes


def redrive_later(aws: Aws, lambda_context: Any) -> dict[str, Any]:
    aws.clock.advance(timedelta(minutes=3))
    result: dict[str, Any] = load_function("mail_redrive").handler(
        load_event("mail_redrive/scheduled.json"), lambda_context
    )
    return result


def test_onboarding_with_the_mail_queue_down_answers_201_and_the_welcome_follows(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    access = load_function("access")
    with refused("sqs", "SendMessage", "AWS.SimpleQueueService.ServiceUnavailable", status=503):
        exhibitor = access.handler(load_event("access/create_exhibitor.json"), lambda_context)
        organizer = access.handler(load_event("access/onboard_organizer.json"), lambda_context)

    assert exhibitor["statusCode"] == 201, exhibitor["body"]
    assert organizer["statusCode"] == 201, organizer["body"]
    assert body_of(exhibitor)["api_key"].startswith("tk_")
    assert seeded.receive_all("MailQueue") == []

    assert redrive_later(seeded, lambda_context)["queued"] == 2
    queued = sorted(json.loads(m["Body"])["template"] for m in seeded.receive_all("MailQueue"))
    assert queued == ["exhibitor_welcome", "organizer_welcome"]
    assert redrive_later(seeded, lambda_context)["queued"] == 0


def test_booking_with_the_mail_queue_down_answers_201_and_the_confirmation_follows(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    with refused("sqs", "SendMessage", "AWS.SimpleQueueService.ServiceUnavailable", status=503):
        order = book(lambda_context)

    assert seeded.receive_all("MailQueue") == []
    assert redrive_later(seeded, lambda_context)["queued"] == 1
    [message] = seeded.receive_all("MailQueue")
    assert json.loads(message["Body"])["order_number"] == order["order_number"]


# --------------------------------------------------------------------- DynamoDB throttling


def sold(aws: Aws) -> int:
    from ticketing.adapters.event_store import DynamoEventStore

    item = DynamoEventStore().table.get({"PK": f"EVENT#{EVENT_ID}", "SK": "EVENT"})
    assert item is not None
    return int(item.get("sold", 0))


def assert_busy(response: dict[str, Any]) -> None:
    assert response["statusCode"] == 503, response["body"]
    assert header(response, "Content-Type") == PROBLEM_JSON
    assert header(response, "Retry-After") == "2"
    assert "Traceback" not in response["body"]


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_a_booking_throttled_past_its_retries_answers_503_and_writes_nothing(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
    code: str,
) -> None:
    bookings = load_function("bookings")
    with refused("dynamodb", "TransactWriteItems", code) as refusals:
        response = bookings.handler(booking_request(idempotency_key=None), lambda_context)

    assert_busy(response)
    assert len(refusals) == ATTEMPTS
    assert sold(seeded) == 0
    assert seeded.receive_all("MailQueue") == []


def test_a_booking_throttled_once_succeeds_on_botocores_retry(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    with refused("dynamodb", "TransactWriteItems", "ThrottlingException", times=2) as refusals:
        order = book(lambda_context)

    assert refusals == [400, 400]
    assert sold(seeded) == order["quantity"]


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_a_check_in_throttled_past_its_retries_answers_503_and_checks_in_nobody(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
    code: str,
) -> None:
    order = book(lambda_context)
    position = stored_order(order["order_number"]).positions[0]
    checkins = load_function("checkins")
    # one transaction: the position's mark and a check-in counter of the event (issue 13)
    with refused("dynamodb", "TransactWriteItems", code):
        response = checkins.handler(scan_event(position.secret), lambda_context)

    assert_busy(response)
    assert stored_order(order["order_number"]).positions[0].checked_in_at is None
    assert checkins.handler(scan_event(position.secret), lambda_context)["statusCode"] == 200


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_a_registration_throttled_past_its_retries_answers_503_and_redeems_nothing(
    aws: Aws, lambda_context: Any, code: str
) -> None:
    from tests.integration.helpers import seed_organizer

    seed_organizer()
    seed_voucher_event()
    seed_exhibitor()
    [voucher] = ready_codes(aws, load_function("voucher_batches"), lambda_context, 1)
    aws.clock.advance(timedelta(days=3))
    redeem = load_function("redeem")
    with refused("dynamodb", "TransactWriteItems", code):
        response = register(redeem, lambda_context, voucher)

    assert_busy(response)
    assert stored_voucher(voucher).registration is None
    assert aws.receive_all("MailQueue") == []
    assert register(redeem, lambda_context, voucher)["statusCode"] == 201


# ---------------------------------------------------------------------- the clients' retries


def test_aws_clients_retry_in_standard_mode_with_bounded_attempts(aws: Aws) -> None:
    from ticketing.adapters import aws as clients

    for client in (clients.dynamodb(), clients.sqs(), clients.sesv2(), clients.s3()):
        config = client.meta.config
        assert config.retries == {"mode": "standard", "total_max_attempts": ATTEMPTS}
        assert config.connect_timeout == 3
        assert config.read_timeout == 10

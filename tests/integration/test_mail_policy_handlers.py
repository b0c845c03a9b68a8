"""The mailer applies the mail policy on moto (issue 15): a marketing mail's raw MIME has the
List-Unsubscribe headers (RFC 8058) and its link, a transactional one has neither; an
address SES reported (through SNS, the SesEventsFunction) gets nothing more."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from email import message_from_string
from email.message import Message
from typing import Any

from tests.conftest import Aws, load_event, load_function
from ticketing.mail.messages import MailRequest

ORG = "org_demo00000000000"
NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def sent_mails() -> list[Any]:
    from moto.ses.models import ses_backends

    return list(ses_backends["123456789012"]["eu-central-1"].sent_messages)


def sqs_event(*requests: MailRequest) -> dict[str, Any]:
    sample = load_event("mailer/sqs_mail_request.json")["Records"][0]
    records = []
    for i, request in enumerate(requests):
        record = copy.deepcopy(sample)
        record["messageId"] = f"msg-{i}"
        record["body"] = request.model_dump_json()
        records.append(record)
    return {"Records": records}


def a_request(mail_class: str, request_id: str, to: str = "erika@example.org") -> MailRequest:
    return MailRequest.model_validate(
        {
            "template": "marketing_confirmation",
            "mail_class": mail_class,
            "organizer_id": ORG,
            "to": [to],
            "language": "de",
            "request_id": request_id,
            "order_number": "72BE-1",
            "context": {"customer_name": "Erika", "confirm_url": "https://t.example.org/x"},
        }
    )


def parsed(raw: str) -> Message:
    return message_from_string(raw)


def test_marketing_mail_has_list_unsubscribe_and_transactional_mail_has_none(
    aws: Aws, lambda_context: Any
) -> None:
    from ticketing.adapters.consent_store import DynamoConsentStore

    DynamoConsentStore().change(ORG, "erika@example.org", "marketing", True, NOW, "double_opt_in")
    mailer = load_function("mailer")

    result = mailer.handler(
        sqs_event(a_request("marketing", "m-1"), a_request("information", "i-1")), lambda_context
    )

    assert result == {"batchItemFailures": []}
    marketing, information = (parsed(m.raw_data) for m in sent_mails())
    url = str(marketing["List-Unsubscribe"]).strip("<>")
    assert url.startswith("https://")
    assert "/consent/unsubscribe/" in url
    assert marketing["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    bodies = [
        part.get_payload(decode=True).decode()
        for part in marketing.walk()
        if not part.is_multipart()
    ]
    assert all(url in body.replace("&amp;", "&") for body in bodies)
    assert information["List-Unsubscribe"] is None
    assert information["List-Unsubscribe-Post"] is None


def test_marketing_without_consent_is_withheld_and_shown_on_the_order(
    aws: Aws, lambda_context: Any
) -> None:
    from ticketing.adapters.withheld_mails import DynamoWithheldMails

    mailer = load_function("mailer")
    assert mailer.handler(sqs_event(a_request("marketing", "m-2")), lambda_context) == {
        "batchItemFailures": []
    }
    assert sent_mails() == []
    (withheld,) = DynamoWithheldMails().for_order("72BE-1")
    assert (withheld.outcome, withheld.reason) == ("no_consent", "marketing")


def test_a_complaint_through_sns_suppresses_every_later_mail(aws: Aws, lambda_context: Any) -> None:
    from ticketing.adapters.consent_store import DynamoSuppressionStore
    from ticketing.adapters.withheld_mails import DynamoWithheldMails

    ses_events = load_function("ses_events")
    assert ses_events.handler(load_event("ses_events/sns_complaint.json"), lambda_context) == {
        "suppressed": 1
    }
    assert ses_events.handler(
        load_event("ses_events/sns_transient_bounce.json"), lambda_context
    ) == {"suppressed": 0}
    suppression = DynamoSuppressionStore().get("erika@example.org")
    assert suppression is not None
    assert suppression.reason == "complaint"

    mailer = load_function("mailer")
    mailer.handler(sqs_event(a_request("confirmation", "c-1")), lambda_context)

    assert sent_mails() == []
    (withheld,) = DynamoWithheldMails().for_order("72BE-1")
    assert (withheld.outcome, withheld.reason, withheld.mail_class) == (
        "suppressed",
        "complaint",
        "confirmation",
    )
    # the transient bounce's address still gets its mail
    mailer.handler(sqs_event(a_request("confirmation", "c-2", "max@example.org")), lambda_context)
    (sent,) = sent_mails()
    assert set(sent.destinations) == {"max@example.org"}

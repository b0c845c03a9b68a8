"""The mailer records each sent mail under its recipient's person on moto (issue 17): in the
commit of its sent-marker, once however often SQS delivers the request, with subject, class,
template and time and no body; an erasure's ``forget`` removes it; the platform's own mail
(no organizer) is not recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import Aws, load_function
from tests.integration.test_mail_policy_handlers import a_request, sent_mails, sqs_event
from ticketing.domain.erasure import Erasure, SentMail
from ticketing.i18n import translate
from ticketing.mail.messages import MailRequest

ORG = "org_demo00000000000"
NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def person_items(aws: Aws) -> list[dict[str, Any]]:
    items = aws.clients["dynamodb"].scan(TableName=aws.table)["Items"]
    return [i for i in items if i["PK"]["S"].startswith("PERSON#")]


def test_a_mail_delivered_twice_is_sent_and_recorded_once(aws: Aws, lambda_context: Any) -> None:
    from ticketing.adapters.person_index import DynamoPersonIndex

    mailer = load_function("mailer")
    request = a_request("information", "info-1", to="Erika@Example.org")

    assert mailer.handler(sqs_event(request, request), lambda_context) == {"batchItemFailures": []}
    assert mailer.handler(sqs_event(request), lambda_context) == {"batchItemFailures": []}

    assert len(sent_mails()) == 1
    people = DynamoPersonIndex()
    (entry,) = people.entries(ORG, people.person(ORG, "erika@example.org"))
    assert (entry.kind, entry.ref) == ("mail", "info-1")
    assert entry.mail is not None
    assert entry.mail.subject == translate("de", "mail.marketing_confirmation.subject")
    assert (entry.mail.template, entry.mail.mail_class) == ("marketing_confirmation", "information")
    assert entry.mail.order_number == "72BE-1"
    (item,) = person_items(aws)
    assert "erika" not in str(item).lower()  # neither the address nor a body is kept
    assert "expires_at" in item  # kept as long as an order's parked and withheld mails


def test_the_marker_and_the_records_are_one_commit_a_twin_adds_nothing(aws: Aws) -> None:
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.adapters.sent_mail_log import DynamoSentMailLog

    people, log = DynamoPersonIndex(), DynamoSentMailLog()
    mail = SentMail(template="notification", mail_class="information", subject="Hi", sent_at=NOW)
    first = people.sent(ORG, "a@example.org", "r-1", mail)
    other = people.sent(ORG, "b@example.org", "r-1", mail)
    log.mark_sent("r-1", NOW, [first, other])
    later = mail.model_copy(update={"subject": "a twin's", "sent_at": NOW.replace(hour=11)})
    log.mark_sent("r-1", NOW, [people.sent(ORG, "a@example.org", "r-1", later)])  # no error

    assert log.was_sent("r-1")
    for address in ("a@example.org", "b@example.org"):
        (entry,) = people.entries(ORG, people.person(ORG, address))
        assert entry.mail == mail
    log.mark_sent("r-2", NOW)  # without records: the marker alone, as before
    assert log.was_sent("r-2")


def test_forgetting_a_mail_entry_removes_its_record(aws: Aws) -> None:
    from ticketing.adapters.erasure_store import DynamoErasureStore
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.adapters.personal_data import DynamoPersonalData
    from ticketing.adapters.sent_mail_log import DynamoSentMailLog

    people = DynamoPersonIndex()
    mail = SentMail(
        template="order_confirmation", mail_class="confirmation", subject="S", sent_at=NOW
    )
    DynamoSentMailLog().mark_sent("r-1", NOW, [people.sent(ORG, "a@example.org", "r-1", mail)])
    person = people.person(ORG, "a@example.org")
    erasure = Erasure(
        erasure_id="e-1", organizer_id=ORG, person=person, erased="x", requested_at=NOW
    )
    DynamoErasureStore().start(erasure)
    (entry,) = people.entries(ORG, person)

    assert DynamoPersonalData().forget(erasure, entry, {"mail_records": 1}) is True

    assert people.entries(ORG, person) == []
    assert person_items(aws) == []


def test_the_platforms_own_mail_is_not_recorded(aws: Aws, lambda_context: Any) -> None:
    mailer = load_function("mailer")
    request = MailRequest(
        template="console_sign_in",
        to=["erika@example.org"],
        request_id="sign-in-1",
        context={"name": "Erika", "sign_in_url": "https://tickets.example/console/x"},
    )

    assert mailer.handler(sqs_event(request), lambda_context) == {"batchItemFailures": []}

    assert len(sent_mails()) == 1
    assert person_items(aws) == []

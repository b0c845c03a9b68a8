"""Each Lambda handler, invoked with the sample events of ``events/`` on the moto account.

The events are the files ``sam local invoke -e`` takes; a test changes only what its case is
about (another organizer in the authorizer context, a revoked key) and seeds what the request
refers to through the product's own stores.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from email import message_from_string
from email.header import decode_header, make_header
from typing import Any

import pytest

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import body_of, header

ORGANIZER_ID = "org_demo00000000000"
EVENT_ID = "evt_demo00000000000"
ORGANIZER_KEY_ID = "0123456789abcdef"
# the secret half of the key in events/authorizer/request.json
SECRET = "Xq3vR8kLm2Np5sT7wY9zA1bC4dE6fG8hJ0kM2nP4r-_"
PROBLEM_JSON = "application/problem+json"


# ------------------------------------------------------------------------------ helpers


def seed_organizer(organizer_id: str = ORGANIZER_ID) -> None:
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.domain.parties import Organizer

    DynamoAccessStore().add_party(
        Organizer(
            organizer_id=organizer_id,
            name="Demo Messe GmbH",
            email="kontakt@demo-messe.example",
            language="de",
            created_at=datetime(2026, 5, 1, 8, 0, tzinfo=UTC),
        ),
        None,
    )


def seed_organizer_key(revoked: bool = False) -> None:
    """The organizer key whose secret ``events/authorizer/request.json`` presents."""
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.domain.identity import Role, hash_secret
    from ticketing.domain.parties import ApiKeyRecord

    created = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    DynamoAccessStore().add_key(
        ApiKeyRecord(
            key_id=ORGANIZER_KEY_ID,
            secret_hash=hash_secret(SECRET),
            role=Role.ORGANIZER,
            subject_id=ORGANIZER_ID,
            organizer_id=ORGANIZER_ID,
            created_at=created,
            revoked_at=created if revoked else None,
        )
    )


def seed_event(event_id: str = EVENT_ID, organizer_id: str = ORGANIZER_ID) -> None:
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.domain.events import Event

    draft = json.loads(load_event("events/create_event.json")["body"])
    DynamoEventStore().add(
        Event(
            **draft,
            event_id=event_id,
            organizer_id=organizer_id,
            created_at=datetime(2026, 5, 2, 9, 0, tzinfo=UTC),
        )
    )


def as_organizer(event: dict[str, Any], organizer_id: str) -> dict[str, Any]:
    """The same request, made with another tenant's organizer key."""
    changed = copy.deepcopy(event)
    authorizer = changed["requestContext"]["authorizer"]
    authorizer.update(subject_id=organizer_id, organizer_id=organizer_id, principalId=organizer_id)
    return changed


def sent_mails() -> list[Any]:
    from moto.ses.models import ses_backends

    return list(ses_backends["123456789012"]["eu-central-1"].sent_messages)


def subject_of(raw: str) -> str:
    return str(make_header(decode_header(message_from_string(raw)["Subject"])))


# ------------------------------------------------------------------------------ authorizer


def test_authorizer_allows_a_known_key_and_passes_role_and_scope(
    aws: Aws, lambda_context: Any
) -> None:
    seed_organizer_key()
    authorizer = load_function("authorizer")

    policy = authorizer.handler(load_event("authorizer/request.json"), lambda_context)

    assert policy["principalId"] == ORGANIZER_ID
    [statement] = policy["policyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "execute-api:Invoke"
    # every route of the stage, so that a cached answer also covers the key's other calls
    assert statement["Resource"] == [
        "arn:aws:execute-api:eu-central-1:123456789012:abcdef1234/v1/*/*"
    ]
    assert policy["context"] == {
        "role": "organizer",
        "subject_id": ORGANIZER_ID,
        "organizer_id": ORGANIZER_ID,
        "key_id": ORGANIZER_KEY_ID,
        "scope": "",
    }


@pytest.mark.parametrize("stored", ["unknown", "revoked"])
def test_authorizer_refuses_an_unknown_or_revoked_key(
    aws: Aws, lambda_context: Any, stored: str
) -> None:
    if stored == "revoked":
        seed_organizer_key(revoked=True)
    authorizer = load_function("authorizer")

    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorizer.handler(load_event("authorizer/request.json"), lambda_context)


def test_authorizer_refuses_a_key_whose_secret_does_not_match(
    aws: Aws, lambda_context: Any
) -> None:
    seed_organizer_key()
    event = load_event("authorizer/request.json")
    forged = f"Bearer tk_{ORGANIZER_KEY_ID}_{'A' * 43}"
    event["headers"]["Authorization"] = forged
    event["multiValueHeaders"]["Authorization"] = [forged]
    authorizer = load_function("authorizer")

    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorizer.handler(event, lambda_context)


def test_authorizer_refuses_a_request_without_key(aws: Aws, lambda_context: Any) -> None:
    seed_organizer_key()
    event = load_event("authorizer/request_without_key.json")
    assert "Authorization" not in event["headers"]
    authorizer = load_function("authorizer")

    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorizer.handler(event, lambda_context)


# ------------------------------------------------------------------------------ access


def test_reviewer_onboards_an_organizer_and_its_welcome_mail_is_queued(
    aws: Aws, lambda_context: Any
) -> None:
    access = load_function("access")

    response = access.handler(load_event("access/onboard_organizer.json"), lambda_context)

    assert response["statusCode"] == 201, response["body"]
    created = body_of(response)
    assert created["api_key"].startswith("tk_")
    assert created["api_key"].startswith(f"tk_{created['key_id']}_")
    assert created["name"] == "Demo Messe GmbH"
    assert created["organizer_id"].startswith("org_")
    [message] = aws.receive_all("MailQueue")
    mail = json.loads(message["Body"])
    assert mail["template"] == "organizer_welcome"
    assert mail["to"] == ["kontakt@demo-messe.example"]
    assert mail["language"] == "de"
    assert mail["context"]["organizer_id"] == created["organizer_id"]
    # the key goes to staff, never into a mail
    assert created["api_key"] not in message["Body"]


def test_organizer_key_is_refused_on_the_reviewer_route(aws: Aws, lambda_context: Any) -> None:
    event = load_event("access/onboard_organizer.json")
    event["requestContext"]["authorizer"] = load_event("access/me.json")["requestContext"][
        "authorizer"
    ]
    access = load_function("access")

    response = access.handler(event, lambda_context)

    assert response["statusCode"] == 403
    assert header(response, "Content-Type") == PROBLEM_JSON
    assert aws.receive_all("MailQueue") == []


def test_organizer_creates_an_exhibitor_for_its_event_and_its_welcome_mail_is_queued(
    aws: Aws, lambda_context: Any
) -> None:
    seed_organizer()
    seed_event()
    access = load_function("access")

    response = access.handler(load_event("access/create_exhibitor.json"), lambda_context)

    assert response["statusCode"] == 201, response["body"]
    created = body_of(response)
    assert created["event_id"] == EVENT_ID
    assert created["exhibitor_id"].startswith("exh_")
    assert created["api_key"].startswith(f"tk_{created['key_id']}_")
    assert "organizer_id" not in created
    [message] = aws.receive_all("MailQueue")
    mail = json.loads(message["Body"])
    assert mail["template"] == "exhibitor_welcome"
    assert mail["language"] == "de"
    assert mail["context"] == {
        "exhibitor_name": "Forsttechnik Huber KG",
        "event_name": "INTERFORST 2026",
        "organizer_name": "Demo Messe GmbH",
        # the organizer speaks: its name beside the platform's address, answers to it
        "sender_name": "Demo Messe GmbH",
        "reply_to": "kontakt@demo-messe.example",
    }


def test_exhibitor_for_an_event_of_another_organizer_is_not_found(
    aws: Aws, lambda_context: Any
) -> None:
    seed_event(organizer_id="org_other0000000000")
    access = load_function("access")

    response = access.handler(load_event("access/create_exhibitor.json"), lambda_context)

    assert response["statusCode"] == 404
    assert header(response, "Content-Type") == PROBLEM_JSON
    assert aws.receive_all("MailQueue") == []


def test_organizer_creates_a_merchant_without_a_key(aws: Aws, lambda_context: Any) -> None:
    access = load_function("access")

    response = access.handler(load_event("access/create_merchant.json"), lambda_context)

    assert response["statusCode"] == 201, response["body"]
    merchant = body_of(response)
    assert merchant["merchant_id"].startswith("mer_")
    assert merchant["name"] == "Gasthof Zur Post"
    assert merchant["city"] == "München"
    assert "api_key" not in merchant
    assert "organizer_id" not in merchant

    from ticketing.adapters.access_store import DynamoAccessStore

    stored = DynamoAccessStore().get_merchant(merchant["merchant_id"])
    assert stored is not None
    assert stored.organizer_id == ORGANIZER_ID


def test_organizer_creates_an_issuer_whose_key_authenticates(aws: Aws, lambda_context: Any) -> None:
    access = load_function("access")

    response = access.handler(load_event("access/create_issuer.json"), lambda_context)

    assert response["statusCode"] == 201, response["body"]
    issuer = body_of(response)
    assert issuer["issuer_id"].startswith("iss_")
    assert issuer["name"] == "Bonusprogramm Waldfreunde"

    event = load_event("authorizer/request.json")
    event["headers"]["Authorization"] = f"Bearer {issuer['api_key']}"
    policy = load_function("authorizer").handler(event, lambda_context)
    assert policy["context"]["role"] == "issuer"
    assert policy["context"]["subject_id"] == issuer["issuer_id"]
    assert policy["context"]["organizer_id"] == ORGANIZER_ID


def test_me_tells_the_caller_who_its_key_stands_for(aws: Aws, lambda_context: Any) -> None:
    access = load_function("access")

    response = access.handler(load_event("access/me.json"), lambda_context)

    assert response["statusCode"] == 200, response["body"]
    assert body_of(response) == {
        "role": "organizer",
        "subject_id": ORGANIZER_ID,
        "organizer_id": ORGANIZER_ID,
        "key_id": ORGANIZER_KEY_ID,
        "scope": None,
    }


def test_request_without_authorizer_context_is_unauthorized(aws: Aws, lambda_context: Any) -> None:
    event = load_event("access/me.json")
    del event["requestContext"]["authorizer"]
    access = load_function("access")

    response = access.handler(event, lambda_context)

    assert response["statusCode"] == 401
    assert header(response, "Content-Type") == PROBLEM_JSON


# ------------------------------------------------------------------------------ events


def test_organizer_creates_an_event_and_reads_it_back(aws: Aws, lambda_context: Any) -> None:
    events = load_function("events")

    created = events.handler(load_event("events/create_event.json"), lambda_context)

    assert created["statusCode"] == 201, created["body"]
    event = body_of(created)
    assert event["event_id"].startswith("evt_")
    assert event["name"] == "INTERFORST 2026"
    assert event["capacity"] == 5000
    assert event["voucher_price_option"] == "visitor-voucher"
    assert "organizer_id" not in event
    day, voucher = event["price_options"]
    assert day == {
        "id": "day",
        "name": "Tageskarte",
        "price": "25.00",
        "tax_rate": "7",
        "net": "23.36",
        "tax": "1.64",
        "pass": False,  # not a pass: no pass-scope questions apply to it
    }
    assert (voucher["price"], voucher["net"], voucher["tax"], voucher["tax_rate"]) == (
        "12.00",
        "10.08",
        "1.92",
        "19",
    )

    request = load_event("events/get_event.json")
    request["path"] = f"/events/{event['event_id']}"
    request["pathParameters"] = {"event_id": event["event_id"]}
    read = events.handler(request, lambda_context)

    assert read["statusCode"] == 200, read["body"]
    assert body_of(read) == event


def test_organizer_reads_a_seeded_event(aws: Aws, lambda_context: Any) -> None:
    seed_event()
    events = load_function("events")

    response = events.handler(load_event("events/get_event.json"), lambda_context)

    assert response["statusCode"] == 200, response["body"]
    event = body_of(response)
    assert event["event_id"] == EVENT_ID
    assert event["starts_at"] == "2026-07-08T09:00:00+02:00"
    assert event["timezone"] == "Europe/Berlin"


def test_organizer_lists_only_its_own_events_by_start(aws: Aws, lambda_context: Any) -> None:
    seed_event()
    seed_event(event_id="evt_other0000000000", organizer_id="org_other0000000000")
    events = load_function("events")
    later = load_event("events/create_event.json")
    later_body = json.loads(later["body"])
    later_body.update(
        name="KWF-Tagung 2027",
        starts_at="2027-06-02T09:00:00+02:00",
        ends_at="2027-06-05T17:00:00+02:00",
    )
    later["body"] = json.dumps(later_body)
    assert events.handler(later, lambda_context)["statusCode"] == 201

    response = events.handler(load_event("events/list_events.json"), lambda_context)

    assert response["statusCode"] == 200, response["body"]
    listed = body_of(response)
    assert [e["name"] for e in listed["events"]] == ["INTERFORST 2026", "KWF-Tagung 2027"]
    assert EVENT_ID in [e["event_id"] for e in listed["events"]]
    assert "evt_other0000000000" not in [e["event_id"] for e in listed["events"]]


def test_event_of_another_organizer_answers_like_a_missing_one(
    aws: Aws, lambda_context: Any
) -> None:
    seed_event()
    events = load_function("events")
    own = events.handler(load_event("events/get_event.json"), lambda_context)
    assert own["statusCode"] == 200

    foreign = events.handler(
        as_organizer(load_event("events/get_event.json"), "org_other0000000000"), lambda_context
    )
    missing_event = load_event("events/get_event.json")
    missing_event["path"] = "/events/evt_missing000000000"
    missing_event["pathParameters"] = {"event_id": "evt_missing000000000"}
    missing = events.handler(missing_event, lambda_context)

    assert foreign["statusCode"] == missing["statusCode"] == 404
    assert header(foreign, "Content-Type") == header(missing, "Content-Type") == PROBLEM_JSON
    assert body_of(foreign)["title"] == body_of(missing)["title"] == "Not found"
    assert "INTERFORST" not in foreign["body"]


def test_exhibitor_key_is_refused_on_organizer_routes(aws: Aws, lambda_context: Any) -> None:
    events = load_function("events")

    response = events.handler(load_event("events/create_event_as_exhibitor.json"), lambda_context)

    assert response["statusCode"] == 403
    assert header(response, "Content-Type") == PROBLEM_JSON
    problem = body_of(response)
    assert problem["status"] == 403
    assert problem["title"] == "Forbidden"
    assert "exhibitor" in problem["detail"]


def test_invalid_event_names_each_bad_field(aws: Aws, lambda_context: Any) -> None:
    events = load_function("events")

    response = events.handler(load_event("events/create_event_invalid.json"), lambda_context)

    assert response["statusCode"] == 422
    assert header(response, "Content-Type") == PROBLEM_JSON
    problem = body_of(response)
    fields = {error["field"] for error in problem["errors"]}
    assert {
        "name",
        "starts_at",
        "timezone",
        "currency",
        "language",
        "capacity",
        "price_options.0.id",
        "price_options.0.price",
        "discount",
    } <= fields
    assert all(error["message"] for error in problem["errors"])

    listed = events.handler(load_event("events/list_events.json"), lambda_context)
    assert body_of(listed)["events"] == []


# ------------------------------------------------------------------------------ mail


def test_mailer_sends_a_queued_mail_through_ses(aws: Aws, lambda_context: Any) -> None:
    mailer = load_function("mailer")
    event = load_event("mailer/sqs_mail_request.json")

    result = mailer.handler(event, lambda_context)

    assert result == {"batchItemFailures": []}
    [sent] = sent_mails()
    assert sent.source == "tickets@example.com"
    assert "kontakt@demo-messe.example" in sent.destinations
    assert subject_of(sent.raw_data) == (
        "Ihr Veranstalterkonto für Demo Messe GmbH ist eingerichtet"
    )
    assert ORGANIZER_ID in sent.raw_data

    # SQS delivers at least once: the same request again sends nothing more
    again = mailer.handler(load_event("mailer/sqs_mail_request.json"), lambda_context)
    assert again == {"batchItemFailures": []}
    assert len(sent_mails()) == 1


def test_mailer_reports_only_the_bad_record_as_failed(aws: Aws, lambda_context: Any) -> None:
    mailer = load_function("mailer")
    event = load_event("mailer/sqs_mail_request_bad.json")
    good, bad = event["Records"]

    result = mailer.handler(event, lambda_context)

    assert result == {"batchItemFailures": [{"itemIdentifier": bad["messageId"]}]}
    assert good["messageId"] != bad["messageId"]
    assert len(sent_mails()) == 1


def test_redrive_moves_dead_letters_back_to_the_mail_queue(aws: Aws, lambda_context: Any) -> None:
    sqs = aws.clients["sqs"]
    body = load_event("mailer/sqs_mail_request.json")["Records"][0]["body"]
    sqs.send_message(QueueUrl=aws.queue_urls["MailDeadLetterQueue"], MessageBody=body)
    redrive = load_function("mail_redrive")

    result = redrive.handler(load_event("mail_redrive/scheduled.json"), lambda_context)

    assert result == {"moved": 1, "kept": 0, "queued": 0}
    [message] = aws.receive_all("MailQueue")
    assert message["Body"] == body
    assert message["MessageAttributes"]["redrives"]["StringValue"] == "1"
    assert aws.receive_all("MailDeadLetterQueue") == []


def test_redrive_keeps_a_message_that_came_back_too_often(aws: Aws, lambda_context: Any) -> None:
    from ticketing.adapters.mail_queue import MAX_REDRIVES

    sqs = aws.clients["sqs"]
    body = load_event("mailer/sqs_mail_request.json")["Records"][0]["body"]
    sqs.send_message(
        QueueUrl=aws.queue_urls["MailDeadLetterQueue"],
        MessageBody=body,
        MessageAttributes={"redrives": {"DataType": "Number", "StringValue": str(MAX_REDRIVES)}},
    )
    redrive = load_function("mail_redrive")

    result = redrive.handler(load_event("mail_redrive/scheduled.json"), lambda_context)

    assert result == {"moved": 0, "kept": 1, "queued": 0}
    assert aws.receive_all("MailQueue") == []


def test_portal_events_get_the_portal_the_neutral_answer_and_the_404_page(
    aws: Aws, lambda_context: Any
) -> None:
    portal = load_function("portal")
    page = portal.handler(load_event("portal/portal_page.json"), lambda_context)
    assert page["statusCode"] == 200
    assert header(page, "Content-Type").startswith("text/html")
    asked = portal.handler(load_event("portal/link_request.json"), lambda_context)
    assert asked["statusCode"] == 202
    assert json.loads(asked["body"]) == {"status": "accepted"}
    assert aws.receive_all("MailQueue") == []  # no such order: nothing is sent
    missing = portal.handler(load_event("portal/order_page.json"), lambda_context)
    assert missing["statusCode"] == 404
    assert header(missing, "Content-Type").startswith("text/html")
    # each page's own inline style and script, by their hashes; nothing else inline
    from ticketing.pages.policy import page_policy
    from ticketing.pages.portal import CONTENT_SECURITY_POLICY

    assert header(page, "Content-Security-Policy") == page_policy("portal", CONTENT_SECURITY_POLICY)
    assert header(missing, "Content-Security-Policy") == page_policy(
        "not_found", CONTENT_SECURITY_POLICY
    )

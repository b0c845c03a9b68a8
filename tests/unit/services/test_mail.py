"""Delivering mail on the fakes: a request that comes twice is sent once, a failed one again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes.platform import FakePlatform
from ticketing.domain.identity import Principal, Role
from ticketing.domain.parties import OrganizerDraft
from ticketing.mail.messages import MailRequest
from ticketing.services.access import onboard_organizer
from ticketing.services.mail import deliver
from ticketing.services.outbox import Outgoing

WELCOME = MailRequest(
    template="organizer_welcome",
    to=["kontakt@demo-messe.example"],
    language="de",
    context={"organizer_name": "Demo Messe GmbH", "organizer_id": "org_demo00000000000"},
    request_id="welcome-org_demo00000000000",
)


def test_a_mail_asked_for_twice_is_sent_once(platform: FakePlatform) -> None:
    first = deliver(platform.mailer, platform.sent_mail, platform.clock, WELCOME)
    again = deliver(platform.mailer, platform.sent_mail, platform.clock, WELCOME)

    assert (first, again) == (True, False)
    [sent] = platform.mailer.sent
    assert sent.to == ["kontakt@demo-messe.example"]
    assert "Demo Messe GmbH" in sent.mail.text


def test_a_mail_that_failed_is_not_marked_and_goes_on_the_next_try(
    platform: FakePlatform,
) -> None:
    platform.mailer.down = True
    with pytest.raises(ConnectionError):
        deliver(platform.mailer, platform.sent_mail, platform.clock, WELCOME)
    platform.mailer.down = False
    platform.clock.advance(timedelta(minutes=5))

    assert platform.sent_mail.was_sent(WELCOME.request_id) is False
    assert deliver(platform.mailer, platform.sent_mail, platform.clock, WELCOME) is True
    assert platform.db.sent_mail == {WELCOME.request_id: platform.clock.now()}


def test_an_onboarded_organizer_is_welcomed_by_mail_and_its_key_is_shown_once(
    platform: FakePlatform,
) -> None:
    reviewer = Principal(Role.REVIEWER, "rev_staff", None, "key_rev")
    draft = OrganizerDraft(name="Demo Messe GmbH", email="kontakt@demo-messe.example")

    outgoing = Outgoing(platform.outbox, platform.mail)
    created = onboard_organizer(platform.access, outgoing, platform.clock, reviewer, draft)

    record = platform.access.get_key(created.key_id)
    assert record is not None
    assert created.api_key not in record.model_dump_json()
    assert (record.role, record.subject_id) == (Role.ORGANIZER, created.party.organizer_id)
    [mail] = platform.mail.requests
    assert (mail.template, mail.to) == ("organizer_welcome", ["kontakt@demo-messe.example"])

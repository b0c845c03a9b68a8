"""Mail that no try would send is parked with its reason; mail that a later try may send is
left to the queue; every mail of a write goes through the outbox (on the fakes)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair
from ticketing.domain.identity import Principal, Role
from ticketing.domain.parties import ExhibitorDraft, OrganizerDraft
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import RenderFailed, render
from ticketing.services.access import create_exhibitor, onboard_organizer
from ticketing.services.mail import deliver
from ticketing.services.outbox import Outgoing
from ticketing.services.ports import WriteRefused
from ticketing.services.recovery import queue_pending_mail

REVIEWER = Principal(Role.REVIEWER, "rev_staff", None, "key_rev")
WELCOME = MailRequest(
    template="organizer_welcome",
    to=["kontakt@demo-messe.example"],
    language="de",
    context={"organizer_name": "Demo Messe GmbH", "organizer_id": "org_demo00000000000"},
    request_id="welcome-org_demo00000000000",
)


def counted(name: str) -> float:
    from ticketing.observability import metrics

    return float(sum(metrics.metric_set.get(name, {}).get("Value", [])))


def test_a_subject_is_one_line_whatever_the_names_hold() -> None:
    for breaker in ("\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\t", "\x00"):
        request = WELCOME.model_copy(
            update={"context": {**WELCOME.context, "organizer_name": f"Org{breaker}Name"}}
        )
        assert render(request).subject == "Ihr Veranstalterkonto für Org Name ist eingerichtet"


def test_a_mail_that_cannot_be_rendered_is_parked_counted_and_not_raised(
    platform: FakePlatform,
) -> None:
    broken = WELCOME.model_copy(update={"context": {}, "request_id": "welcome-broken"})
    with pytest.raises(RenderFailed):
        render(broken)

    parked = deliver(
        platform.mailer, platform.sent_mail, platform.clock, broken, None, platform.mail_failures
    )
    sent = deliver(
        platform.mailer, platform.sent_mail, platform.clock, WELCOME, None, platform.mail_failures
    )

    assert (parked, sent) == (False, True)
    [failure] = platform.mail_failures.for_order("welcome-broken")
    assert failure.template == "organizer_welcome"
    assert "undefined" in failure.reason
    assert failure.at == platform.clock.now()
    assert counted("MailsFailed") == 1
    assert counted("MailsSent") == 1
    assert platform.sent_mail.was_sent("welcome-broken") is False


def test_a_refused_address_parks_the_mail_on_its_order(platform: FakePlatform) -> None:
    platform.mailer.refused = {"nobody@bounce.example"}
    request = MailRequest(
        template="organizer_welcome",
        to=["nobody@bounce.example"],
        context=WELCOME.context,
        request_id="confirm-72BE-040526-AAAA",
        order_number="72BE-040526-AAAA",
    )

    assert (
        deliver(
            platform.mailer,
            platform.sent_mail,
            platform.clock,
            request,
            lambda r: (dict(r.context), []),
            platform.mail_failures,
        )
        is False
    )

    [failure] = platform.mail_failures.for_order("72BE-040526-AAAA")
    assert failure.request_id == "confirm-72BE-040526-AAAA"
    assert platform.mailer.sent == []


def test_a_send_that_may_pass_is_raised_for_the_queue_and_not_parked(
    platform: FakePlatform,
) -> None:
    platform.mailer.down = True
    with pytest.raises(ConnectionError):
        deliver(
            platform.mailer,
            platform.sent_mail,
            platform.clock,
            WELCOME,
            None,
            platform.mail_failures,
        )

    assert platform.db.mail_failures == {}
    assert counted("MailsDeferred") == 1
    assert counted("MailsFailed") == 0


def test_onboarding_with_the_queue_down_keeps_the_key_and_the_welcome_follows(
    platform: FakePlatform,
) -> None:
    outgoing = Outgoing(platform.outbox, platform.mail)
    platform.mail.down = True
    draft = OrganizerDraft(name="Demo Messe GmbH", email="kontakt@demo-messe.example")

    created = onboard_organizer(platform.access, outgoing, platform.clock, REVIEWER, draft)

    assert created.api_key.startswith("tk_")
    assert platform.access.get_organizer(created.party.organizer_id) is not None
    assert [m.template for m in platform.outbox.entries] == ["organizer_welcome"]
    platform.mail.down = False
    platform.clock.advance(timedelta(minutes=3))
    assert queue_pending_mail(platform.outbox, platform.mail, platform.clock) == 1
    assert platform.mail.templates() == ["organizer_welcome"]
    assert platform.outbox.entries == []


def test_an_exhibitor_and_its_welcome_are_one_commit(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = a_fair(platform)
    organizer = Principal(Role.ORGANIZER, event.organizer_id, event.organizer_id, "key_org")
    outgoing = Outgoing(platform.outbox, platform.mail)
    draft = ExhibitorDraft(
        event_id=event.event_id, name="Forsttechnik Huber KG", email="messe@huber.example"
    )
    commits = platform.db.commits

    created = create_exhibitor(
        platform.access, platform.events, outgoing, platform.clock, organizer, draft
    )

    assert platform.db.commits == commits + 1  # party, key and pending welcome together
    assert platform.mail.templates() == ["exhibitor_welcome"]
    assert platform.outbox.entries == []  # handed over, so its entry is gone
    assert platform.access.get_key(created.key_id) is not None


def test_an_exhibitor_whose_commit_fails_leaves_no_key_and_no_mail(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ticketing.services import access

    event = a_fair(platform)
    organizer = Principal(Role.ORGANIZER, event.organizer_id, event.organizer_id, "key_org")
    draft = ExhibitorDraft(
        event_id=event.event_id, name="Forsttechnik Huber KG", email="messe@huber.example"
    )
    monkeypatch.setattr(access, "new_id", lambda prefix: f"{prefix}_taken0000000000")
    platform.db.parties["exh_taken0000000000"] = object()  # the id is taken meanwhile

    with pytest.raises(WriteRefused):
        create_exhibitor(
            platform.access,
            platform.events,
            Outgoing(platform.outbox, platform.mail),
            platform.clock,
            organizer,
            draft,
        )

    assert platform.db.keys == {}
    assert platform.mail.requests == []
    assert platform.outbox.entries == []

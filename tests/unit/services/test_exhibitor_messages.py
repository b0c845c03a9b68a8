"""An exhibitor writes again to the visitors who registered its codes (issue 16 item 5) on the
fakes: the message is a notification with the audience ``exhibitor_registrants``, waits in the
reviewer's queue, and after approval mails only the registrants who agreed to be contacted,
each once, however often the fan-out is delivered."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.invitations import FakeInvitationStore
from tests.fakes.notifications import FakeNotificationQueue, FakeNotificationStore
from tests.fakes.platform import FakePlatform
from tests.fakes.registrants import FakeRegistrantPages
from tests.unit.services.given import a_fair, an_exhibitor, issued_vouchers
from ticketing.domain.errors import InvalidRequest, NotAllowed, NotFound
from ticketing.domain.events import Event
from ticketing.domain.identity import Principal, Role
from ticketing.domain.invitations import MessageDraft
from ticketing.domain.parties import Exhibitor
from ticketing.domain.visitor_vouchers import RegistrationForm
from ticketing.services import mail_policy, notification_fanout, notifications
from ticketing.services.visitor_vouchers import invitation_tracking as tracking
from ticketing.services.visitor_vouchers.registration import register

REVIEWER = Principal(Role.REVIEWER, "rev_1", None, "key_reviewer")
BASE = "https://tickets.example"


class World:
    def __init__(self, platform: FakePlatform, consenting: int = 1, refusing: int = 1) -> None:
        self.platform = p = platform
        p.db.parties[samples.an_organizer().organizer_id] = samples.an_organizer()
        self.event: Event = a_fair(p)
        self.exhibitor: Exhibitor = an_exhibitor(p, self.event)
        self.me = samples.exhibitor_principal(self.exhibitor)
        self.store = FakeNotificationStore(p.db)
        self.queue = FakeNotificationQueue()
        self.registrants = FakeRegistrantPages(p.db)
        _, codes = issued_vouchers(p, self.event, self.exhibitor, consenting + refusing)
        for i, code in enumerate(codes):
            form = RegistrationForm(
                first_name=f"Vera{i}",
                last_name="Besucher",
                email=f"v{i}@example.org",
                contact_consent=i < consenting,
            )
            register(p.registration_desk(), "203.0.113.9", code, form, lambda _: None)
        p.mail.requests.clear()

    def desk(self) -> notifications.Desk:
        p = self.platform
        return notifications.Desk(
            self.store,
            p.events,
            p.access,
            p.orders,
            p.idempotency,
            p.mail,
            self.queue,
            p.clock,
            BASE,
            "review@example.com",
        )

    def tracking(self) -> tracking.Tracking:
        p = self.platform
        invitations = FakeInvitationStore(p.db, p.suppressions)
        return tracking.Tracking(invitations, p.batches, p.vouchers, p.figures, p.access, p.events)

    def fanning(self) -> notification_fanout.Fanning:
        p = self.platform
        return notification_fanout.Fanning(
            self.store,
            p.events,
            p.access,
            p.orders,
            p.mail,
            mail_policy.MailPolicy(p.consents, p.suppressions),
            p.clock,
            p.outbox,
            BASE,
            registrants=self.registrants,
            headers=p.orders,
        )

    def write(self, body: str = "Besuchen Sie uns in **Halle B**.", **kw: Any) -> str:
        draft = MessageDraft(subject="Wir sehen uns", body=body, **kw)
        found, _, new = tracking.write_again(
            self.tracking(), self.desk(), self.me, self.event.event_id, draft, None
        )
        assert new
        return found.notification_id


def mails(world: World) -> list[Any]:
    return [r for r in world.platform.mail.requests if r.template == "notification"]


def test_the_message_waits_in_the_reviewers_queue_and_nothing_is_sent_before(
    platform: FakePlatform,
) -> None:
    world = World(platform)

    nid = world.write()

    queued = notifications.review_queue(world.desk(), REVIEWER, "submitted")
    assert [n.notification_id for n in queued] == [nid]
    found = queued[0]
    assert (found.audience, found.exhibitor_id, found.kind) == (
        "exhibitor_registrants",
        world.exhibitor.exhibitor_id,
        "information",
    )
    assert (found.organizer_id, found.created_by) == (world.event.organizer_id, "key_exhibitor")
    told = [r for r in platform.mail.requests if r.template == "notification_submitted"]
    assert [r.to for r in told] == [["review@example.com"]]
    assert world.exhibitor.name in told[0].context["organizer_name"]
    assert notification_fanout.walk(world.fanning(), nid) == "closed"  # not approved: nothing
    assert mails(world) == []
    assert world.queue.queued == []


def test_after_approval_only_the_consenting_registrant_is_mailed_once_under_redelivery(
    platform: FakePlatform,
) -> None:
    world = World(platform, consenting=2, refusing=3)
    nid = world.write()
    notifications.approve(world.desk(), REVIEWER, nid)

    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    assert notification_fanout.walk(world.fanning(), nid) == "closed"  # SQS delivers again
    sent = mails(world)
    assert sorted(m.to[0] for m in sent) == ["v0@example.org", "v1@example.org"]
    assert all(m.request_id == f"ntf-{nid}-{m.order_number}" for m in sent)
    assert {m.context["sender_name"] for m in sent} == {world.exhibitor.name}
    assert {m.context["reply_to"] for m in sent} == {str(world.exhibitor.email)}
    found = world.store.get(nid)
    assert found is not None
    assert (found.state, found.recipients, found.sent, found.suppressed) == ("sent", 2, 2, 0)
    listed = tracking.messages_of(world.tracking(), world.desk(), world.me, world.event.event_id)
    assert [(m.notification_id, m.state, m.sent) for m in listed] == [(nid, "sent", 2)]


def test_redelivered_pages_of_a_long_walk_mail_each_registrant_once(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notification_fanout, "PAGE", 2)  # several pages of registrants
    world = World(platform, consenting=5, refusing=2)
    nid = world.write()
    notifications.approve(world.desk(), REVIEWER, nid)
    calls = iter([100.0, 100.0, 0.0])  # two pages, then the deadline
    assert notification_fanout.walk(world.fanning(), nid, lambda: next(calls, 0.0)) == "paused"
    paused = world.store.get(nid)
    assert paused is not None
    assert (paused.state, paused.pages) == ("sending", 2)
    # the message is queued again and delivered twice: the rest is mailed once
    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    assert notification_fanout.walk(world.fanning(), nid) == "closed"

    sent = sorted(m.to[0] for m in mails(world))
    assert sent == [f"v{i}@example.org" for i in range(5)]


def test_a_suppressed_registrant_is_counted_and_a_marketing_message_needs_consent_too(
    platform: FakePlatform,
) -> None:
    from ticketing.domain.consent import Suppression

    world = World(platform, consenting=2, refusing=0)
    platform.suppressions.suppress(
        Suppression(
            address="v0@example.org", reason="bounce", source="ses", at=platform.clock.now()
        )
    )
    nid = world.write()
    notifications.approve(world.desk(), REVIEWER, nid)
    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    assert [m.to for m in mails(world)] == [["v1@example.org"]]
    found = world.store.get(nid)
    assert found is not None
    assert (found.recipients, found.sent, found.suppressed) == (2, 1, 1)

    platform.mail.requests.clear()
    marketing = world.write("Unser Angebot", kind="marketing")
    notifications.approve(world.desk(), REVIEWER, marketing)
    assert notification_fanout.walk(world.fanning(), marketing) == "sent"
    assert mails(world) == []  # nobody consented to the organizer's marketing


def test_an_information_message_linking_elsewhere_is_refused_and_others_are_kept_out(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    with pytest.raises(InvalidRequest):
        world.write("Unser Shop: https://shop.example/angebot")
    assert world.store.in_state("submitted") == []
    organizer = samples.organizer_of(world.event)
    with pytest.raises(NotAllowed):
        tracking.write_again(
            world.tracking(),
            world.desk(),
            organizer,
            world.event.event_id,
            MessageDraft(subject="x", body="y"),
        )
    with pytest.raises(NotFound):
        tracking.write_again(
            world.tracking(),
            world.desk(),
            world.me,
            "evt_other",
            MessageDraft(subject="x", body="y"),
        )


def test_a_retry_with_the_same_key_answers_the_first_message(platform: FakePlatform) -> None:
    world = World(platform)
    draft = MessageDraft(subject="Hallo", body="Wir sehen uns")
    args = (world.tracking(), world.desk(), world.me, world.event.event_id, draft, "key-1")
    first, consenting, new = tracking.write_again(*args)
    again, _, twice = tracking.write_again(*args)
    assert (new, twice, consenting) == (True, False, 1)
    assert again.notification_id == first.notification_id
    assert len(world.store.in_state("submitted")) == 1


def test_the_fake_registrant_pages_have_the_ports_methods() -> None:
    import inspect

    from ticketing.services.ports_notifications import RegistrantPages

    for name, member in vars(RegistrantPages).items():
        if callable(member) and not name.startswith("_"):
            theirs = inspect.signature(getattr(FakeRegistrantPages, name))
            assert list(theirs.parameters) == list(inspect.signature(member).parameters)

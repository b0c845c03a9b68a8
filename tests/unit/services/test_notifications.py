"""Notifications to ticket holders on the fakes (issue 15 items 1-3): drafts, Markdown made
safe, the review, and the fan-out's once-per-recipient walk."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from tests.fakes import (
    FakeAccessStore,
    FakeDatabase,
    FakeEventStore,
    FakeIdempotencyStore,
    FakeMailQueue,
    FakeOrderStore,
    FakeOutbox,
    FixedClock,
)
from tests.fakes.mail_policy import FakeConsentStore, FakeSuppressionStore
from tests.fakes.notifications import FakeNotificationQueue, FakeNotificationStore
from tests.fakes.samples import a_fair, an_order, an_organizer, organizer_of
from ticketing.domain.consent import Suppression
from ticketing.domain.errors import Conflict, InvalidRequest, NotAllowed, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.notifications import (
    NotificationChange,
    NotificationDraft,
    foreign_links,
    to_html,
    to_text,
)
from ticketing.services import (
    mail_policy,
    notification_fanout,
    notification_mail,
    notifications,
    recovery,
)
from ticketing.services import ports_notifications as ports

REVIEWER = Principal(Role.REVIEWER, "rev_1", None, "key_reviewer")
BASE = "https://tickets.example"


class World:
    def __init__(self, orders: int = 3) -> None:
        self.db = FakeDatabase()
        self.clock = FixedClock(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
        self.access = FakeAccessStore(self.db)
        self.events = FakeEventStore(self.db)
        self.orders = FakeOrderStore(self.db)
        self.store = FakeNotificationStore(self.db)
        self.mail = FakeMailQueue()
        self.outbox = FakeOutbox(self.db)
        self.queue = FakeNotificationQueue()
        self.consents, self.suppressions = FakeConsentStore(), FakeSuppressionStore()
        self.db.parties[an_organizer().organizer_id] = an_organizer()
        self.fair = a_fair()
        self.events.add(self.fair)
        for i in range(orders):
            order = an_order(
                self.fair,
                number=f"01DE-040526-{i:06d}",
                last_name=f"Holder{i}",
                email=f"holder{i}@example.org",
                at=datetime(2026, 5, 4, 10, 0, tzinfo=UTC) + timedelta(seconds=i),
            )
            self.db.orders[order.order_number] = order
        self.organizer = organizer_of(self.fair)
        self.desk = notifications.Desk(
            self.store,
            self.events,
            self.access,
            self.orders,
            FakeIdempotencyStore(self.db),
            self.mail,
            self.queue,
            self.clock,
            BASE,
            "review@example.com",
        )

    def fanning(self) -> notification_fanout.Fanning:
        policy = mail_policy.MailPolicy(self.consents, self.suppressions)
        return notification_fanout.Fanning(
            self.store,
            self.events,
            self.access,
            self.orders,
            self.mail,
            policy,
            self.clock,
            self.outbox,
            BASE,
        )

    def draft(self, body: str = "Bitte bringen Sie einen **Schnelltest** mit.", **kw: Any) -> str:
        draft = NotificationDraft(subject="Eure Gesundheit", body=body, **kw)
        made, _ = notifications.create(self.desk, self.organizer, self.fair.event_id, draft, None)
        return made.notification_id

    def approved(self, body: str = "Bitte bringen Sie einen Test mit.") -> str:
        nid = self.draft(body)
        notifications.submit(self.desk, self.organizer, nid)
        notifications.approve(self.desk, REVIEWER, nid)
        return nid


def holder_mails(world: World) -> list[Any]:
    return [r for r in world.mail.requests if r.template == "notification"]


# --------------------------------------------------------------------------- Markdown


def test_markdown_never_lets_script_raw_html_javascript_or_remote_images_through() -> None:
    body = (
        "# Hallo <script>alert(1)</script>\n\n"
        '<img src="https://evil.example/x.png" onerror="alert(1)">\n\n'
        "![tracker](https://evil.example/pixel.gif)\n\n"
        "[klick](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
        '<a href="https://evil.example">raw</a> and [ok](https://tickets.example/o/1)\n'
    )
    html = to_html(body)
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert 'href="data:' not in html
    assert '<a href="https://evil.example">' not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img" in html
    assert '<a href="https://tickets.example/o/1">ok</a>' in html


def test_plain_text_keeps_words_lists_and_link_addresses() -> None:
    text = to_text("Hallo **Welt**\n\n- eins\n- zwei\n\n[Infos](https://fair.example/info)")
    assert "Hallo Welt" in text
    assert "- eins\n- zwei" in text
    assert "Infos (https://fair.example/info)" in text
    assert "<" not in text


def test_foreign_links_names_links_elsewhere_bare_ones_too() -> None:
    allowed = ["https://tickets.example", "https://www.demo-messe.example"]
    body = (
        "[Plan](https://tickets.example/o/1) [Messe](https://demo-messe.example/plan) "
        "[mail](mailto:info@demo-messe.example) und www.rabatt-shop.example/angebot."
    )
    assert foreign_links(body, allowed) == ["www.rabatt-shop.example/angebot"]


def test_subject_is_one_line_of_at_most_200_and_body_at_most_20000() -> None:
    for bad in (
        {"subject": "a\nb", "body": "x"},
        {"subject": "s" * 201, "body": "x"},
        {"subject": "s", "body": "x" * 20_001},
        {"subject": "s", "body": "x", "kind": "spam"},
    ):
        with pytest.raises(ValidationError):
            NotificationDraft.model_validate(bad)


# --------------------------------------------------------------------------- drafts, review


def test_a_draft_changes_previews_and_submits_and_the_reviewer_is_told() -> None:
    world = World()
    nid = world.draft()
    changed = notifications.change(
        world.desk, world.organizer, nid, NotificationChange(subject="Neu")
    )
    assert changed.subject == "Neu"
    assert changed.state == "draft"
    shown = notification_mail.preview(world.desk, world.organizer, nid)
    assert shown.sample is False
    assert shown.order_number.startswith("01DE-")
    assert "Guten Tag Erika Holder" in shown.text
    assert "Ihr Partner hat folgende Informationen für Sie:" in shown.text
    assert f"Ihre Bestellnummer lautet: {shown.order_number}" in shown.text
    assert "<strong>Schnelltest</strong>" in shown.html
    assert "/o/" in shown.html
    submitted = notifications.submit(world.desk, world.organizer, nid)
    assert submitted.state == "submitted"
    assert world.mail.templates() == ["notification_submitted"]
    assert world.mail.requests[0].to == ["review@example.com"]
    assert holder_mails(world) == []
    assert world.queue.queued == []
    with pytest.raises(Conflict):
        notifications.change(world.desk, world.organizer, nid, NotificationChange(body="x"))


def test_preview_without_orders_shows_a_sample_holder() -> None:
    world = World(orders=0)
    shown = notification_mail.preview(world.desk, world.organizer, world.draft())
    assert shown.sample is True
    assert "Erika Mustermann" in shown.text


def test_an_information_message_linking_to_a_shop_is_refused_naming_the_link() -> None:
    world = World()
    nid = world.draft("Jetzt 20 % sparen: [Shop](https://rabatt-shop.example/deal)")
    with pytest.raises(InvalidRequest) as refused:
        notifications.submit(world.desk, world.organizer, nid)
    assert "https://rabatt-shop.example/deal" in refused.value.detail
    assert refused.value.params == {"link": "https://rabatt-shop.example/deal"}
    assert world.store.get(nid).state == "draft"  # type: ignore[union-attr]
    # the same text as marketing goes to review
    notifications.change(world.desk, world.organizer, nid, NotificationChange(kind="marketing"))
    assert notifications.submit(world.desk, world.organizer, nid).state == "submitted"


def test_approving_twice_queues_the_fan_out_once() -> None:
    world = World()
    nid = world.draft()
    notifications.submit(world.desk, world.organizer, nid)
    assert [
        n.notification_id for n in notifications.review_queue(world.desk, REVIEWER, "submitted")
    ] == [nid]
    assert notifications.approve(world.desk, REVIEWER, nid).state == "approved"
    with pytest.raises(Conflict):
        notifications.approve(world.desk, REVIEWER, nid)
    assert world.queue.queued == [nid]


@pytest.mark.parametrize("answer", ["reject", "ask"])
def test_reject_and_question_tell_the_organizer_and_show_the_text(answer: str) -> None:
    world = World()
    nid = world.draft()
    notifications.submit(world.desk, world.organizer, nid)
    done = getattr(notifications, answer)(world.desk, REVIEWER, nid, "Bitte ohne Werbung.")
    assert done.state == ("rejected" if answer == "reject" else "question")
    assert (done.reason or done.question) == "Bitte ohne Werbung."
    told = world.mail.requests[-1]
    assert told.template == "notification_reviewed"
    assert told.to == ["kontakt@demo-messe.example"]
    assert world.queue.queued == []
    if answer == "ask":  # asked back: the organizer changes it and submits again
        notifications.change(world.desk, world.organizer, nid, NotificationChange(body="Neu"))
        assert notifications.submit(world.desk, world.organizer, nid).state == "submitted"


def test_other_tenants_exhibitors_and_terminals_are_refused() -> None:
    world = World()
    nid = world.draft()
    stranger = Principal(Role.ORGANIZER, "org_other", "org_other", "key_other")
    with pytest.raises(NotFound):
        notifications.own(world.desk, stranger, nid)
    with pytest.raises(NotFound):
        notifications.create(
            world.desk,
            stranger,
            world.fair.event_id,
            NotificationDraft(subject="s", body="b"),
            None,
        )
    for role in (Role.EXHIBITOR, Role.TERMINAL):
        other = Principal(role, "x", world.fair.organizer_id, "key_x")
        with pytest.raises(NotAllowed):
            notifications.own(world.desk, other, nid)
    with pytest.raises(NotAllowed):
        notifications.approve(world.desk, world.organizer, nid)


def test_a_retried_create_with_the_same_key_answers_the_first() -> None:
    world = World()
    draft = NotificationDraft(subject="s", body="b")
    first, made = notifications.create(
        world.desk, world.organizer, world.fair.event_id, draft, "k1"
    )
    again, made_again = notifications.create(
        world.desk, world.organizer, world.fair.event_id, draft, "k1"
    )
    assert made
    assert not made_again
    assert again.notification_id == first.notification_id


# --------------------------------------------------------------------------- fan-out


def test_fan_out_mails_each_order_once_with_its_holder_and_order_number() -> None:
    world = World(orders=3)
    nid = world.approved()
    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    mails = holder_mails(world)
    assert len(mails) == 3
    numbers = sorted(m.order_number for m in mails)
    assert numbers == sorted(world.db.orders)
    for request in mails:
        order = world.db.orders[request.order_number or ""]
        assert request.to == [str(order.customer.email)]
        assert request.context["last_name"] == order.customer.last_name
        assert request.mail_class == "information"
        assert request.organizer_id == order.organizer_id
        assert request.request_id == f"ntf-{nid}-{order.order_number}"
    done = world.store.get(nid)
    assert done is not None
    assert done.state == "sent"
    assert (done.recipients, done.sent, done.suppressed, done.failed) == (3, 3, 0, 0)
    # a redelivered message, or the worker run again, sends nothing more
    assert notification_fanout.walk(world.fanning(), nid) == "closed"
    assert len(holder_mails(world)) == 3


def test_suppressed_addresses_are_counted_not_mailed() -> None:
    world = World(orders=3)
    world.suppressions.suppress(
        Suppression(
            address="holder1@example.org",
            reason="bounce",
            source="ses",
            at=world.clock.now(),
            detail="550",
        )
    )
    nid = world.approved()
    notification_fanout.walk(world.fanning(), nid)
    assert len(holder_mails(world)) == 2
    done = world.store.get(nid)
    assert done is not None
    assert (done.recipients, done.sent, done.suppressed) == (3, 2, 1)


def test_a_marketing_message_reaches_only_holders_who_consented() -> None:
    world = World(orders=3)
    world.consents.change(
        world.fair.organizer_id,
        "holder2@example.org",
        "marketing",
        True,
        world.clock.now(),
        "double_opt_in",
    )
    nid = world.draft("Neu im Shop", kind="marketing")
    notifications.submit(world.desk, world.organizer, nid)
    notifications.approve(world.desk, REVIEWER, nid)
    notification_fanout.walk(world.fanning(), nid)
    assert [m.to for m in holder_mails(world)] == [["holder2@example.org"]]


def test_a_long_fan_out_pauses_before_the_deadline_and_resumes_where_it_stopped() -> None:
    page = notification_fanout.PAGE
    world = World(orders=5 * page + 5)  # six pages
    nid = world.approved()
    budget = iter([100.0, 100.0, 0.0])
    assert notification_fanout.walk(world.fanning(), nid, lambda: next(budget)) == "paused"
    assert len(holder_mails(world)) == 2 * page
    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    mails = holder_mails(world)
    assert len(mails) == 5 * page + 5
    assert len({m.order_number for m in mails}) == 5 * page + 5
    done = world.store.get(nid)
    assert done is not None
    assert (done.recipients, done.sent, done.pages) == (5 * page + 5, 5 * page + 5, 6)
    assert world.outbox.entries == []  # every pending mail handed over


def test_two_deliveries_at_once_claim_each_page_once() -> None:
    world = World(orders=60)
    nid = world.approved()
    first, second = world.fanning(), world.fanning()
    stale = world.store.get(nid)
    assert notification_fanout.walk(first, nid) == "sent"
    # a second delivery that read the notification before: its page is claimed already
    assert stale is not None
    page, _after = world.orders.list_for_event(world.fair.event_id, 50, None)
    claimed = world.store.claim_page(stale, [ports.Recipient(page[0].order_number, "queued")], "x")
    assert claimed is False
    assert notification_fanout.walk(second, nid) == "closed"
    assert len(holder_mails(world)) == 60


def test_a_mail_the_queue_refuses_stays_pending_and_the_recovery_schedule_sends_it() -> None:
    world = World(orders=2)
    nid = world.approved()
    world.mail.down = True
    notification_fanout.walk(world.fanning(), nid)
    done = world.store.get(nid)
    assert done is not None
    assert (done.recipients, done.sent, done.failed) == (2, 2, 0)
    assert done.state == "sent"
    assert len(world.outbox.entries) == 2
    world.mail.down = False
    world.clock.advance(recovery.GRACE + timedelta(seconds=1))
    assert recovery.queue_pending_mail(world.outbox, world.mail, world.clock) == 2
    assert sorted(m.request_id for m in holder_mails(world)) == sorted(
        f"ntf-{nid}-{n}" for n in world.db.orders
    )


class ProcessDied(BaseException):
    """The Lambda ends (timeout, out of memory) between the page's commit and its sends."""


def test_a_process_that_dies_between_the_claim_and_the_queue_loses_no_mail() -> None:
    world = World(orders=3)
    nid = world.approved()
    real = world.mail.enqueue

    def dies(request: Any) -> None:
        raise ProcessDied

    world.mail.enqueue = dies  # type: ignore[method-assign]
    with pytest.raises(ProcessDied):
        notification_fanout.walk(world.fanning(), nid)
    world.mail.enqueue = real  # type: ignore[method-assign]
    claimed = world.store.get(nid)
    assert claimed is not None
    assert (claimed.state, claimed.recipients, claimed.pages) == ("sending", 3, 1)
    assert holder_mails(world) == []
    assert sorted(r.order_number or "" for r in world.outbox.entries) == sorted(world.db.orders)
    # SQS delivers the message again: the page is claimed, nothing is queued twice
    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    assert holder_mails(world) == []
    # the recovery schedule hands the page's mails over, each once
    world.clock.advance(recovery.GRACE + timedelta(seconds=1))
    assert recovery.queue_pending_mail(world.outbox, world.mail, world.clock) == 3
    assert recovery.queue_pending_mail(world.outbox, world.mail, world.clock) == 0
    mails = holder_mails(world)
    assert sorted(m.order_number for m in mails) == sorted(world.db.orders)
    assert all(m.request_id == f"ntf-{nid}-{m.order_number}" for m in mails)


def test_the_fakes_have_every_method_of_their_ports() -> None:
    for port, fake in (
        (ports.NotificationStore, FakeNotificationStore),
        (ports.NotificationQueue, FakeNotificationQueue),
    ):
        for name, member in vars(port).items():
            if callable(member) and not name.startswith("_"):
                theirs = inspect.signature(getattr(fake, name))
                assert list(theirs.parameters) == list(inspect.signature(member).parameters)


def test_a_page_of_long_mails_stays_within_one_commits_4_mb() -> None:
    world = World(orders=1)
    event = world.fair
    short = world.store.get(world.approved())
    assert short is not None
    assert notification_fanout.page_size(short, event, {}) == notification_fanout.PAGE
    longest = short.model_copy(update={"body": '"' * 20_000})
    size = notification_fanout.page_size(longest, event, {})
    holder = notification_mail.sample_holder(event, BASE)
    mail = notification_mail.holder_mail(longest, event, holder, {})
    assert 1 <= size < notification_fanout.PAGE
    assert size * len(mail.model_dump_json().encode()) < 4_000_000

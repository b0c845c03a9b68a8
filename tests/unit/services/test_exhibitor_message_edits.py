"""An exhibitor changes its message to its registrants after the reviewer asked back, and
submits it again (issue 16 item 5), on the fakes: the organizer's rule of change and submit
(``notifications.edit``/``send_for_review``) with the exhibitor's ownership; a preview that
stores nothing; the batch's counts without a walk while its codes are being made."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, an_exhibitor
from tests.unit.services.test_exhibitor_messages import REVIEWER, World, mails
from ticketing.domain.errors import Conflict, InvalidRequest, NotAllowed, NotFound
from ticketing.domain.invitations import MessageDraft
from ticketing.domain.notifications import NotificationChange
from ticketing.services import notification_fanout, notifications
from ticketing.services.visitor_vouchers import invitation_tracking as tracking


def asked(world: World, text: str = "Welche Halle genau?") -> str:
    nid = world.write("Besuchen Sie uns in Halle B.")
    notifications.ask(world.desk(), REVIEWER, nid, text)
    return nid


def change(world: World, nid: str, principal: Any = None, **fields: str) -> Any:
    return tracking.change_message(
        world.tracking(),
        world.desk(),
        principal or world.me,
        world.event.event_id,
        nid,
        NotificationChange(**fields),
    )


def submit(world: World, nid: str, principal: Any = None) -> Any:
    return tracking.submit_message(
        world.tracking(), world.desk(), principal or world.me, world.event.event_id, nid
    )


def reviewers_told(world: World) -> list[Any]:
    return [r for r in world.platform.mail.requests if r.template == "notification_submitted"]


def test_the_exhibitor_edits_after_a_question_resubmits_and_the_new_text_goes_out(
    platform: FakePlatform,
) -> None:
    world = World(platform, consenting=1, refusing=2)
    nid = asked(world)
    told_before = len(reviewers_told(world))
    exhibitor_told = [r for r in platform.mail.requests if r.template == "notification_reviewed"]
    assert [r.to for r in exhibitor_told] == [[str(world.exhibitor.email)]]

    changed = change(
        world, nid, subject="Halle B, Stand 12", body="Sie finden uns an **Stand 12**."
    )
    assert (changed.state, changed.subject) == ("question", "Halle B, Stand 12")
    assert changed.question == "Welche Halle genau?"  # what was asked stays readable
    stored = world.store.get(nid)
    assert stored is not None
    assert (stored.body, stored.version) == ("Sie finden uns an **Stand 12**.", changed.version)

    again = submit(world, nid)
    assert again.state == "submitted"
    assert len(reviewers_told(world)) == told_before + 1  # the reviewers hear of it again
    queued = notifications.review_queue(world.desk(), REVIEWER, "submitted")
    assert [n.notification_id for n in queued] == [nid]

    notifications.approve(world.desk(), REVIEWER, nid)
    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    [sent] = mails(world)
    assert sent.to == ["v0@example.org"]  # only who agreed at registration
    assert sent.context["subject_line"] == "Halle B, Stand 12"
    assert "Stand 12" in sent.context["body_text"]


def test_only_a_draft_or_a_question_can_change_and_a_stale_copy_is_refused(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    nid = world.write()  # submitted at once
    with pytest.raises(Conflict):
        change(world, nid, subject="Anders")
    with pytest.raises(Conflict):
        submit(world, nid)  # already waiting for the review

    notifications.ask(world.desk(), REVIEWER, nid, "Was meinen Sie?")
    stale = world.store.get(nid)
    assert stale is not None
    change(world, nid, body="Erste Änderung")
    with pytest.raises(Conflict, match="changed at the same time"):
        notifications.edit(world.desk(), stale, NotificationChange(body="Zweite Änderung"))
    found = world.store.get(nid)
    assert found is not None
    assert found.body == "Erste Änderung"

    submit(world, nid)
    notifications.reject(world.desk(), REVIEWER, nid, "Nicht zulässig")
    with pytest.raises(Conflict):
        change(world, nid, subject="Noch einmal")


def test_another_exhibitors_message_is_missing_and_the_organizer_uses_its_own_routes(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    nid = asked(world)
    neighbour = samples.an_exhibitor(world.event, name="Andere GmbH")
    platform.access.add_party(neighbour, None)
    them = samples.exhibitor_principal(neighbour)
    with pytest.raises(NotFound):
        change(world, nid, them, subject="Übernommen")
    with pytest.raises(NotFound):
        submit(world, nid, them)
    with pytest.raises(NotFound):  # its own message, through another event's path
        tracking.submit_message(world.tracking(), world.desk(), world.me, "evt_other", nid)
    elsewhere = an_exhibitor(platform, a_fair(platform))
    with pytest.raises(NotFound):
        change(world, nid, samples.exhibitor_principal(elsewhere), subject="x")
    with pytest.raises(NotAllowed):
        change(world, nid, samples.organizer_of(world.event), subject="x")
    with pytest.raises(NotFound):
        change(world, "ntf_missing", subject="x")
    found = world.store.get(nid)
    assert found is not None
    assert (found.state, found.subject) == ("question", "Wir sehen uns")


def test_a_changed_text_linking_elsewhere_is_refused_at_submit_and_stays_asked_back(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    nid = asked(world)
    change(world, nid, body="Unser Shop: https://shop.example/angebot")
    with pytest.raises(InvalidRequest):
        submit(world, nid)
    found = world.store.get(nid)
    assert found is not None
    assert found.state == "question"
    change(world, nid, kind="marketing")  # a marketing message may link to its shop
    assert submit(world, nid).state == "submitted"


def test_the_preview_of_a_new_message_stores_nothing_and_counts_who_agreed(
    platform: FakePlatform,
) -> None:
    world = World(platform, consenting=2, refusing=1)
    draft = MessageDraft(subject="Wir sehen uns", body="Besuchen Sie uns an **Stand 12**.")
    shown, consenting = tracking.draft_preview(
        world.tracking(), world.desk(), world.me, world.event.event_id, draft
    )
    assert consenting == 2
    assert shown.sample
    assert "Stand 12" in shown.text
    assert "<strong>Stand 12</strong>" in shown.html
    assert "v0@example.org" not in shown.text  # never a real registrant's mail
    assert world.store.of_event(world.event.event_id) == []
    assert reviewers_told(world) == []
    with pytest.raises(NotFound):
        tracking.draft_preview(world.tracking(), world.desk(), world.me, "evt_other", draft)


def test_a_batch_being_made_is_counted_without_walking_the_registrations(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World(platform, consenting=1, refusing=1)
    [ready] = platform.batches.list_batches(world.exhibitor.exhibitor_id)
    counts = tracking.batch_counts(world.tracking(), ready)
    assert (counts.codes, counts.registered, counts.used) == (2, 2, 0)

    making = ready.model_copy(update={"status": "pending", "generated": 1})

    def walked(_: str) -> Any:
        raise AssertionError("the registrations were walked")

    monkeypatch.setattr(platform.vouchers, "redemptions", walked)
    counts = tracking.batch_counts(world.tracking(), making)
    assert (counts.codes, counts.assigned, counts.registered) == (1, 0, 0)


def test_the_organizer_reads_but_does_not_rewrite_an_exhibitors_message(
    platform: FakePlatform,
) -> None:
    world = World(platform)
    nid = asked(world)
    organizer = samples.organizer_of(world.event)
    assert notifications.own(world.desk(), organizer, nid).exhibitor_id is not None
    with pytest.raises(Conflict) as refused:
        notifications.change(world.desk(), organizer, nid, NotificationChange(subject="Neu"))
    assert refused.value.message_id == "problem.notification.exhibitors"
    with pytest.raises(Conflict):
        notifications.submit(world.desk(), organizer, nid)
    found = world.store.get(nid)
    assert found is not None
    assert (found.state, found.subject) == ("question", "Wir sehen uns")

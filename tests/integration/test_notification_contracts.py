"""Notifications (issue 15): the same scenarios on the fake and on DynamoDB (moto).

What the fake promises the service tests (a state change refused when another came first, a
page of recipients claimed once with its counters and bookmark, the review queue across
tenants, an event's notifications newest first) is what DynamoDB does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.notifications import FakeNotificationStore
from ticketing.domain.notifications import Notification
from ticketing.mail.messages import MailRequest
from ticketing.services.ports import Outbox
from ticketing.services.ports_notifications import NotificationStore, Recipient

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["fake", "dynamodb"])
def store(request: pytest.FixtureRequest) -> NotificationStore:
    if request.param == "fake":
        return FakeNotificationStore()
    request.getfixturevalue("aws")
    from ticketing.adapters.notification_store import DynamoNotificationStore

    return DynamoNotificationStore()


def a_notification(
    nid: str, org: str = "org_a", event: str = "evt_a", **kw: object
) -> Notification:
    fields: dict[str, object] = {
        "notification_id": nid,
        "organizer_id": org,
        "event_id": event,
        "kind": "marketing",
        "subject": "Betreff",
        "body": "Text",
        "created_at": NOW,
        "created_by": "key_1",
        "updated_at": NOW,
        **kw,
    }
    return Notification.model_validate(fields)


def test_a_notification_reads_back_as_written_with_its_kind(store: NotificationStore) -> None:
    store.add(a_notification("ntf_1"))
    found = store.get("ntf_1")
    assert found == a_notification("ntf_1")
    assert found is not None
    assert found.kind == "marketing"
    assert store.get("ntf_missing") is None


def test_a_state_change_is_refused_when_another_came_first(store: NotificationStore) -> None:
    store.add(a_notification("ntf_1"))
    first = store.get("ntf_1")
    assert first is not None
    submitted = first.model_copy(update={"state": "submitted"})
    assert store.replace(submitted, first.version) is True
    assert store.replace(first.model_copy(update={"state": "rejected"}), first.version) is False
    found = store.get("ntf_1")
    assert found is not None
    assert (found.state, found.version) == ("submitted", 1)


def test_the_review_queue_spans_tenants_and_an_event_lists_newest_first(
    store: NotificationStore,
) -> None:
    for i, (org, event) in enumerate([("org_a", "evt_a"), ("org_b", "evt_b"), ("org_a", "evt_a")]):
        at = NOW + timedelta(minutes=i)
        store.add(a_notification(f"ntf_{i}", org, event, created_at=at, updated_at=at))
    for nid in ("ntf_0", "ntf_1"):
        found = store.get(nid)
        assert found is not None
        assert store.replace(found.model_copy(update={"state": "submitted"}), found.version)
    assert [n.notification_id for n in store.in_state("submitted")] == ["ntf_0", "ntf_1"]
    assert [n.notification_id for n in store.in_state("draft")] == ["ntf_2"]
    assert [n.notification_id for n in store.of_event("evt_a")] == ["ntf_2", "ntf_0"]


def test_a_page_of_recipients_is_claimed_once_with_counters_and_bookmark(
    store: NotificationStore,
) -> None:
    store.add(a_notification("ntf_1"))
    found = store.get("ntf_1")
    assert found is not None
    page = [Recipient("N1", "queued"), Recipient("N2", "suppressed"), Recipient("N3", "queued")]
    assert store.claim_page(found, page, '{"after": "N3"}') is True
    assert store.claim_page(found, page, '{"after": "N3"}') is False  # a second delivery
    moved = store.get("ntf_1")
    assert moved is not None
    assert (moved.recipients, moved.sent, moved.suppressed, moved.pages) == (3, 2, 1, 1)
    assert (moved.cursor, moved.version) == ('{"after": "N3"}', 1)
    assert store.was_claimed("ntf_1", "N2")
    assert not store.was_claimed("ntf_1", "N4")
    # the last page: no bookmark left; a mail not queued is counted failed
    assert store.claim_page(moved, [Recipient("N4", "queued")], None) is True
    store.count_failed("ntf_1", 1)
    done = store.get("ntf_1")
    assert done is not None
    assert (done.recipients, done.sent, done.failed, done.cursor, done.pages) == (4, 2, 1, None, 2)
    # its version moved with each write: a state change from a stale copy is refused
    assert store.replace(moved.model_copy(update={"state": "sent"}), moved.version) is False
    assert store.replace(done.model_copy(update={"state": "sent"}), done.version) is True


@pytest.fixture(params=["fake", "dynamodb"])
def store_and_outbox(request: pytest.FixtureRequest) -> tuple[NotificationStore, Outbox]:
    if request.param == "fake":
        from tests.fakes import FakeDatabase, FakeOutbox

        db = FakeDatabase()
        return FakeNotificationStore(db), FakeOutbox(db)
    request.getfixturevalue("aws")
    from ticketing.adapters.notification_store import DynamoNotificationStore
    from ticketing.adapters.outbox import DynamoOutbox

    return DynamoNotificationStore(), DynamoOutbox()


def test_a_pages_pending_mails_are_committed_with_its_claim_and_its_progress_is_kept(
    store_and_outbox: tuple[NotificationStore, Outbox],
) -> None:
    store, outbox = store_and_outbox
    store.add(a_notification("ntf_9", state="sending"))
    found = store.get("ntf_9")
    assert found is not None
    later = NOW + timedelta(minutes=3)
    mail = MailRequest(
        template="notification",
        mail_class="marketing",
        organizer_id="org_a",
        to=["n1@example.org"],
        request_id="ntf-ntf_9-N1",
        order_number="N1",
    )
    pending = outbox.pending(mail, later, "N1")
    progressed = found.model_copy(update={"updated_at": later})
    assert store.claim_page(progressed, [Recipient("N1", "queued")], "c", [outbox.part_of(pending)])
    waiting = outbox.pending_mail(older_than=later + timedelta(seconds=1))
    assert [p.request.request_id for p in waiting] == ["ntf-ntf_9-N1"]
    moved = store.get("ntf_9")
    assert moved is not None
    assert moved.updated_at == later
    assert [n.notification_id for n in store.in_state("sending")] == ["ntf_9"]
    # a refused claim (a stale copy) writes no pending mail either
    other = outbox.pending(mail.model_copy(update={"request_id": "again"}), later, "N2")
    assert not store.claim_page(
        progressed, [Recipient("N2", "queued")], "d", [outbox.part_of(other)]
    )
    assert len(outbox.pending_mail(older_than=later + timedelta(seconds=1))) == 1

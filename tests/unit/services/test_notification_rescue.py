"""An approved notification whose fan-out stopped is queued again (issue 15 item 3): its
message refused by SQS right after the approval, or its worker gone mid-walk."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from tests.unit.services.test_notifications import REVIEWER, World, holder_mails
from ticketing.services import notification_fanout, notification_rescue, notifications


class RefusingQueue:
    def enqueue_notification(self, notification_id: str) -> None:
        raise ConnectionError("SQS refused")


def test_an_approval_whose_message_sqs_refused_is_queued_again_once_it_is_stalled() -> None:
    world = World(orders=3)
    nid = world.draft()
    notifications.submit(world.desk, world.organizer, nid)
    desk = dataclasses.replace(world.desk, queue=RefusingQueue())
    approved = notifications.approve(desk, REVIEWER, nid)  # answered, not a 500
    assert approved.state == "approved"
    assert world.queue.queued == []

    # too early: a fan-out in progress is left alone
    world.clock.advance(timedelta(minutes=5))
    rescued = notification_rescue.rescue_stalled(world.store, world.queue, world.clock)
    assert (rescued.stalled, rescued.queued, world.queue.queued) == (0, 0, [])

    world.clock.advance(notification_rescue.STALLED_AFTER)
    rescued = notification_rescue.rescue_stalled(world.store, world.queue, world.clock)
    assert (rescued.stalled, rescued.queued, world.queue.queued) == (1, 1, [nid])
    # the next run finds its rescue recent: not queued twice
    again = notification_rescue.rescue_stalled(world.store, world.queue, world.clock)
    assert (again.stalled, again.queued, world.queue.queued) == (0, 0, [nid])

    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    assert len(holder_mails(world)) == 3


def test_a_walk_that_stopped_mid_way_resumes_from_its_bookmark_and_a_live_one_hands_over() -> None:
    page = notification_fanout.PAGE
    world = World(orders=2 * page + 1)
    nid = world.approved()
    budget = iter([100.0, 0.0])
    assert notification_fanout.walk(world.fanning(), nid, lambda: next(budget)) == "paused"
    # the paused walk's message is lost: the notification is "sending" without progress
    world.clock.advance(notification_rescue.STALLED_AFTER + timedelta(seconds=1))
    stale = world.store.get(nid)
    assert stale is not None
    assert stale.state == "sending"
    assert notification_rescue.rescue_stalled(world.store, world.queue, world.clock).queued == 1
    # a worker still holding the old copy cannot claim a page any more
    assert not world.store.claim_page(stale, [], stale.cursor)
    assert notification_fanout.walk(world.fanning(), nid) == "sent"
    mails = holder_mails(world)
    assert len(mails) == 2 * page + 1
    assert len({m.order_number for m in mails}) == 2 * page + 1


def test_sent_rejected_and_drafted_notifications_are_not_rescued() -> None:
    world = World(orders=1)
    sent = world.approved()
    assert notification_fanout.walk(world.fanning(), sent) == "sent"
    world.draft()
    world.clock.advance(timedelta(days=1))
    rescued = notification_rescue.rescue_stalled(world.store, world.queue, world.clock)
    assert (rescued.stalled, rescued.queued) == (0, 0)

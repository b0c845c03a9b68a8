"""The notification rescue schedule on the moto account (issue 15 item 3): an approved
notification without progress is queued again once, with the handler's own environment."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.conftest import Aws, LambdaContext, load_event, load_function
from tests.integration.test_notification_contracts import a_notification


def test_a_stalled_approved_notification_is_queued_again_once(aws: Aws) -> None:
    from ticketing.adapters.notification_store import DynamoNotificationStore

    store = DynamoNotificationStore()
    long_ago = aws.clock.now() - timedelta(minutes=30)
    store.add(a_notification("ntf_stalled", state="approved", updated_at=long_ago))
    store.add(a_notification("ntf_fresh", state="sending", updated_at=aws.clock.now()))
    store.add(a_notification("ntf_done", state="sent", updated_at=long_ago))
    rescue = load_function("notification_rescue")
    scheduled = load_event("notification_rescue/scheduled.json")

    assert rescue.handler(scheduled, LambdaContext()) == {"stalled": 1, "queued": 1}
    bodies = [json.loads(m["Body"]) for m in aws.receive_all("NotificationQueue")]
    assert bodies == [{"notification_id": "ntf_stalled"}]
    moved = store.get("ntf_stalled")
    assert moved is not None
    assert (moved.state, moved.updated_at, moved.version) == ("approved", aws.clock.now(), 1)
    assert rescue.handler(scheduled, LambdaContext()) == {"stalled": 0, "queued": 0}

"""Scheduled: an approved notification whose fan-out stopped is queued again (issue 15 item 3).

Approving queues the fan-out's message after the approval is written; if SQS refused it, or a
worker died and its message ran out of deliveries, the notification would stay ``approved`` or
``sending`` for ever. Every page the fan-out claims moves the notification's ``updated_at``, so
one whose ``updated_at`` is older than ``STALLED_AFTER`` has stopped. Its rescue is a write
conditional on its version (a live worker's next claim then finds the notification moved and
hands over to the rescued message, which resumes from the bookmark; two rescues cannot both
win), then the message. A repeated message is harmless: claimed pages queue nothing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from ticketing.observability import count, logger

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports_notifications import NotificationQueue, NotificationStore

STALLED_AFTER = timedelta(minutes=10)  # a page takes seconds; a paused walk is queued at once


@dataclass(frozen=True, slots=True)
class Rescued:
    stalled: int
    queued: int


def rescue_stalled(
    store: NotificationStore,
    queue: NotificationQueue,
    clock: Clock,
    stalled_after: timedelta = STALLED_AFTER,
) -> Rescued:
    """Queue again every approved or sending notification without progress for
    ``stalled_after``; each rescue is claimed by a conditional write first."""
    now = clock.now()
    stalled = [
        n
        for state in ("approved", "sending")
        for n in store.in_state(state)
        if n.updated_at < now - stalled_after
    ]
    queued = 0
    for found in stalled:
        if not store.replace(found.model_copy(update={"updated_at": now}), found.version):
            continue  # a worker (or another rescue) moved it meanwhile
        try:
            queue.enqueue_notification(found.notification_id)
        except Exception:  # noqa: BLE001 - one notification must not stop the others' rescue
            # updated_at moved on: the next run tries this one again
            logger.exception("stalled notification not queued", extra={"id": found.notification_id})
            continue
        logger.warning(
            "stalled notification queued again",
            extra={
                "notification_id": found.notification_id,
                "state": found.state,
                "pages": found.pages,
                "updated_at": found.updated_at.isoformat(),
            },
        )
        queued += 1
    count("NotificationsRescued", queued)
    return Rescued(stalled=len(stalled), queued=queued)

"""Mail that belongs to a write goes out through the outbox: committed with the write, then
handed to the queue.

A use case makes a ``pending`` entry for its mail, commits ``part_of`` it with its change (all
or nothing), and then calls ``hand_over``. Should the queue fail, the entry stays and the
recovery schedule (``services/recovery.py``) queues the mail later: the write never happens
without its mail, and never answers 500 for a mail it will still send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.observability import logger

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.mail.messages import MailRequest
    from ticketing.services.ports import MailQueue, Outbox, Part, PendingMail


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What sending a write's mail needs: the outbox it is committed to, the queue after."""

    outbox: Outbox
    mail: MailQueue

    def pending(self, request: MailRequest, created_at: datetime, shard_by: str) -> PendingMail:
        return self.outbox.pending(request, created_at, shard_by)

    def part_of(self, pending: PendingMail) -> Part:
        return self.outbox.part_of(pending)

    def hand_over(self, pending: PendingMail) -> None:
        hand_over(self.outbox, self.mail, pending)


def hand_over(outbox: Outbox, mail: MailQueue, pending: PendingMail) -> None:
    """Queue the mail and clear its pending entry; on a queue failure the entry stays."""
    try:
        mail.enqueue(pending.request)
    except Exception:  # noqa: BLE001 - whatever failed, the pending entry keeps the mail
        logger.exception(
            "mail queue unavailable; the recovery schedule will send it",
            extra={"request_id": pending.request.request_id},
        )
        return
    try:
        outbox.remove(pending)
    except Exception:  # noqa: BLE001
        # harmless: the sweeper queues it again and the mailer drops the repeat
        logger.exception("pending mail entry not removed")

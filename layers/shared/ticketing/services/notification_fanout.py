"""The fan-out of an approved notification (issue 15 item 3): one mail per order address of the
event's orders, walked page by page through the booking list's index; or, for the audience
``exhibitor_registrants`` (issue 16 item 5), one per registrant of the exhibitor's codes who
agreed at registration to be contacted, walked through the exhibitor's redemptions index (the
others are left out, never recorded or counted).

Each page is committed at once (``NotificationStore.claim_page``): a record per recipient
(``NOTIFIED#<id>#<order>``), the counters, the bookmark and the page's mails as pending outbox
entries (``services/outbox.py``). The mails are handed to the queue only after that commit,
each with the request id its record names, so a retried worker or a redelivered message finds
the page claimed and queues nothing twice (and the mailer's sent-marker drops a repeated
request too); a process that dies between the commit and the queue leaves its mails in the
outbox, and the recovery schedule queues them. The walk stops before the Lambda's deadline and
asks to be queued again.

What one holder's mail says (``Holder``, ``holder_mail``, ``sender_of``) and the preview live in
``services/notification_mail.py``, which the API imports without this walk's policy and outbox.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ticketing.observability import logger
from ticketing.services import mail_policy
from ticketing.services.notification_mail import (
    Holder,
    holder_mail,
    holder_of,
    sample_holder,
    sender_of,
)
from ticketing.services.notifications import mail_address
from ticketing.services.outbox import hand_over
from ticketing.services.ports_notifications import (
    NotificationStore,
    OrderHeaders,
    Recipient,
    RegistrantPages,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from ticketing.clock import Clock
    from ticketing.domain.events import Event
    from ticketing.domain.notifications import Notification
    from ticketing.services.ports import (
        AccessStore,
        Cursor,
        EventStore,
        MailQueue,
        OrderPages,
        Outbox,
        PendingMail,
    )

# orders per page: one commit of a record and a pending mail per order, the counters and the
# bookmark, within DynamoDB's 100 operations; fewer when the mails are long (page_size)
PAGE = 49
COMMIT_BYTES = 3_500_000  # of DynamoDB's 4 MB a transaction, for the page's pending mails
Walked = Literal["sent", "paused", "closed", "taken over"]


@dataclass(frozen=True, slots=True)
class Fanning:
    notifications: NotificationStore
    events: EventStore
    access: AccessStore
    orders: OrderPages
    mail: MailQueue
    policy: mail_policy.MailPolicy
    clock: Clock
    outbox: Outbox
    base_url: str | None = None
    # the audience exhibitor_registrants: its registrations, and their orders' headers
    registrants: RegistrantPages | None = None
    headers: OrderHeaders | None = None


def walk(
    deps: Fanning, notification_id: str, seconds_left: Callable[[], float] | None = None
) -> Walked:
    """Mail the notification's recipients from its bookmark on, until done or the deadline."""
    left = seconds_left or (lambda: float("inf"))
    found = deps.notifications.get(notification_id)
    if found is None or found.state not in ("approved", "sending"):
        return "closed"
    event = deps.events.get(found.event_id)
    if event is None:
        return "closed"
    if found.state == "approved":
        sending = found.model_copy(update={"state": "sending", "updated_at": deps.clock.now()})
        if not deps.notifications.replace(sending, found.version):
            return "taken over"
        found = sending.model_copy(update={"version": found.version + 1})
    sender = sender_of(deps.access, found)
    size = page_size(found, event, sender)
    slowest = 0.0
    if found.pages and found.cursor is None:
        return _finish(deps, found)  # the last page was claimed by a run that ended there
    while True:
        if left() < 3 * slowest + 1:
            logger.warning(
                "notification fan-out paused before the deadline; queued again",
                extra={"notification_id": notification_id, "pages": found.pages},
            )
            return "paused"
        started = time.monotonic()
        cursor = json.loads(found.cursor) if found.cursor else None
        page, after = addressees(deps, found, size, cursor)
        moved = _page(deps, found, event, page, after, sender)
        if moved is None:
            return "taken over"
        found = moved
        slowest = max(slowest, time.monotonic() - started)
        if after is None:
            return _finish(deps, found)


def page_size(notification: Notification, event: Event, sender: dict[str, str]) -> int:
    """Orders per page: ``PAGE``, or fewer when the page's pending mails would pass
    ``COMMIT_BYTES`` (a 20,000-character body of quotes is 160 KB a mail, HTML-escaped)."""
    long_link = "https://" + "x" * 200  # a self-service link, longer than any real one
    sample = holder_mail(notification, event, sample_holder(event, long_link), sender)
    mail = len(sample.model_dump_json().encode()) + 1_000  # the entry's keys, a longer name
    return max(1, min(PAGE, COMMIT_BYTES // mail))


def addressees(
    deps: Fanning, found: Notification, size: int, cursor: Cursor | None
) -> tuple[list[Holder], Cursor | None]:
    """A page of the notification's audience with an address, and where the next starts."""
    if found.audience == "order_holders":
        orders, after = deps.orders.list_for_event(found.event_id, size, cursor)
        return [holder_of(o, deps.base_url) for o in orders if mail_address(o)], after
    if deps.registrants is None or deps.headers is None or found.exhibitor_id is None:
        raise RuntimeError(f"no registrants to walk for {found.notification_id}")
    page, after = deps.registrants.registrants(found.exhibitor_id, size, cursor)
    holders: list[Holder] = []
    for registration in page:
        if not registration.contact_consent:
            continue  # only who agreed at registration that the exhibitor may write
        order = deps.headers.get_header(registration.order_number)
        if order is not None and mail_address(order):
            holders.append(holder_of(order, deps.base_url))
    return holders, after


def _page(
    deps: Fanning,
    found: Notification,
    event: Event,
    page: list[Holder],
    after: Cursor | None,
    sender: dict[str, str],
) -> Notification | None:
    """Claim one page's recipients with their pending mails, then hand the mails to the queue
    (what the queue refuses stays pending for the recovery schedule); None if another run
    claimed the page."""
    now = deps.clock.now()
    recipients: list[Recipient] = []
    pending: list[PendingMail] = []
    for holder in page:
        address = holder.address
        decision = mail_policy.check(deps.policy, found.kind, address, found.organizer_id)
        if isinstance(decision, mail_policy.Send):
            recipients.append(Recipient(holder.order_number, "queued"))
            mail = holder_mail(found, event, holder, sender)
            pending.append(deps.outbox.pending(mail, now, holder.order_number))
        else:
            recipients.append(Recipient(holder.order_number, "suppressed"))
    cursor = json.dumps(after, default=str, sort_keys=True) if after is not None else None
    progressed = found.model_copy(update={"updated_at": now})
    also = [deps.outbox.part_of(p) for p in pending]
    if not deps.notifications.claim_page(progressed, recipients, cursor, also):
        logger.warning("notification page claimed elsewhere", extra={"id": found.notification_id})
        return None
    for entry in pending:
        hand_over(deps.outbox, deps.mail, entry)
    queued = len(pending)
    return progressed.model_copy(
        update={
            "pages": found.pages + 1,
            "cursor": cursor,
            "version": found.version + 1,
            "recipients": found.recipients + len(recipients),
            "sent": found.sent + queued,
            "suppressed": found.suppressed + len(recipients) - queued,
        }
    )


def _finish(deps: Fanning, found: Notification) -> Walked:
    now = deps.clock.now()
    done = found.model_copy(update={"state": "sent", "finished_at": now, "updated_at": now})
    if not deps.notifications.replace(done, found.version):
        return "taken over"
    logger.info(
        "notification sent",
        extra={"notification_id": found.notification_id, "recipients": found.recipients},
    )
    return "sent"

"""Reminders (seed 003: transactional, on by default, each sent once).

- Ticket holders, the day before their event (in the event's time zone), unless they
  switched reminders off on their order page.
- Exhibitors, seven days before their unredeemed vouchers end, with how many there are;
  never for a cancelled stand, and expired vouchers are not counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.mail.messages import MailRequest
from ticketing.observability import count
from ticketing.services.consent import consent_of_order, reminders_on
from ticketing.services.orders import every_order

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.orders import Order
    from ticketing.services.ports import (
        AccessStore,
        BatchStore,
        EventStore,
        MailQueue,
        OrderPages,
        ReminderLog,
        VisitorVoucherStore,
    )
    from ticketing.services.ports_mail import ConsentStore

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Reminding:
    events: EventStore
    orders: OrderPages
    vouchers: VisitorVoucherStore
    batches: BatchStore
    access: AccessStore
    log: ReminderLog
    mail: MailQueue
    clock: Clock
    # issue 15: reminder consent per organizer and address (None: the order's own switch)
    consents: ConsentStore | None = None


@dataclass
class Sent:
    holders: int = 0
    holders_without_consent: int = 0
    exhibitors: int = 0


def send_reminders(deps: Reminding) -> Sent:
    """Every reminder due now, each once."""
    now = deps.clock.now()
    sent = Sent()
    _remind_holders(deps, now, sent)
    _remind_exhibitors(deps, now, sent)
    count("RemindersSent", sent.holders + sent.exhibitors)
    return sent


def _remind_holders(deps: Reminding, now: datetime, sent: Sent) -> None:
    # events whose local "tomorrow" starts: look at the UTC days it can fall on
    days = {(now + timedelta(days=offset)).date().isoformat() for offset in (0, 1, 2)}
    for day in sorted(days):
        for event in deps.events.starting_on(day):
            zone = ZoneInfo(event.timezone)
            if (
                event.starts_at.astimezone(zone).date()
                != (now.astimezone(zone) + timedelta(days=1)).date()
            ):
                continue
            for order in every_order(deps.orders, event.event_id):
                if not order.reachable:  # erased (issue 17): nobody to remind
                    continue
                if not _willing(deps, order):
                    sent.holders_without_consent += 1
                    continue
                if deps.log.take(f"{order.order_number}#day-before", now):
                    deps.mail.enqueue(
                        MailRequest(
                            template="event_reminder",
                            organizer_id=order.organizer_id,
                            to=[order.mail_recipient],
                            language=order.language,
                            request_id=f"reminder-{order.order_number}",
                            order_number=order.order_number,
                        )
                    )
                    sent.holders += 1


def _willing(deps: Reminding, order: Order) -> bool:
    """The holder's reminder consent (seed 003): in the consent store, else on the order."""
    if deps.consents is None:
        return order.reminders
    return reminders_on(consent_of_order(deps.consents, order), order)


def _remind_exhibitors(deps: Reminding, now: datetime, sent: Sent) -> None:
    ending: Counter[tuple[str, str]] = Counter()
    for voucher in deps.vouchers.ending_between(now + WEEK, now + WEEK + timedelta(days=1)):
        ending[(voucher["exhibitor_id"], voucher["batch_id"])] += 1
    for (exhibitor_id, batch_id), how_many in sorted(ending.items()):
        exhibitor = deps.access.get_exhibitor(exhibitor_id)
        batch = deps.batches.get_batch(batch_id)
        if exhibitor is None or batch is None or exhibitor.cancelled_at is not None:
            continue
        fair = deps.events.get(batch.event_id)
        if fair is None or not deps.log.take(f"{batch_id}#7-days", now):
            continue
        organizer = deps.access.get_organizer(fair.organizer_id)
        until = batch.valid_until.astimezone(ZoneInfo(fair.timezone))
        deps.mail.enqueue(
            MailRequest(
                template="voucher_reminder",
                organizer_id=fair.organizer_id,
                to=[str(exhibitor.email)],
                language=fair.language,
                request_id=f"voucher-reminder-{batch_id}",
                context={
                    "exhibitor_name": exhibitor.name,
                    "event_name": fair.name,
                    "count": str(how_many),
                    "label": batch.label or batch.batch_id,
                    "valid_until": until.strftime("%d.%m.%Y %H:%M"),
                    "sender_name": organizer.name if organizer else "",
                    "reply_to": str(organizer.contact_email or organizer.email)
                    if organizer
                    else "",
                },
            )
        )
        sent.exhibitors += 1

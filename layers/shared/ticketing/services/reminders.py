"""Reminders (seed 003: transactional, on by default, each sent once).

- Ticket holders, the day before their event (in the event's time zone), unless they
  switched reminders off on their order page.
- Exhibitors, seven days before their unredeemed vouchers end, with how many there are;
  never for a cancelled stand, and expired vouchers are not counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from ticketing.clock import Clock
from ticketing.domain.events import Event
from ticketing.domain.vouchers import VoucherBatch
from ticketing.mail.messages import MailRequest
from ticketing.services.orders import every_order
from ticketing.services.ports import AccessStore, MailQueue, OrderPages

WEEK = timedelta(days=7)


class ReminderLog(Protocol):
    def take(self, what: str, at: datetime) -> bool: ...


class Events(Protocol):
    def get(self, event_id: str) -> Event | None: ...
    def starting_on(self, day: str) -> list[Event]: ...


class Vouchers(Protocol):
    def ending_between(self, start: datetime, end: datetime) -> Iterator[dict[str, str]]: ...
    def get_batch(self, batch_id: str) -> VoucherBatch | None: ...


@dataclass
class Sent:
    holders: int = 0
    holders_without_consent: int = 0
    exhibitors: int = 0


def send_reminders(
    events: Events,
    orders: OrderPages,
    vouchers: Vouchers,
    access: AccessStore,
    log: ReminderLog,
    mail: MailQueue,
    clock: Clock,
) -> Sent:
    now = clock.now()
    sent = Sent()
    # events whose local "tomorrow" starts: look at the UTC days it can fall on
    days = {(now + timedelta(days=offset)).date().isoformat() for offset in (0, 1, 2)}
    for day in sorted(days):
        for event in events.starting_on(day):
            zone = ZoneInfo(event.timezone)
            if (
                event.starts_at.astimezone(zone).date()
                != (now.astimezone(zone) + timedelta(days=1)).date()
            ):
                continue
            for order in every_order(orders, event.event_id):
                if not order.reminders:
                    sent.holders_without_consent += 1
                    continue
                if log.take(f"{order.order_number}#day-before", now):
                    mail.enqueue(
                        MailRequest(
                            template="event_reminder",
                            to=[order.mail_recipient],
                            language=order.language,
                            request_id=f"reminder-{order.order_number}",
                            order_number=order.order_number,
                        )
                    )
                    sent.holders += 1

    ending: Counter[tuple[str, str]] = Counter()
    for voucher in vouchers.ending_between(now + WEEK, now + WEEK + timedelta(days=1)):
        ending[(voucher["exhibitor_id"], voucher["batch_id"])] += 1
    for (exhibitor_id, batch_id), count in sorted(ending.items()):
        exhibitor = access.get_exhibitor(exhibitor_id)
        batch = vouchers.get_batch(batch_id)
        if exhibitor is None or batch is None or exhibitor.cancelled_at is not None:
            continue
        fair = events.get(batch.event_id)
        if fair is None or not log.take(f"{batch_id}#7-days", now):
            continue
        until = batch.valid_until.astimezone(ZoneInfo(fair.timezone))
        mail.enqueue(
            MailRequest(
                template="voucher_reminder",
                to=[str(exhibitor.email)],
                language=fair.language,
                request_id=f"voucher-reminder-{batch_id}",
                context={
                    "exhibitor_name": exhibitor.name,
                    "event_name": fair.name,
                    "count": str(count),
                    "label": batch.label or batch.batch_id,
                    "valid_until": until.strftime("%d.%m.%Y %H:%M"),
                },
            )
        )
        sent.exhibitors += 1
    return sent

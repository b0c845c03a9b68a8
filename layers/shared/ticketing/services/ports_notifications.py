"""Ports of the notifications to ticket holders (issue 15): the notifications, the record of
each recipient, and the queue of the fan-out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.domain.notifications import Notification, State
    from ticketing.domain.orders import Order
    from ticketing.domain.visitor_vouchers import Registration
    from ticketing.services.ports import Cursor, Part

Outcome = Literal["queued", "suppressed"]


@dataclass(frozen=True, slots=True)
class Recipient:
    """One order address of a page of the fan-out, and what became of it."""

    order_number: str
    outcome: Outcome


class NotificationStore(Protocol):
    def add(self, notification: Notification, also: Sequence[Part] = ()) -> None:
        """A new notification (its id must be free), together with ``also`` if given."""
        ...

    def get(self, notification_id: str) -> Notification | None: ...
    def in_state(self, state: State, limit: int = 200) -> list[Notification]:
        """Every tenant's notifications in ``state``, oldest first (the review queue)."""
        ...

    def of_event(self, event_id: str, limit: int = 200) -> list[Notification]:
        """An event's notifications, newest first."""
        ...

    def replace(self, notification: Notification, version: int) -> bool:
        """Write ``notification`` if the stored one still has ``version`` (False otherwise);
        the written one has ``version + 1``. Every change of state goes through here."""
        ...

    def claim_page(
        self,
        notification: Notification,
        recipients: Sequence[Recipient],
        cursor: str | None,
        also: Sequence[Part] = (),
    ) -> bool:
        """One page of the fan-out in one commit: a record per recipient (each written only if
        it is not there yet), the counters, the bookmark (``pages + 1``, ``cursor``), the
        notification's ``updated_at`` (its progress) and ``also`` (the page's pending mails).
        False when the page was committed already (another delivery is at work or was)."""
        ...

    def count_failed(self, notification_id: str, failed: int) -> None:
        """Mails claimed but not queued: counted as failed."""
        ...

    def was_claimed(self, notification_id: str, order_number: str) -> bool: ...


class NotificationQueue(Protocol):
    def enqueue_notification(self, notification_id: str) -> None:
        """Ask the fan-out worker to walk (on) the notification's recipients."""
        ...


class RegistrantPages(Protocol):
    """The registrations of one exhibitor's codes (its redemptions index), page by page: the
    audience ``exhibitor_registrants`` of a notification (issue 16 item 5)."""

    def registrants(
        self, exhibitor_id: str, limit: int, cursor: Cursor | None
    ) -> tuple[list[Registration], Cursor | None]:
        """A page of the exhibitor's registrations, oldest first, and where the next starts."""
        ...


class OrderHeaders(Protocol):
    def get_header(self, order_number: str) -> Order | None: ...

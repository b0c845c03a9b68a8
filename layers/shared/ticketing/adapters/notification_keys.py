"""The key functions of notifications to ticket holders (issue 15); their items are in the
table of ``adapters/keys.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.adapters.keys import GSI1PK, GSI1SK, GSI2PK, GSI2SK, Key, utc_key

if TYPE_CHECKING:
    from datetime import datetime


def notification(notification_id: str) -> Key:
    return {"PK": f"NOTIFICATION#{notification_id}", "SK": "NOTIFICATION"}


def in_state(state: str) -> str:
    """The review queue (every tenant's notifications in one state)."""
    return f"NOTIFICATIONS#{state}"


def event_notifications(event_id: str) -> str:
    return f"EVENT#{event_id}#NOTIFICATIONS"


def indexes(
    notification_id: str, event_id: str, state: str, created_at: datetime, updated_at: datetime
) -> dict[str, str]:
    return {
        GSI1PK: in_state(state),
        GSI1SK: f"{utc_key(updated_at)}#{notification_id}",
        GSI2PK: event_notifications(event_id),
        GSI2SK: f"{utc_key(created_at)}#{notification_id}",
    }


def notified(notification_id: str, order_number: str) -> Key:
    """One recipient of a notification's fan-out: put once, with its page."""
    return {"PK": f"NOTIFIED#{notification_id}#{order_number}", "SK": "NOTIFIED"}

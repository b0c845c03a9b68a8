"""The values the ports hand across (parts of a commit, records, refusals), apart from the
protocols in ``ports.py``: an adapter that only builds ``Part``s or raises ``WriteRefused`` loads
these few classes, not every protocol of the platform (cold start, bench/cold_start.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from ticketing.mail.messages import MailRequest


@dataclass(frozen=True, slots=True)
class Part:
    """One write of an all-or-nothing commit; ``write`` is the store's own operation."""

    label: str
    write: object


class WriteRefused(Exception):
    """Conditions of a commit did not hold; ``labels`` names the parts at fault, in order."""

    def __init__(self, labels: Sequence[str]) -> None:
        super().__init__(", ".join(labels))
        self.labels = list(labels)

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else ""


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    result: str  # what the first request made (an order number, an event id, a batch id)
    request_hash: str


@dataclass(frozen=True, slots=True)
class PendingMail:
    """A mail written with the change it belongs to, until it reached the queue."""

    entry: dict[str, object]
    request: MailRequest


class MailRefused(Exception):
    """The mail service will never take this mail (a malformed or refused address)."""


@dataclass(frozen=True, slots=True)
class MailFailure:
    """A mail that cannot be sent however often it is tried, parked with its reason."""

    request_id: str
    template: str
    reason: str
    at: datetime
    order_number: str | None = None


class CodesTaken(Exception):
    """Some codes of a write exist already (another batch drew them): draw those again."""

    def __init__(self, positions: list[int]) -> None:
        super().__init__(positions)
        self.positions = positions


class ProgressMoved(Exception):
    """Another worker wrote this part of the batch meanwhile."""


class AlreadyCheckedIn(Exception):
    def __init__(self, at: datetime) -> None:
        super().__init__(at.isoformat())
        self.at = at

"""The in-memory table every fake store shares, and its all-or-nothing commit.

A fake store hands out ``Part(label, FakeWrite(...))``: ``check`` is the write's condition and
``apply`` the write itself, both read against the shared dicts when the commit runs, not
when the part was made. ``FakeTransactions.commit`` checks every part first and applies them
only if all hold, as a DynamoDB transaction does, and names every failing part in order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ticketing.services.ports import Part, WriteRefused

if TYPE_CHECKING:
    from ticketing.domain.events import Event
    from ticketing.domain.identity import ApiKeyRecord
    from ticketing.domain.orders import Order, Position
    from ticketing.domain.visitor_vouchers import VisitorVoucher, VoucherBatch
    from ticketing.services.ports import IdempotencyRecord, MailFailure, PendingMail

MAX_PARTS = 100  # DynamoDB's limit of one transaction


def _holds() -> bool:
    return True


def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class FakeWrite:
    """One write of a fake commit. ``item`` names what it writes: like DynamoDB, a commit may
    touch each item once."""

    item: Hashable
    check: Callable[[], bool] = _holds
    apply: Callable[[], None] = _nothing


@dataclass
class FakeDatabase:
    """Everything the fake stores keep, by item, behind one lock."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    # called by every commit before it takes the lock: tests hold two commits at one moment
    before_commit: Callable[[], object] | None = None

    keys: dict[str, ApiKeyRecord] = field(default_factory=dict)
    parties: dict[str, Any] = field(default_factory=dict)  # by their own id
    events: dict[str, Event] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)  # headers, without positions
    positions: dict[tuple[str, int], list[Position]] = field(default_factory=dict)
    portal_mails: dict[str, list[datetime]] = field(default_factory=dict)
    invoice_sequences: dict[str, int] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], IdempotencyRecord] = field(default_factory=dict)
    outbox: dict[tuple[datetime, str], PendingMail] = field(default_factory=dict)
    sent_mail: dict[str, datetime] = field(default_factory=dict)
    mail_failures: dict[tuple[str, str], MailFailure] = field(default_factory=dict)
    reminders: dict[str, datetime] = field(default_factory=dict)
    batches: dict[str, VoucherBatch] = field(default_factory=dict)
    batch_codes: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    vouchers: dict[str, VisitorVoucher] = field(default_factory=dict)
    claims: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    namesakes: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # codes, in order
    figures: dict[str, dict[str, int]] = field(default_factory=dict)
    # the events' dashboard figures (tests/fakes/events.py): attributes of the event item, and
    # its check-in counters (``checked_in#<shard>``, items of their own in DynamoDB)
    event_figures: dict[str, dict[str, int]] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)  # failures counted per client
    attempt_log: dict[str, list[int]] = field(default_factory=dict)  # its latest failures
    refused_until: dict[str, int] = field(default_factory=dict)
    # gift campaigns, vouchers, ledgers and counters (tests/fakes/gift.py), by item
    gift: dict[Hashable, Any] = field(default_factory=dict)
    commits: int = 0  # commits that were applied, for tests that count writes

    def before_next_commit(self, action: Callable[[], object]) -> None:
        """Run ``action`` once, as the next commit begins (what a concurrent request did
        between the use case's reads and its write)."""

        def once() -> None:
            self.before_commit = None
            action()

        self.before_commit = once

    def count(self, exhibitor_id: str, figure: str, by: int) -> None:
        """An exhibitor's figure rises (an ``ADD`` on its counters item)."""
        counters = self.figures.setdefault(exhibitor_id, {})
        counters[figure] = counters.get(figure, 0) + by

    def count_event(self, event_id: str, figure: str, by: int) -> None:
        """An event's dashboard figure rises (an ``ADD`` on the event or a check-in counter)."""
        counters = self.event_figures.setdefault(event_id, {})
        counters[figure] = counters.get(figure, 0) + by

    def write(self, label: str, write: FakeWrite) -> None:
        """One conditional write on its own; ``WriteRefused([label])`` when it fails."""
        FakeTransactions(self).commit([Part(label, write)])


class FakeTransactions:
    """``Transactions`` in memory: every condition first, then every write, or none."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def commit(self, parts: Sequence[Part]) -> None:
        writes = [_fake(part) for part in parts]
        if not writes or len(writes) > MAX_PARTS:
            raise ValueError(f"a transaction holds 1 to {MAX_PARTS} operations")
        items = [w.item for w in writes]
        if len(set(items)) != len(items):
            raise ValueError("a transaction may not touch one item twice")  # as DynamoDB
        if self.db.before_commit is not None:
            self.db.before_commit()
        with self.db.lock:
            failed = [part.label for part, w in zip(parts, writes, strict=True) if not w.check()]
            if failed:
                raise WriteRefused(failed)
            for w in writes:
                w.apply()
            self.db.commits += 1


def _fake(part: Part) -> FakeWrite:
    if not isinstance(part.write, FakeWrite):
        raise TypeError(f"part {part.label!r} was not made by a fake store: {part.write!r}")
    return part.write


def page_of(
    partition: str,
    rows: Sequence[tuple[str, Any]],
    limit: int,
    cursor: dict[str, object] | None,
) -> tuple[list[Any], dict[str, object] | None]:
    """A page of ``rows`` (sort key, value; in the order they are listed) after ``cursor``,
    and the cursor to the next page (None at the end), like an index query."""
    from ticketing.domain.errors import InvalidRequest

    if cursor is not None and cursor.get("partition") != partition:
        raise InvalidRequest("cursor is not one this API handed out", field="cursor")
    start = 0
    if cursor is not None:
        after = cursor.get("after")
        start = next((i + 1 for i, (key, _) in enumerate(rows) if key == after), len(rows))
    chosen = rows[start : start + limit]
    more = start + limit < len(rows)
    last: dict[str, object] | None = None
    if more and chosen:
        last = {"partition": partition, "after": chosen[-1][0]}
    return [value for _, value in chosen], last

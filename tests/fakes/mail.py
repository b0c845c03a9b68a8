"""Mail in memory: the queue (with a switch to be down), pending mail, the mailer, its logs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tests.fakes.database import FakeDatabase, FakeWrite
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import Attachment, RenderedMail
from ticketing.services.ports import MailFailure, MailRefused, Part, PendingMail


class QueueDown(ConnectionError):
    """What a queue that cannot be reached raises (SQS: an endpoint or throttling error)."""


class FakeMailQueue:
    """The mail queue: ``requests`` in the order they came; ``down`` makes it refuse them."""

    def __init__(self) -> None:
        self.requests: list[MailRequest] = []
        self.down = False

    def enqueue(self, request: MailRequest) -> None:
        if self.down:
            raise QueueDown("the mail queue cannot be reached")
        self.requests.append(request)

    def templates(self) -> list[str]:
        return [r.template for r in self.requests]


class FakeOutbox:
    """Pending mail, committed with the change it belongs to, until it reached the queue."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def pending(self, request: MailRequest, created_at: datetime, shard_by: str) -> PendingMail:
        created = created_at.astimezone(UTC)
        return PendingMail({"created_at": created, "request_id": request.request_id}, request)

    @staticmethod
    def _key(pending: PendingMail) -> tuple[datetime, str]:
        created = pending.entry["created_at"]
        assert isinstance(created, datetime)
        return created, pending.request.request_id

    def part_of(self, pending: PendingMail) -> Part:
        key = self._key(pending)

        def put() -> None:
            self.db.outbox[key] = pending

        return Part("mail", FakeWrite(("outbox", *key), apply=put))

    def pending_mail(self, older_than: datetime, limit: int = 100) -> list[PendingMail]:
        with self.db.lock:
            due = sorted(k for k in self.db.outbox if k[0] < older_than)
            return [self.db.outbox[k] for k in due[:limit]]

    def remove(self, pending: PendingMail) -> None:
        with self.db.lock:
            self.db.outbox.pop(self._key(pending), None)

    @property
    def entries(self) -> list[MailRequest]:
        """Every mail still pending, oldest first."""
        return [self.db.outbox[k].request for k in sorted(self.db.outbox)]


@dataclass(frozen=True, slots=True)
class SentMail:
    to: list[str]
    mail: RenderedMail
    attachments: tuple[Attachment, ...]


class FakeMailer:
    """SES: ``sent`` keeps each mail; ``down`` makes sending fail (as throttling or an
    outage does), ``refused`` addresses are refused for good (as a malformed one is)."""

    def __init__(self) -> None:
        self.sent: list[SentMail] = []
        self.down = False
        self.refused: set[str] = set()

    def send(
        self, to: list[str], mail: RenderedMail, attachments: Sequence[Attachment] = ()
    ) -> str:
        if self.down:
            raise ConnectionError("the mail service cannot be reached")
        if self.refused & set(to):
            raise MailRefused(f"refused address among {to}")
        self.sent.append(SentMail(list(to), mail, tuple(attachments)))
        return f"message-{len(self.sent)}"


class FakeSentMailLog:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def was_sent(self, request_id: str) -> bool:
        return request_id in self.db.sent_mail

    def mark_sent(self, request_id: str, at: datetime, also: Sequence[Part] = ()) -> None:
        with self.db.lock:
            if request_id in self.db.sent_mail:  # a concurrent delivery marked it first
                return
            self.db.sent_mail[request_id] = at
            for part in also:  # the person index's records of the mail, in the same commit
                assert isinstance(part.write, FakeWrite)
                part.write.apply()


class FakeMailFailures:
    """Parked mail, by what it was about (its order, else its request) and request."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def park(self, failure: MailFailure) -> None:
        with self.db.lock:
            about = failure.order_number or failure.request_id
            self.db.mail_failures[(about, failure.request_id)] = failure

    def for_order(self, order_number: str) -> list[MailFailure]:
        found = [f for (about, _), f in self.db.mail_failures.items() if about == order_number]
        return sorted(found, key=lambda failure: failure.at)


class FakeReminderLog:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def take(self, what: str, at: datetime) -> bool:
        """Take a reminder once (a conditional put)."""
        with self.db.lock:
            if what in self.db.reminders:
                return False
            self.db.reminders[what] = at
            return True

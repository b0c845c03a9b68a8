"""The console's ports: people, their sign-in links and sessions, and the activity log.

Adapters: ``adapters/people_store.py`` and ``adapters/activity_log.py`` (DynamoDB); fakes:
``tests/fakes/people.py``. The contract scenarios in tests/integration/test_port_contracts.py
hold both to the same behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.domain.people import Session, SignInLink, User


class People(Protocol):
    def add_user(self, user: User) -> None:
        """Write a new user and claim its mailbox, both or neither; ``Conflict`` when the
        mailbox belongs to another user already (or the user id exists)."""

    def get_user(self, user_id: str) -> User | None: ...

    def find_by_email(self, mailbox: str) -> User | None:
        """The user who holds ``mailbox`` (``domain.emails.mailbox``), removed users not."""

    def list_staff(self, organizer_id: str) -> list[User]:
        """An organizer's staff, removed ones included (oldest first)."""

    def remove_user(self, user: User, at: datetime) -> bool:
        """Mark removed and free the mailbox, once; False if removed before."""


class SignInLinks(Protocol):
    def add_link(self, link: SignInLink) -> None: ...

    def get_link(self, token_hash: str) -> SignInLink | None: ...

    def use_link(self, token_hash: str, at: datetime) -> bool:
        """Mark the link used, once (conditional): False when it was used before."""


class Sessions(Protocol):
    def add_session(self, session: Session) -> None: ...

    def get_session(self, session_hash: str) -> Session | None: ...

    def touch(self, session: Session, at: datetime) -> None:
        """Move ``last_seen`` (and the item's TTL) to ``at``."""

    def end_session(self, session_hash: str) -> None: ...


Subject = Literal["ORDER", "EVENT"]


@dataclass(frozen=True, slots=True)
class Activity:
    """One state-changing action: who (a user's name and address, or a key id), when, what
    (a catalogue message id ``activity.*`` and its values)."""

    subject: Subject
    subject_id: str
    at: datetime
    who: str
    message_id: str
    params: dict[str, str] = field(default_factory=dict)
    user_id: str | None = None


class ActivityLog(Protocol):
    def record(self, activity: Activity) -> None: ...

    def of(self, subject: Subject, subject_id: str, limit: int = 100) -> list[Activity]:
        """The activities of an order or event, oldest first, at most ``limit``."""

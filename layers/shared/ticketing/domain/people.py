"""People who work in the console: users, their one-time sign-in links and their sessions.

Keys are for machines; people sign in (issue 13). A user is an organizer's staff member
(``admin`` or ``staff``), an exhibitor's contact, or one of the platform's reviewers. Signed
in, a user acts as the very :class:`Principal` an API key of the same party would be, so every
use case applies its one set of tenancy and role rules whichever door a request came in by.

Sign-in needs no password: a link with a random token goes to the user's address, valid 15
minutes, used once, and only in the browser that asked for it (a random value in a cookie of
that browser, whose hash is stored with the token). Secrets here have full entropy, so a
SHA-256 hash is enough to store them (as with API keys); none is stored in the clear.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from ticketing.domain.emails import MailAddress, mailbox
from ticketing.domain.fields import Name
from ticketing.domain.identity import Principal, Role, hash_secret
from ticketing.i18n.languages import Language

SIGN_IN_LINK_LIFETIME: Final = timedelta(minutes=15)
SESSION_IDLE: Final = timedelta(hours=12)  # no request for this long: signed out
SESSION_MAX_AGE: Final = timedelta(days=7)  # signed out after this, however busy
SESSION_TOUCH_EVERY: Final = timedelta(minutes=1)  # last_seen is written at most this often


class UserKind(StrEnum):
    ORGANIZER = "organizer"  # an organizer's staff member
    EXHIBITOR = "exhibitor"  # an exhibitor's contact
    REVIEWER = "reviewer"  # the platform's staff


class StaffRole(StrEnum):
    ADMIN = "admin"  # also manages the staff
    STAFF = "staff"


class User(BaseModel):
    """A person who signs in. ``organizer_id`` is the tenant of staff and contacts;
    ``exhibitor_id`` and ``event_id`` name a contact's exhibitor and its event; ``role``
    is a staff member's. A removed user is kept (the activity log names them) but can no
    longer sign in, and their sessions end at once."""

    model_config = ConfigDict(defer_build=True)

    user_id: str
    email: MailAddress
    name: Name
    kind: UserKind
    role: StaffRole | None = None
    organizer_id: str | None = None
    exhibitor_id: str | None = None
    event_id: str | None = None
    language: Language = "de"
    created_at: datetime
    removed_at: datetime | None = None

    @property
    def mailbox(self) -> str:
        """What makes the address unique among users (``mailbox`` of domain/emails)."""
        return mailbox(str(self.email))

    @property
    def is_admin(self) -> bool:
        return self.kind is UserKind.ORGANIZER and self.role is StaffRole.ADMIN


class StaffInvitation(BaseModel):
    """What an admin types to invite a colleague."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    email: MailAddress
    name: Name
    role: StaffRole = StaffRole.STAFF
    language: Language = "de"


def principal_of(user: User) -> Principal:
    """The principal a signed-in user acts as: the same an API key of their party carries
    (an exhibitor key: subject the exhibitor, scope its event), with ``user_id`` for the
    activity log and a ``key_id`` that names the session's user."""
    key_id = f"session:{user.user_id}"
    if user.kind is UserKind.ORGANIZER:
        assert user.organizer_id is not None
        return Principal(
            Role.ORGANIZER, user.organizer_id, user.organizer_id, key_id, None, user.user_id
        )
    if user.kind is UserKind.EXHIBITOR:
        assert user.exhibitor_id is not None
        assert user.organizer_id is not None
        return Principal(
            Role.EXHIBITOR,
            user.exhibitor_id,
            user.organizer_id,
            key_id,
            user.event_id,
            user.user_id,
        )
    return Principal(Role.REVIEWER, user.user_id, None, key_id, None, user.user_id)


def new_secret() -> str:
    """A secret for a link, a cookie or a form: 256 bits from ``secrets``."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """How a secret is stored and looked up: its SHA-256 (the secret has full entropy)."""
    return hash_secret(secret)


def same_secret(presented: str, expected: str) -> bool:
    """Constant-time comparison of two secrets (CSRF tokens, browser bindings)."""
    return hmac.compare_digest(presented.encode(), expected.encode())


class SignInLink(BaseModel):
    """A sign-in link as stored: the hash of its token, of the asking browser's cookie."""

    model_config = ConfigDict(defer_build=True)

    token_hash: str
    user_id: str
    browser_hash: str
    created_at: datetime
    valid_until: datetime  # (not "expires_at": that is the table's TTL attribute)
    used_at: datetime | None = None


class Session(BaseModel):
    """A signed-in browser, keyed by the hash of its cookie; ``csrf`` is the token every
    form of the session carries."""

    model_config = ConfigDict(defer_build=True)

    session_hash: str
    user_id: str
    csrf: str = Field(min_length=32)
    created_at: datetime
    last_seen: datetime

    def ends_at(self) -> datetime:
        """When it ends unless used again: 12 h after the last request, at most 7 days in."""
        return min(self.last_seen + SESSION_IDLE, self.created_at + SESSION_MAX_AGE)

    def alive(self, now: datetime) -> bool:
        return now < self.ends_at()

    def due_for_touch(self, now: datetime) -> bool:
        return now - self.last_seen >= SESSION_TOUCH_EVERY

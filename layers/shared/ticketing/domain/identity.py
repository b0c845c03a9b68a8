"""Who is calling: roles, the principal an API key stands for, and the key format.

An API key reads ``tk_<key id>_<secret>``. The key id is public (it names the key in logs and
revocation); the secret is 256 random bits, stored only as its SHA-256 hash. A slow password
hash is not needed: the secret has full entropy, so the hash cannot be brute-forced.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

KEY_PREFIX = "tk_"
_KEY_PATTERN = re.compile(r"^tk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


class Role(StrEnum):
    ORGANIZER = "organizer"
    EXHIBITOR = "exhibitor"
    TERMINAL = "terminal"
    ISSUER = "issuer"
    REVIEWER = "reviewer"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller, as the authorizer resolved it from the API key.

    ``organizer_id`` is the tenant every non-reviewer belongs to; ``subject_id`` is the
    organizer, exhibitor, terminal, issuer or reviewer itself; ``scope`` narrows it further
    (an exhibitor's event, a terminal's merchant).
    """

    role: Role
    subject_id: str
    organizer_id: str | None
    key_id: str
    scope: str | None = None
    # the console's signed-in person (domain/people.py), for the activity log; None for a key
    user_id: str | None = None

    def owns(self, organizer_id: str | None) -> bool:
        """Whether an object of tenant ``organizer_id`` is visible to this caller."""
        if self.role is Role.REVIEWER:
            return True
        return organizer_id is not None and organizer_id == self.organizer_id


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A freshly made key: ``token`` is shown to its owner once and never stored."""

    key_id: str
    token: str
    secret_hash: str


def issue_key() -> IssuedKey:
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return IssuedKey(key_id, f"{KEY_PREFIX}{key_id}_{secret}", hash_secret(secret))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_key(token: str) -> tuple[str, str] | None:
    """Split a presented key into (key id, secret); None when it cannot be one of ours."""
    match = _KEY_PATTERN.match(token.strip())
    if match is None:
        return None
    return match.group(1), match.group(2)


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class ApiKeyRecord(BaseModel):
    """A stored key: never the key itself, only the hash of its secret."""

    model_config = ConfigDict(defer_build=True)

    key_id: str
    secret_hash: str
    role: Role
    subject_id: str
    organizer_id: str | None = None
    scope: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None

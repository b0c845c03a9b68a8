"""Authentication: the principal a presented API key stands for.

Kept apart from the rest of access management so the authorizer, which runs before every
request, imports only what it needs.
"""

from __future__ import annotations

from typing import Protocol

from ticketing.domain.errors import Unauthenticated
from ticketing.domain.identity import ApiKeyRecord, Principal, parse_key, secret_matches


class KeyLookup(Protocol):
    def get_key(self, key_id: str) -> ApiKeyRecord | None: ...


def authenticate(store: KeyLookup, token: str) -> Principal:
    """The principal a presented key stands for. Every failure looks the same to the caller."""
    parsed = parse_key(token)
    if parsed is None:
        raise Unauthenticated("unknown API key")
    key_id, secret = parsed
    record = store.get_key(key_id)
    if record is None or record.revoked_at is not None:
        raise Unauthenticated("unknown API key")
    if not secret_matches(secret, record.secret_hash):
        raise Unauthenticated("unknown API key")
    return Principal(
        role=record.role,
        subject_id=record.subject_id,
        organizer_id=record.organizer_id,
        key_id=record.key_id,
        scope=record.scope,
    )

"""The key functions of a person's data (issue 17); the items are in ``adapters/keys.py``'s
table (kept apart so that ``keys.py`` stays within 400 lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ticketing.adapters.keys import Key


def person(organizer_id: str, digest: str) -> str:
    """A person's partition under one organizer: one entry per item holding their data."""
    return f"PERSON#{organizer_id}#{digest}"


def person_order(organizer_id: str, digest: str, order_number: str) -> Key:
    return {"PK": person(organizer_id, digest), "SK": f"ORDER#{order_number}"}


def person_entry(organizer_id: str, digest: str, kind: str, ref: str) -> Key:
    """An entry of the person: ``ORDER#<number>``, ``GIFT#<code>``, ``COMPLAINT#<id>``,
    ``INVITATION#<batch>/<code>``, ``MAIL#<request_id>``."""
    return {"PK": person(organizer_id, digest), "SK": f"{kind.upper()}#{ref}"}


def privacy_link(digest: str) -> Key:
    """A customer's "send me my data" or "forget me" link, under the sha256 of its secret."""
    return {"PK": f"PRIVACYLINK#{digest}", "SK": "LINK"}


def erasure(erasure_id: str) -> Key:
    return {"PK": f"ERASURE#{erasure_id}", "SK": "ERASURE"}


def erased(organizer_id: str, erased_hash: str) -> Key:
    return {"PK": f"ERASED#{organizer_id}#{erased_hash}", "SK": "ERASED"}


def backfill_segment(segment: int, segments: int) -> Key:
    """Where the person index's backfill keeps a scan segment's position (per segment count:
    a run with another count starts afresh, its positions meaning nothing to this one's)."""
    return {"PK": "BACKFILL#PERSONINDEX", "SK": f"SEGMENT#{segments}#{segment:04d}"}

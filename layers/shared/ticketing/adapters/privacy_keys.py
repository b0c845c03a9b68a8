"""The key functions of a person's data (issue 17); the items are in ``adapters/keys.py``'s
table (kept apart so that ``keys.py`` stays within 400 lines)."""

from __future__ import annotations

from ticketing.adapters.keys import Key


def person(organizer_id: str, digest: str) -> str:
    """A person's partition under one organizer: one entry per item holding their data."""
    return f"PERSON#{organizer_id}#{digest}"


def person_order(organizer_id: str, digest: str, order_number: str) -> Key:
    return {"PK": person(organizer_id, digest), "SK": f"ORDER#{order_number}"}


def erasure(erasure_id: str) -> Key:
    return {"PK": f"ERASURE#{erasure_id}", "SK": "ERASURE"}


def erased(organizer_id: str, erased_hash: str) -> Key:
    return {"PK": f"ERASED#{organizer_id}#{erased_hash}", "SK": "ERASED"}

"""Identifiers for stored objects: random, from ``secrets``, readable in logs and URLs."""

from __future__ import annotations

import secrets

# Crockford-style base32 without look-alikes (no i, l, o, u).
ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def random_token(length: int, alphabet: str = ID_ALPHABET) -> str:
    """``length`` characters drawn uniformly from ``alphabet`` by ``secrets``."""
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_id(prefix: str) -> str:
    """An id such as ``evt_3k9x...``: 16 characters, 80 random bits, so never guessed."""
    return f"{prefix}_{random_token(16)}"

"""Voucher codes people type: 65 random bits, no look-alikes, a check character.

- Alphabet: Crockford's base32 (``0-9 A-Z`` without ``I L O U``). On input, case and
  separators are ignored and the look-alikes are read as what was meant (``O`` -> ``0``,
  ``I``/``L`` -> ``1``).
- 13 random characters (65 bits from ``secrets``) and one check character (Luhn mod 32),
  which catches every single mistyped character and every swap of two neighbours but one
  (``0`` with ``Z``) before any lookup.
- Shown in groups of four: ``7KQ2-M9XD-4HTB-W2`` (the last group ends with the check).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_READ_AS = {"O": "0", "I": "1", "L": "1"}
RANDOM_CHARS = 13
CODE_CHARS = RANDOM_CHARS + 1
_SEPARATORS = " -_.\t"


def check_character(payload: str) -> str:
    """Luhn mod N over the alphabet (N = 32)."""
    n = len(ALPHABET)
    total = 0
    factor = 2
    for char in reversed(payload):
        addend = factor * _VALUE[char]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_code() -> str:
    """A fresh code in canonical form (no separators)."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return payload + check_character(payload)


def canonical(typed: str) -> str | None:
    """The code a person typed, in canonical form; None when it cannot be one of ours.

    A wrong check character is refused here, so a typo never costs a database lookup.
    """
    cleaned = "".join(c for c in typed.upper() if c not in _SEPARATORS)
    cleaned = "".join(_READ_AS.get(c, c) for c in cleaned)
    if len(cleaned) != CODE_CHARS or any(c not in _VALUE for c in cleaned):
        return None
    if check_character(cleaned[:-1]) != cleaned[-1]:
        return None
    return cleaned


def display(code: str) -> str:
    """``7KQ2M9XD4HTBW2`` -> ``7KQ2-M9XD-4HTB-W2``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

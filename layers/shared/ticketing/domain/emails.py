"""E-mail addresses as people: which spellings are one mailbox, and which are look-alikes."""

from __future__ import annotations

import contextlib
import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, EmailStr

MIXED_SCRIPTS = (
    "the address mixes scripts (e.g. Latin with Cyrillic, or fullwidth letters): "
    "please type it as your mail program shows it"
)
# scripts that are written together: Japanese mixes kanji and both kana
_WRITTEN_TOGETHER = {"CJK": "HAN", "HIRAGANA": "HAN", "KATAKANA": "HAN"}


def mailbox(email: str) -> str:
    """The mailbox an address reaches: ``Erika+fair@Example.org`` is ``erika@example.org``,
    and so are its fullwidth spelling and ``erika@EXAMPLE.org``; an international domain is
    compared in its ASCII form (IDNA: ``bücher.de`` is ``xn--bcher-kva.de``).

    One person, one voucher ticket per event; a self-service link only to the order's own
    address: both compare mailboxes, not spellings.
    """
    text = unicodedata.normalize("NFKC", email).strip().casefold()
    local, _, domain = text.rpartition("@")
    # a name IDNA cannot write is compared as typed (normalized)
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    return f"{local.split('+', 1)[0]}@{domain}"


def _script(char: str) -> str | None:
    """The script a character is written in; None for digits, dots and other neutral ones.
    Fullwidth and halfwidth forms count as a script of their own: they are look-alikes."""
    name = unicodedata.name(char, "")
    if name.startswith(("FULLWIDTH", "HALFWIDTH")):
        return "FULLWIDTH"
    if not unicodedata.category(char).startswith("L") or not name:
        return None
    first = name.split()[0]
    return _WRITTEN_TOGETHER.get(first, first)


def mixes_scripts(email: str) -> bool:
    """Whether the local part, or one label of the domain, is written in more than one script
    (``erik\u0430@example.org`` with a Cyrillic a, ``erika@\uff45xample.org`` fullwidth)."""
    local, _, domain = email.strip().rpartition("@")
    for part in (local, *domain.split(".")):
        scripts = {s for s in map(_script, part) if s is not None}
        if len(scripts) > 1:
            return True
    return False


def _one_script(value: Any) -> Any:
    if isinstance(value, str) and mixes_scripts(value):
        raise ValueError(MIXED_SCRIPTS)
    return value


# An address a person types: valid, and in one script per part (mixed ones are look-alikes).
MailAddress = Annotated[EmailStr, BeforeValidator(_one_script)]

"""The message catalogue: every text a person reads on a page, in a mail, a PDF or an Excel
file, in German, English and Chinese.

The texts live in gettext catalogues, ``locales/{de,en,zh}/LC_MESSAGES/messages.po``, one
message per id (``redeem.title``, ``pdf.holder``, ``mail.order_confirmation.subject``); the id
says where a text is used. Placeholders are written ``{name}`` and filled in by
:func:`translate`, or left for a page's script to fill in (:func:`messages`).

The ``.po`` files are read as they are, with Babel, the first time a language is needed, and
kept for the life of the process: there is no compile step whose output could fall behind the
source, and a function that never shows a text never reads one. Reading one catalogue costs a
few milliseconds, once per language per Lambda container.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ticketing.i18n.languages import LANGUAGES, Language

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from markupsafe import Markup

LOCALE_DIR: Final = Path(__file__).parent / "locales"

# A text missing in one language is shown in English rather than failing the page or the mail;
# tests/unit/test_messages.py keeps every catalogue complete, so this is for the unforeseen.
_FALLBACK: Final[Language] = "en"


def translate(language: Language, message_id: str, /, **values: object) -> str:
    """The text of ``message_id`` in ``language``, its ``{placeholders}`` filled from
    ``values``. Without values the text comes as written, placeholders and all.

    Raises KeyError for an id that no catalogue has: a typo fails the first test that renders it.
    """
    text = catalogue(language).get(message_id)
    if text is None:
        text = catalogue(_FALLBACK)[message_id]
    return text.format(**values) if values else text


def messages(language: Language, prefix: str) -> dict[str, str]:
    """Every text whose id starts with ``prefix.``, keyed by the rest of its id, as written
    (placeholders unfilled): what a page hands to its script."""
    start = prefix + "."
    return {
        message_id.removeprefix(start): text
        for message_id, text in catalogue(language).items()
        if message_id.startswith(start)
    }


def translator(language: Language) -> Callable[..., str]:
    """:func:`translate` bound to ``language``: a template's ``t(message_id, **values)``."""

    def t(message_id: str, /, **values: object) -> str:
        return translate(language, message_id, **values)

    return t


def html_translator(language: Language) -> Callable[..., Markup]:
    """``t(message_id, **values)`` for HTML templates: the text escaped, and each value escaped
    too unless it is markup already (a template's ``{% set %}`` block, say a link)."""
    from markupsafe import escape

    def t(message_id: str, /, **values: object) -> Markup:
        text = escape(translate(language, message_id))
        return text.format(**values) if values else text

    return t


@cache
def catalogue(language: Language) -> Mapping[str, str]:
    """All messages of ``language``: id -> text, read once."""
    if language not in LANGUAGES:
        raise ValueError(f"no catalogue for language {language!r}")
    from babel.messages.pofile import read_po  # only code that shows a text pays for Babel

    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        read = read_po(file, locale=language, ignore_obsolete=True)
    return {
        message.id: message.string
        for message in read
        if isinstance(message.id, str) and message.id and isinstance(message.string, str)
        if message.string
    }

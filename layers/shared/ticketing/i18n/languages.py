"""The languages the platform speaks, and which of them a request asks for.

This module imports nothing but the standard library: the domain names its events' and
orders' language with :data:`Language`, and every handler may pick one from a request.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Language = Literal["de", "en", "zh"]

#: Every language of the message catalogue; ``zh`` is Simplified Chinese.
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)

#: What a page speaks when the browser accepts none of ours (the seeds' users are German).
DEFAULT_LANGUAGE: Final[Language] = "de"

#: The Babel locale whose conventions format dates, money and numbers in each language.
LOCALES: Final[dict[Language, str]] = {"de": "de_DE", "en": "en_GB", "zh": "zh_Hans_CN"}

#: The value of an HTML ``lang`` attribute (a browser picks Simplified Chinese glyphs by it).
HTML_LANG: Final[dict[Language, str]] = {"de": "de", "en": "en", "zh": "zh-Hans"}

# Accept-Language headers are client input: a few dozen entries are plenty.
_MAX_ACCEPTED = 50


def known_language(tag: str | None) -> Language | None:
    """``tag``'s language when we speak it: ``de-AT`` -> ``de``, ``zh-Hant-TW`` -> ``zh``
    (Simplified is the Chinese we have), ``fr`` -> None."""
    primary = (tag or "").strip().split("-")[0].split("_")[0].lower()
    for language in LANGUAGES:
        if primary == language:
            return language
    return None


def negotiate(
    accept_language: str | None, override: str | None, default: Language = DEFAULT_LANGUAGE
) -> Language:
    """The language of an answer: ``override`` (``?lang=``) wins, else the best of ours that
    ``accept_language`` (the Accept-Language header) accepts, else ``default``.

    q-values are honoured and ``q=0`` refuses a language; on a tie the one listed first wins.
    An unknown override or an unreadable header falls back as if they were absent.
    """
    chosen = known_language(override)
    if chosen is not None:
        return chosen
    best: Language | None = None
    best_q = 0.0
    for item in (accept_language or "").split(",")[:_MAX_ACCEPTED]:
        tag, _, parameters = item.partition(";")
        language = known_language(tag)
        if language is None:
            continue
        q = _quality(parameters)
        if q > best_q:
            best, best_q = language, q
    return best or default


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0

"""What the public pages share: one jinja2 environment for ``templates/``, and the frame of
``templates/_page.html`` every page extends (its language, its texts, the switches to the other
languages).

A page's texts come from the message catalogue: its template asks for them by id,
``{{ t("redeem.title") }}``, and ``t`` escapes every value it fills into a text. The frame's
title is ``{page_name}.title``, ``page_name`` being the template's name (``redeem`` for
``redeem.html``).

jinja2 is imported when the first page is rendered, never when a pages module is imported: only
the page handlers render, and the other functions that import these modules skip the import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

from ticketing.i18n import HTML_LANG, LANGUAGES, Language, html_translator, messages, translate

if TYPE_CHECKING:
    from collections.abc import Mapping

    import jinja2

__all__ = ["Language", "LanguageSwitch", "render", "render_page", "script_texts"]

TEMPLATES: Final = Path(__file__).parent / "templates"

# What the script of every page with a form says, whatever the form; a page's own script texts
# (``{page}_script.*``) come after these and may say something more specific.
_FORM_SCRIPT: Final = "form_script"


@dataclass(frozen=True, slots=True)
class LanguageSwitch:
    """A link at the top of a page to the same page in another language, named in that one."""

    href: str
    lang: str  # the HTML lang of the language it leads to
    label: str  # "English"
    title: str  # "This page in English"


def render(template_name: str, **context: Any) -> str:
    """``template_name`` of ``templates/``, every value autoescaped, no undefined name allowed."""
    return environment().get_template(template_name).render(**context)


def render_page(
    template_name: str,
    language: Language,
    *,
    switch_keeps: Mapping[str, str] | None = None,
    **context: Any,
) -> str:
    """A page on ``_page.html`` in ``language``, with ``t`` for its texts in that language.

    Its language switches link to ``?lang=`` each other language, plus ``switch_keeps`` (what the
    visitor brought in the query, such as a voucher code): the path, and with it any secret in
    it, stays as it is.
    """
    return render(
        template_name,
        language=language,
        html_lang=HTML_LANG[language],
        page_name=template_name.removesuffix(".html"),
        t=html_translator(language),
        switches=_switches(language, switch_keeps or {}),
        **context,
    )


def script_texts(language: Language, page: str) -> dict[str, str]:
    """What the script of ``page``'s form says, as written in the catalogue (the script fills
    in the ``{placeholders}``)."""
    return {**messages(language, _FORM_SCRIPT), **messages(language, f"{page}_script")}


def _switches(language: Language, keeps: Mapping[str, str]) -> list[LanguageSwitch]:
    return [
        LanguageSwitch(
            href="?" + urlencode({"lang": other, **keeps}),
            lang=HTML_LANG[other],
            label=translate(other, "language.name"),
            title=translate(other, "language.this_page"),
        )
        for other in LANGUAGES
        if other != language
    ]


@cache
def environment() -> jinja2.Environment:
    """The pages' one environment, made on first use."""
    import jinja2  # only the page handlers render; other functions skip the import

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

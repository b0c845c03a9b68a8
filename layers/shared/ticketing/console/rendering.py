"""The console's pages as HTML: one jinja2 environment for ``console/templates``, the frame
every page extends (``_frame.html``), its style sheet and the headers pages go out with.

The style sheet (``console.css``) is inlined into every page and allowed by its hash in the
Content-Security-Policy; scripts are only the console's own files (``script-src 'self'``,
served by ``console/static.py``; no inline script, no eval) and may fetch from the console
only (``connect-src 'self'``); nothing is loaded from anywhere else. Pages work without
JavaScript.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

from ticketing.i18n import HTML_LANG, LANGUAGES, Language, html_translator, translate

if TYPE_CHECKING:
    from collections.abc import Mapping

    import jinja2

TEMPLATES: Final = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class LanguageSwitch:
    href: str
    lang: str
    label: str
    title: str
    current: bool


@dataclass(frozen=True, slots=True)
class NavEntry:
    href: str
    label: str
    current: bool


@cache
def style_sheet() -> str:
    return (TEMPLATES / "console.css").read_text(encoding="utf-8")


@cache
def content_security_policy() -> str:
    digest = hashlib.sha256(style_sheet().encode()).digest()
    style = f"'sha256-{base64.b64encode(digest).decode()}'"
    return (
        f"default-src 'none'; style-src {style}; script-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


def response_headers(language: Language) -> dict[str, str]:
    """Headers of every console answer: never cached (pages show a tenant's data), never
    framed, no Referer (a sign-in link's token is in its URL)."""
    return {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": content_security_policy(),
        "Cache-Control": "no-store, private",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "X-Robots-Tag": "noindex",
        "Content-Language": language,
    }


def switches(language: Language, keeps: Mapping[str, str] | None = None) -> list[LanguageSwitch]:
    """Links to the same page in each language (``?lang=``; the console remembers it)."""
    return [
        LanguageSwitch(
            href="?" + urlencode({**(keeps or {}), "lang": other}),
            lang=HTML_LANG[other],
            label=translate(other, "language.name"),
            title=translate(other, "language.this_page"),
            current=other == language,
        )
        for other in LANGUAGES
    ]


def render(
    template_name: str,
    language: Language,
    *,
    nav: list[NavEntry] | None = None,
    user_name: str | None = None,
    csrf: str | None = None,
    notice: str | None = None,
    keeps: Mapping[str, str] | None = None,
    **context: Any,
) -> str:
    """``template_name`` (extending ``_frame.html``) in ``language``: ``t`` for its texts,
    the navigation, the signed-in user's name, the sign-out form's ``csrf`` and the flash
    ``notice`` of the action just done. Every value is autoescaped."""
    from markupsafe import Markup

    return (
        environment()
        .get_template(template_name)
        .render(
            language=language,
            html_lang=HTML_LANG[language],
            page_name=template_name.removesuffix(".html"),
            t=html_translator(language),
            style=Markup(style_sheet()),  # noqa: S704 - our own file, hashed in the CSP
            switches=switches(language, keeps),
            nav=nav or [],
            user_name=user_name,
            csrf=csrf,
            notice=notice,
            **context,
        )
    )


@cache
def environment() -> jinja2.Environment:
    import jinja2  # only the console renders; importing this module does not need it

    from ticketing.console.static import static_url

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static_url"] = static_url  # <script src="{{ static_url("x.js") }}" defer>
    return env

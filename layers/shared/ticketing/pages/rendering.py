"""What the public pages share: one jinja2 environment for ``templates/``, and the frame of
``templates/_page.html`` every page extends (its language, its texts, the switch to the other
language).

jinja2 is imported when the first page is rendered, never when a pages module is imported: only
the page handlers render, and the other functions that import these modules skip the import.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import urlencode

if TYPE_CHECKING:
    import jinja2

Language = Literal["de", "en"]

TEMPLATES: Final = Path(__file__).parent / "templates"

# The link at the top of every page, to the same page in the other language.
SWITCH_TEXTS: Final[Mapping[Language, Mapping[str, str]]] = {
    "de": {"label": "English", "title": "This page in English"},
    "en": {"label": "Deutsch", "title": "Diese Seite auf Deutsch"},
}

# What the script of every page with a form says, whatever the form; each page's SCRIPT_TEXTS
# starts with these. {placeholders} are filled in by the script.
FORM_SCRIPT_TEXTS: Final[Mapping[Language, Mapping[str, str]]] = {
    "de": {
        "sending": "Wird gesendet …",
        "required": "Bitte füllen Sie dieses Feld aus.",
        "check_fields": "Bitte prüfen Sie die markierten Felder.",
        "wait_minute": "1 Minute",
        "wait_minutes": "{n} Minuten",
        "too_large": "Ihre Angaben sind zu lang. Bitte kürzen Sie sie.",
        "offline": (
            "Keine Verbindung zum Server. Bitte prüfen Sie Ihre Internetverbindung und "
            "versuchen Sie es erneut."
        ),
        "failed": "Das hat leider nicht geklappt. Bitte versuchen Sie es später erneut.",
    },
    "en": {
        "sending": "Sending …",
        "required": "Please fill in this field.",
        "check_fields": "Please check the marked fields.",
        "wait_minute": "1 minute",
        "wait_minutes": "{n} minutes",
        "too_large": "What you entered is too long. Please shorten it.",
        "offline": (
            "No connection to the server. Please check your internet connection and try again."
        ),
        "failed": "Sorry, that did not work. Please try again later.",
    },
}


def render(template_name: str, **context: Any) -> str:
    """``template_name`` of ``templates/``, every value autoescaped, no undefined name allowed."""
    return environment().get_template(template_name).render(**context)


def render_page(
    template_name: str,
    language: Language,
    texts: Mapping[Language, Mapping[str, str]],
    *,
    switch_keeps: Mapping[str, str] | None = None,
    **context: Any,
) -> str:
    """A page on ``_page.html`` in ``language``, with ``t``, its texts in that language.

    Its language switch links to ``?lang=`` the other language, plus ``switch_keeps`` (what the
    visitor brought in the query, such as a voucher code): the path, and with it any secret in
    it, stays as it is.
    """
    other: Language = "en" if language == "de" else "de"
    return render(
        template_name,
        language=language,
        other_language=other,
        t=texts[language],
        switch=SWITCH_TEXTS[language],
        switch_href="?" + urlencode({"lang": other, **(switch_keeps or {})}),
        **context,
    )


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

"""Render mail from jinja2 templates: autoescaped HTML and plain text, in the request's language.

Each mail has one template per medium (``order_confirmation.html`` and ``.txt``) and takes every
text from the message catalogue (``mail.*``); its subject is ``mail.{template}.subject``, filled
from the mail's values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ticketing.i18n import (
    HTML_LANG,
    Language,
    format_datetime,
    html_translator,
    translate,
    translator,
)
from ticketing.mail.messages import MailRequest

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).parent / "templates"

# How times came in mail requests before they carried ISO-8601: requests of that form may still
# wait on the queue (or in its dead-letter queue) after a deployment.
_LEGACY_TIME = "%d.%m.%Y %H:%M"


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@cache
def _environment() -> jinja2.Environment:
    import jinja2  # only the mailer renders; other functions skip the import

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(request: MailRequest, context: Mapping[str, Any] | None = None) -> RenderedMail:
    """Render ``request``'s template; ``context`` replaces the request's own when given."""
    env = _environment()
    language = request.language
    values = dict(request.context if context is None else context)
    subject = translate(language, f"mail.{request.template}.subject", **values).strip()
    shared = {
        **values,
        "subject": subject,
        "html_lang": HTML_LANG[language],
        "when": _when(language),
    }
    text = env.get_template(f"{request.template}.txt").render(t=translator(language), **shared)
    html = env.get_template(f"{request.template}.html").render(
        t=html_translator(language), **shared
    )
    return RenderedMail(subject=subject, text=text, html=html)


def _when(language: Language) -> Callable[[str], str]:
    """A time from the mail's values (ISO-8601 with its offset, already in the event's zone)
    as the language writes it; a value it cannot read is shown as it came."""

    def when(value: str) -> str:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            try:
                moment = datetime.strptime(value, _LEGACY_TIME)
            except ValueError:
                return value
        return format_datetime(moment, None, language)

    return when

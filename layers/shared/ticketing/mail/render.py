"""Render mail from jinja2 templates: autoescaped HTML and plain text, in the request's language.

Each mail has one template per medium (``order_confirmation.html`` and ``.txt``) and takes every
text from the message catalogue (``mail.*``); its subject is ``mail.{template}.subject``, filled
from the mail's values.

Values may name the sender (``sender_name``, ``reply_to``: the organizer speaking) and carry
``organizer`` (its name, address and contact): then every medium ends with its signature and
imprint (``_signature.txt``/``.html``).
"""

from __future__ import annotations

import re
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

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import jinja2

    from ticketing.mail.messages import MailRequest

TEMPLATES = Path(__file__).parent / "templates"

# How times came in mail requests before they carried ISO-8601: requests of that form may still
# wait on the queue (or in its dead-letter queue) after a deployment.
_LEGACY_TIME = "%d.%m.%Y %H:%M"


# Whatever ``str.splitlines`` breaks at (CR, LF, U+0085, U+2028 ...) and other control
# characters: none of them belongs in a header, which is one line.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class RenderFailed(Exception):
    """The mail cannot be made from its request (a template or a value is wrong): trying
    again gives the same result, so the mailer parks it instead of retrying."""


def one_line(value: str) -> str:
    """``value`` as one line for a header: breaks and control characters become a space."""
    return " ".join(_NOT_IN_A_LINE.sub(" ", value).split())


@dataclass(frozen=True, slots=True)
class RenderedMail:
    """A mail as made; ``sender_name`` is shown with the platform's address (empty: the
    address alone) and ``reply_to`` is where answers go (empty: to the sender)."""

    subject: str
    text: str
    html: str
    sender_name: str = ""
    reply_to: str = ""
    # extra headers, e.g. a marketing mail's List-Unsubscribe (RFC 8058)
    headers: tuple[tuple[str, str], ...] = ()


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
    """Render ``request``'s template; ``context`` replaces the request's own when given.

    The subject is one line whatever the values hold. Raises ``RenderFailed`` when a template
    or a value does not fit (a missing value, a text id no catalogue has).
    """
    try:
        return _render(request, context)
    except Exception as failed:
        raise RenderFailed(f"{type(failed).__name__}: {failed}") from failed


def _render(request: MailRequest, context: Mapping[str, Any] | None) -> RenderedMail:
    env = _environment()
    language = request.language
    values = dict(request.context if context is None else context)
    # a composer may choose a variant of the request's template (a voucher registration)
    template = str(values.get("variant") or request.template)
    subject = one_line(translate(language, f"mail.{template}.subject", **values))
    shared = {
        **values,
        "subject": subject,
        "html_lang": HTML_LANG[language],
        "when": _when(language),
    }
    text = env.get_template(f"{template}.txt").render(t=translator(language), **shared)
    if values.get("organizer"):
        signature = env.get_template("_signature.txt").render(t=translator(language), **shared)
        text = f"{text.rstrip()}\n\n{signature}"
    if values.get("unsubscribe_url"):  # a marketing mail (issue 15): how to stop them
        stop = translate(language, "mail.unsubscribe.text", url=values["unsubscribe_url"])
        text = f"{text.rstrip()}\n\n{stop}\n"
    html = env.get_template(f"{template}.html").render(t=html_translator(language), **shared)
    return RenderedMail(
        subject=subject,
        text=text,
        html=html,
        sender_name=one_line(str(values.get("sender_name") or "")),
        reply_to=one_line(str(values.get("reply_to") or "")),
    )


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

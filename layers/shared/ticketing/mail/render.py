"""Render mail from jinja2 templates: autoescaped HTML and plain text, German and English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ticketing.mail.messages import MailRequest

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).parent / "templates"


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
    values = request.context if context is None else context
    base = f"{request.template}.{request.language}"
    subject = env.get_template(f"{base}.subject.txt").render(values).strip()
    text = env.get_template(f"{base}.txt").render(values)
    html = env.get_template(f"{base}.html").render(values)
    return RenderedMail(subject=subject, text=text, html=html)

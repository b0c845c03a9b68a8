"""Render mail from jinja2 templates: autoescaped HTML and plain text, German and English."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ticketing.mail.messages import MailRequest

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


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


def render(request: MailRequest) -> RenderedMail:
    env = _environment()
    base = f"{request.template}.{request.language}"
    subject = env.get_template(f"{base}.subject.txt").render(request.context).strip()
    text = env.get_template(f"{base}.txt").render(request.context)
    html = env.get_template(f"{base}.html").render(request.context)
    return RenderedMail(subject=subject, text=text, html=html)

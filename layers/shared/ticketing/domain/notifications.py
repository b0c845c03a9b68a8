"""Messages an organizer sends to the holders of an event's orders (seeds 001, 003; issue 15).

A notification is written as a draft, submitted, reviewed by the platform (approved, rejected
or asked back) and only then sent, one mail per order address. Its body is Markdown: rendered
by markdown-it-py (CommonMark) with raw HTML off and images off, links only to ``http(s)`` and
``mailto`` (anything else stays text), so no script, raw HTML or remote image reaches the mail.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from ticketing.domain.fields import ONE_LINE, Input

if TYPE_CHECKING:
    from collections.abc import Iterable

    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_SUBJECT = 200
MAX_BODY = 20_000
MAX_REASON = 2_000

Kind = Literal["information", "marketing"]
# whom the fan-out walks: the event's order holders, or the registrants of one exhibitor's
# codes who agreed at registration that it may write to them (issue 16 item 5)
Audience = Literal["order_holders", "exhibitor_registrants"]
State = Literal["draft", "submitted", "question", "rejected", "approved", "sending", "sent"]
# the organizer may change the text while it is its own (a draft, or asked back)
EDITABLE: frozenset[str] = frozenset({"draft", "question"})
SUBMITTABLE: frozenset[str] = frozenset({"draft", "question"})

Subject = Annotated[str, Field(min_length=1, max_length=MAX_SUBJECT), ONE_LINE]
Body = Annotated[str, Field(min_length=1, max_length=MAX_BODY)]
Reason = Annotated[str, Field(min_length=1, max_length=MAX_REASON)]


class NotificationDraft(Input):
    """``POST /events/{event_id}/notifications``."""

    subject: Subject
    body: Body = Field(description="Markdown (no HTML, no images); at most 20,000 characters")
    kind: Kind = Field(
        default="information",
        description="information (transactional: links only to the platform and the event's "
        "website) or marketing (only to holders who consented)",
    )


class NotificationChange(Input):
    """``PATCH /notifications/{id}``: only the fields sent change."""

    subject: Subject | None = None
    body: Body | None = None
    kind: Kind | None = None


class Rejection(Input):
    """``POST /notifications/{id}/reject {reason}``."""

    reason: Reason


class ReviewQuestion(Input):
    """``POST /notifications/{id}/question {text}``."""

    text: Reason


class Notification(BaseModel):
    model_config = ConfigDict(defer_build=True)

    notification_id: str
    organizer_id: str
    event_id: str
    kind: Kind
    subject: str
    body: str
    audience: Audience = "order_holders"
    exhibitor_id: str | None = Field(
        default=None, description="The exhibitor whose registrants it goes to (its author)"
    )
    state: State = "draft"
    reason: str | None = Field(default=None, description="Why it was rejected")
    question: str | None = Field(default=None, description="What the reviewer asks")
    recipients: int = Field(default=0, description="Order addresses (registrants) walked so far")
    sent: int = Field(default=0, description="Mails handed to the mailer")
    suppressed: int = Field(default=0, description="Addresses not mailed (suppressed, no consent)")
    failed: int = Field(default=0, description="Mails that could not be queued")
    created_at: datetime
    created_by: str
    updated_at: datetime
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    finished_at: datetime | None = None
    version: int = 0
    # the fan-out's bookmark: pages of the booking list walked, and where the next starts
    pages: int = 0
    cursor: str | None = None


# ------------------------------------------------------------------------------ Markdown


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "mailto:"))


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).disable("image")
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def to_html(body: str) -> str:
    """The body as safe HTML: raw HTML escaped, no images, links only http(s)/mailto."""
    return str(_markdown().render(body))


def to_text(body: str) -> str:
    """The body as plain text: the words, a link's address after its text, lists as dashes."""
    out: list[str] = []
    numbered: list[int | None] = []
    for token in _markdown().parse(body):
        _text_of(token, out, numbered)
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip() + "\n"


def _text_of(token: Token, out: list[str], numbered: list[int | None]) -> None:
    kind = token.type
    if kind == "inline":
        out.append(_inline_text(token.children or []))
    elif kind in ("paragraph_close", "heading_close", "blockquote_close"):
        out.append("\n" if token.hidden else "\n\n")
    elif kind in ("bullet_list_open", "ordered_list_open"):
        numbered.append(int(token.attrs.get("start", 1) or 1) if kind[0] == "o" else None)
    elif kind in ("bullet_list_close", "ordered_list_close"):
        numbered.pop()
        out.append("\n")
    elif kind == "list_item_open":
        number = numbered[-1] if numbered else None
        out.append("  " * (len(numbered) - 1) + ("- " if number is None else f"{number}. "))
        if number is not None:
            numbered[-1] = number + 1
    elif kind in ("fence", "code_block"):
        out.append(token.content + "\n")
    elif kind == "hr":
        out.append("---\n\n")


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    href: str | None = None
    start = 0
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "link_open":
            href, start = str(child.attrs.get("href", "")), len(parts)
        elif child.type == "link_close" and href is not None:
            shown = "".join(parts[start:])
            if href.removeprefix("mailto:") != shown:
                parts.append(f" ({href})")
            href = None
    return "".join(parts)


# ------------------------------------------------------------------------------ links

_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+", re.IGNORECASE)


def links_in(body: str) -> list[str]:
    """Every web address the body links to or names (a mail client links bare ones too)."""
    found: list[str] = []
    for token in _markdown().parse(body):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrs.get("href", "")))
    found.extend(match.rstrip(".,;:!?") for match in _BARE_URL.findall(body))
    seen: list[str] = []
    for link in found:
        if link not in seen:
            seen.append(link)
    return seen


def _host(url: str) -> str:
    raw = url if "://" in url else f"https://{url}"
    host = (urlsplit(raw).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def foreign_links(body: str, allowed: Iterable[str]) -> list[str]:
    """The links of ``body`` that reach neither the platform nor the event's own website
    (``allowed``: their base URLs); ``mailto:`` links are contact, not a web page."""
    hosts = {_host(url) for url in allowed if url}
    hosts.discard("")
    return [
        link
        for link in links_in(body)
        if not link.lower().startswith("mailto:") and _host(link) not in hosts
    ]

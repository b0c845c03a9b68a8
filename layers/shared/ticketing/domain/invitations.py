"""Exhibitors invite their customers (seed 000, issue 16): the sample letter, its placeholders,
the recipients of a list, and what became of each one.

The organizer writes an event's sample letter ("Musteranschreiben") in German and English; an
exhibitor may write its own text from it. The letter is Markdown with placeholders in braces;
the platform fills them in for each recipient (``fill``), escaping every value as Markdown
text, so a name can never become a link or markup. Rendering to HTML and text is the
notifications' safe renderer (``domain.notifications.to_html``/``to_text``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ticketing.domain.fields import ONE_LINE

if TYPE_CHECKING:
    from collections.abc import Mapping

MAX_LETTER = 20_000
MAX_SUBJECT = 200
MAX_ROWS = 10_000
RECIPIENTS_PER_ITEM = 100  # recipients of a list kept in one item (each well under 1 KB)
LetterLanguage = Literal["de", "en"]
LETTER_LANGUAGES: tuple[LetterLanguage, ...] = ("de", "en")
PLACEHOLDERS: tuple[str, ...] = (
    "salutation",
    "first_name",
    "last_name",
    "company",
    "exhibitor",
    "event",
    "code",
    "link",
    "valid_until",
    "stand",
)
# the voucher must reach its recipient: a letter names its code or its link
NEEDS_ONE_OF: tuple[str, ...] = ("code", "link")
_PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")

MailState = Literal["queued", "sent", "bounced", "suppressed"]
JobState = Literal["running", "done", "failed"]

LetterSubject = Annotated[str, Field(min_length=1, max_length=MAX_SUBJECT), ONE_LINE]
LetterBody = Annotated[str, Field(min_length=1, max_length=MAX_LETTER)]


def unknown_placeholders(*texts: str) -> list[str]:
    """Every ``{name}`` of the texts that is not one of ``PLACEHOLDERS``, in order, once."""
    found: list[str] = []
    for text in texts:
        for name in _PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS and name not in found:
                found.append(name)
    return found


def names_the_voucher(body: str) -> bool:
    return any(f"{{{name}}}" in body for name in NEEDS_ONE_OF)


def markdown_text(value: str) -> str:
    """``value`` as literal Markdown text: every ASCII punctuation backslash-escaped, line
    breaks as spaces (a value is one line)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(value.split()))


def fill(text: str, values: Mapping[str, str], markdown: bool = True) -> str:
    """``text`` with each known placeholder replaced by its value (escaped as Markdown text
    when ``markdown``; the link as an autolink); unknown ones stay as written (refused when
    the letter was saved)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        raw = values.get(name, "")
        if not markdown:
            return " ".join(raw.split())
        if name == "link" and raw:
            return f"<{raw}>"
        return markdown_text(raw)

    return _PLACEHOLDER.sub(value, text)


class LetterText(BaseModel):
    """``PUT /events/{event_id}/invitation-letter``: one language's subject and body."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    language: LetterLanguage
    subject: LetterSubject
    body: LetterBody = Field(
        description="Markdown with placeholders {salutation}, {first_name}, {last_name}, "
        "{company}, {exhibitor}, {event}, {code}, {link}, {valid_until}, {stand}; it names "
        "{code} or {link}; at most 20,000 characters"
    )
    stand: Annotated[str, Field(max_length=100), ONE_LINE] | None = Field(
        default=None, description="An exhibitor's own letter: its stand, for {stand}"
    )


class Letter(BaseModel):
    """A stored letter: the event's sample (``exhibitor_id`` None) or an exhibitor's own."""

    model_config = ConfigDict(defer_build=True)

    event_id: str
    organizer_id: str
    exhibitor_id: str | None = None
    language: LetterLanguage
    subject: str
    body: str
    stand: str | None = None
    updated_at: datetime
    updated_by: str


class RecipientRow(BaseModel):
    """One recipient as the exhibitor gives it (a JSON item, or a row of its file)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    salutation: Annotated[str, Field(max_length=100), ONE_LINE] | None = None
    first_name: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    last_name: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    email: Annotated[str, Field(min_length=3, max_length=254), ONE_LINE]
    company: Annotated[str, Field(max_length=200), ONE_LINE] | None = None
    language: LetterLanguage | None = None


class InvitationRequest(BaseModel):
    """``POST /voucher-batches/{batch_id}/invitations`` as JSON."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    recipients: list[dict[str, object]] = Field(
        min_length=1,
        max_length=MAX_ROWS,
        description="Up to 10,000: salutation?, first_name, last_name, email, company?, "
        "language? (de or en; default: the exhibitor's letter language, German)",
    )
    resend: bool = Field(
        default=False,
        description="Invite addresses already invited from this exhibitor's batches again",
    )


class BadRow(BaseModel):
    model_config = ConfigDict(defer_build=True)

    row: int = Field(description="1 for the first recipient (a file's first row under its titles)")
    reason: str
    email: str | None = None


class Recipient(BaseModel):
    """A good row, numbered, as the worker assigns it a code and mails it."""

    model_config = ConfigDict(defer_build=True)

    row: int
    salutation: str | None = None
    first_name: str
    last_name: str
    email: str
    address: str  # the mailbox (domain.emails.mailbox): one invitation per exhibitor
    company: str | None = None
    language: LetterLanguage = "de"
    resend: bool = False  # already invited, asked again


class Invitation(BaseModel):
    """A recipient with its code: one item per assigned code (``code`` is its key)."""

    model_config = ConfigDict(defer_build=True)

    code: str
    batch_id: str
    event_id: str
    exhibitor_id: str
    organizer_id: str
    job_id: str
    row: int
    salutation: str | None = None
    first_name: str
    last_name: str
    email: str
    address: str
    company: str | None = None
    language: LetterLanguage = "de"
    invited_at: datetime
    mail_state: MailState = "queued"
    sends: int = 1  # mails of this invitation (a resend adds one)


class InvitationJob(BaseModel):
    """A list being assigned and mailed by the worker, chunk by chunk of its recipients."""

    model_config = ConfigDict(defer_build=True)

    job_id: str
    batch_id: str
    exhibitor_id: str
    state: JobState = "running"
    total: int
    chunks: int
    next_chunk: int = 0
    invited: int = 0  # mails queued (new codes and resends)
    assigned: int = 0  # codes newly given
    skipped: int = 0  # already invited meanwhile (another list), or no code left
    failed: int = 0
    bad_rows: list[BadRow] = Field(default_factory=list)
    already_invited: list[BadRow] = Field(default_factory=list)
    created_at: datetime
    created_by: str
    progress_at: datetime
    finished_at: datetime | None = None
    failure: str | None = None


class Tracked(BaseModel):
    """A row of the tracking list: the invitation and what became of its code."""

    model_config = ConfigDict(defer_build=True)

    code: str
    first_name: str
    last_name: str
    email: str
    company: str | None = None
    invited_at: datetime
    mail_state: MailState
    registered_at: datetime | None = None
    registered_by: str | None = Field(
        default=None, description="Who registered the code, when not the invited address"
    )
    checked_in_at: datetime | None = None


def job_percent(job: InvitationJob) -> float:
    if job.state == "done":
        return 100.0
    return 0.0 if job.chunks <= 0 else min(99.9, int(job.next_chunk * 1000 / job.chunks) / 10)


class MessageDraft(BaseModel):
    """``POST /events/{event_id}/redemptions/messages``: an exhibitor writes again to the
    visitors who registered its codes (and agreed to be contacted)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    subject: LetterSubject
    body: LetterBody = Field(description="Markdown (no HTML, no images); at most 20,000 characters")
    kind: Literal["information", "marketing"] = Field(
        default="information",
        description="information (links only to the platform and the event's website) or "
        "marketing (only to registrants who also consented to the organizer's marketing)",
    )

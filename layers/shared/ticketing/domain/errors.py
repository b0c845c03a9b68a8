"""Domain exceptions. Services raise these; the API layer alone maps them to HTTP statuses.

An error a person meets may name a message of the catalogue (``message_id``, with ``params``
for its placeholders): the API answers with that text in the caller's language. ``detail``
stays the English text, for logs and as the fallback for an error without a message id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


class DomainError(Exception):
    """Base of every error a caller can act on."""

    title = "Request failed"
    title_id = "problem.title.failed"

    def __init__(
        self,
        detail: str,
        *,
        message_id: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        # machine-readable facts for the answer, beside the human ``detail``
        self.extensions: dict[str, object] = {}
        # the catalogue's id of ``detail`` and the values of its placeholders
        self.message_id = message_id
        self.params: dict[str, object] = dict(params or {})


class NotFound(DomainError):
    """The object does not exist, or belongs to someone else (both answer alike)."""

    title = "Not found"
    title_id = "problem.title.not_found"


class NotAllowed(DomainError):
    """The caller is known, but its role may not do this."""

    title = "Forbidden"
    title_id = "problem.title.forbidden"


class Unauthenticated(DomainError):
    """No usable credentials."""

    title = "Unauthorized"
    title_id = "problem.title.unauthorized"


class Conflict(DomainError):
    """The request clashes with the current state (already done, already exists)."""

    title = "Conflict"
    title_id = "problem.title.conflict"


class InvalidRequest(DomainError):
    """The request is well-formed but breaks a business rule; ``field`` names the culprit."""

    title = "Invalid request"
    title_id = "problem.title.invalid"

    def __init__(
        self,
        detail: str,
        field: str | None = None,
        *,
        message_id: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(detail, message_id=message_id, params=params)
        self.field = field


class Expired(DomainError):
    """It existed, but its time is over."""

    title = "Gone"
    title_id = "problem.title.gone"


class TooManyAttempts(DomainError):
    """A client failed too often; it may try again after ``retry_after`` seconds."""

    title = "Too many attempts"
    title_id = "problem.title.too_many"

    def __init__(
        self,
        detail: str,
        retry_after: int,
        *,
        message_id: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(detail, message_id=message_id, params=params)
        self.retry_after = retry_after


class Forgotten(Exception):
    """The person a queued mail was for was erased meanwhile (issue 17): nobody is left to
    mail, and nothing about the mail is kept. Not a ``DomainError``: no caller sees it."""

"""Domain exceptions. Services raise these; the API layer alone maps them to HTTP statuses."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a caller can act on."""

    title = "Request failed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
        # machine-readable facts for the answer, beside the human ``detail``
        self.extensions: dict[str, object] = {}


class NotFound(DomainError):
    """The object does not exist, or belongs to someone else (both answer alike)."""

    title = "Not found"


class NotAllowed(DomainError):
    """The caller is known, but its role may not do this."""

    title = "Forbidden"


class Unauthenticated(DomainError):
    """No usable credentials."""

    title = "Unauthorized"


class Conflict(DomainError):
    """The request clashes with the current state (already done, already exists)."""

    title = "Conflict"


class InvalidRequest(DomainError):
    """The request is well-formed but breaks a business rule; ``field`` names the culprit."""

    title = "Invalid request"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.field = field


class Expired(DomainError):
    """It existed, but its time is over."""

    title = "Gone"


class TooManyAttempts(DomainError):
    """A client failed too often; it may try again after ``retry_after`` seconds."""

    title = "Too many attempts"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after

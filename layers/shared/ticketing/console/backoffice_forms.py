"""The back office's forms: what a person typed, read into the API's request models, and
what was wrong with it said next to each field in their language (the API's own texts,
api/spoken.py), keyed by the field's dotted name (``customer.zip``)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from ticketing.api.spoken import detail, field_message

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from pydantic import ValidationError

    from ticketing.domain.errors import InvalidRequest
    from ticketing.i18n import Language

FORM_KEY = "form_key"  # the hidden one-time key of a form that must act once


def new_form_key() -> str:
    """A fresh one-time key for a form (its double submit is answered by the first)."""
    return secrets.token_urlsafe(24)


def typed(form: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The fields ``names`` as typed (trimmed), empty when not sent."""
    return {name: form.get(name, "").strip() for name in names}


def field_errors(language: Language, invalid: ValidationError) -> dict[str, str]:
    """Each field's first error, in ``language``; a model-wide rule under ``""``."""
    errors: dict[str, str] = {}
    for item in invalid.errors():
        name = ".".join(str(part) for part in item.get("loc", ()))
        message = field_message(language, item, str(item.get("msg", "")))
        errors.setdefault(name, message.removeprefix("Value error, "))
    return errors


def rule_error(language: Language, error: InvalidRequest) -> dict[str, str]:
    """A use case's refusal of one field (``error.field``), in ``language``."""
    return {error.field or "": detail(language, error)}


def optional(value: str) -> str | None:
    return value or None


def nested(values: Mapping[str, str], prefix: str) -> dict[str, Any]:
    """The fields ``prefix.<name>`` as one object, the empty ones left out."""
    start = prefix + "."
    return {k.removeprefix(start): v for k, v in values.items() if k.startswith(start) and v}

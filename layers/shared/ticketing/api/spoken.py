"""Problem details in the caller's language: the texts of an error answer, from the catalogue.

A problem's ``title`` and ``detail`` follow the request's ``Accept-Language`` (German, English,
Chinese; English when it accepts none of them), and the answer says which it chose with
``Content-Language``. A domain error names its text by ``message_id``; one without keeps its
English ``detail``. Field errors say in words what to type (``a currency code such as EUR``),
keyed by pydantic's error type and, where the type alone says too little, by the field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Final

from ticketing.domain.emails import MIXED_SCRIPTS
from ticketing.domain.fields import ONE_LINE_MESSAGE
from ticketing.i18n import Language, format_date, format_datetime, negotiate, translate

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ticketing.domain.errors import DomainError

#: What an API answer speaks when the caller accepts none of our languages.
API_LANGUAGE: Final[Language] = "en"

# pydantic's error type -> the catalogue's text of a field error (placeholders from its ctx)
_BY_TYPE: Final = {
    "missing": "problem.field.missing",
    "extra_forbidden": "problem.field.extra_forbidden",
    "model_attributes_type": "problem.field.object",
    "model_type": "problem.field.object",
    "dict_type": "problem.field.object",
    "int_type": "problem.field.whole_number",
    "int_parsing": "problem.field.whole_number",
    "int_from_float": "problem.field.whole_number",
    "string_type": "problem.field.text",
    "list_type": "problem.field.list",
    "bool_type": "problem.field.yes_no",
    "bool_parsing": "problem.field.yes_no",
    "string_too_long": "problem.field.too_long",
    "too_long": "problem.field.too_many",
    "too_short": "problem.field.too_few",
    "greater_than_equal": "problem.field.at_least",
    "greater_than": "problem.field.more_than",
    "less_than_equal": "problem.field.at_most",
    "literal_error": "problem.field.one_of",
    "enum": "problem.field.one_of",
    "datetime_type": "problem.field.datetime",
    "datetime_parsing": "problem.field.datetime",
    "datetime_from_date_parsing": "problem.field.datetime",
    "string_pattern_mismatch": "problem.field.pattern",
}
# the field's last name -> what to type there, where a pattern or a check says it in code
_BY_FIELD: Final = {
    "currency": "problem.field.currency",
    "timezone": "problem.field.timezone",
    "email": "problem.field.email",
    "contact_email": "problem.field.email",
    "zip": "problem.field.zip",
    "id": "problem.field.slug",
    "price_option": "problem.field.slug",
    "voucher_price_option": "problem.field.slug",
    "iban": "problem.field.iban",
    "bic": "problem.field.bic",
}
# the English message of one of our own checks -> its text (domain/fields.py, emails.py)
_BY_MESSAGE: Final = {
    ONE_LINE_MESSAGE: "problem.field.one_line",
    MIXED_SCRIPTS: "problem.field.mixed_scripts",
    "a time must include its UTC offset, e.g. 2026-07-12T09:00:00+02:00": (
        "problem.field.datetime"
    ),
}


def language_of(headers: Mapping[str, Any] | None) -> Language:
    """The language of an answer to a request with ``headers`` (case-insensitive names)."""
    accept = None
    for name, value in (headers or {}).items():
        if name.lower() == "accept-language":
            accept = str(value)
    return negotiate(accept, None, default=API_LANGUAGE)


def spoken_headers(language: Language) -> dict[str, str]:
    """The headers that say which language an answer speaks, and that it depends on it."""
    return {"Content-Language": language, "Vary": "Accept-Language"}


def title(language: Language, title_id: str) -> str:
    return translate(language, title_id)


def detail(language: Language, error: DomainError) -> str:
    """``error``'s text in ``language``, or its English ``detail`` if it names no message."""
    if error.message_id is None:
        return error.detail
    return say(language, error.message_id, error.params)


def say(language: Language, message_id: str, params: Mapping[str, object] | None = None) -> str:
    """A message filled with ``params``; a moment or a day is written as ``language`` writes
    it (in the zone the moment carries: a service names it in the event's)."""
    values = {name: _written(value, language) for name, value in (params or {}).items()}
    return translate(language, message_id, **values)


def _written(value: object, language: Language) -> object:
    text = getattr(value, "text", None)  # a question's Labels (seed 002): the caller's language
    if callable(text) and not isinstance(value, str):
        return text(language)
    if isinstance(value, datetime):
        return format_datetime(value, None, language)
    if isinstance(value, date):
        return format_date(datetime.combine(value, time(12), UTC), None, language)
    return value


def field_message(language: Language, item: Mapping[str, Any], fallback: str) -> str:
    """What to type in the field of the pydantic error ``item``, in ``language``."""
    kind = str(item.get("type", ""))
    loc = [str(part) for part in item.get("loc", ()) if not isinstance(part, int)]
    context = dict(item.get("ctx") or {})
    message_id = _field_message_id(kind, loc[-1] if loc else "", fallback, context)
    if message_id is None:
        return fallback
    if "expected" in context:  # pydantic joins the choices with an English "or"
        context["expected"] = str(context["expected"]).replace(" or ", ", ")
    try:
        return say(language, message_id, {k: _plain(v) for k, v in context.items()})
    except (KeyError, IndexError):  # a placeholder pydantic did not fill
        return fallback


def _field_message_id(kind: str, name: str, fallback: str, context: dict[str, Any]) -> str | None:
    if kind == "value_error" and fallback in _BY_MESSAGE:
        return _BY_MESSAGE[fallback]
    if kind in ("string_pattern_mismatch", "value_error") and name in _BY_FIELD:
        return _BY_FIELD[name]
    if kind == "value_error":
        return None  # a rule of the model's own: its English words
    if kind == "string_too_short":
        return (
            "problem.field.empty" if context.get("min_length") == 1 else "problem.field.too_short"
        )
    return _BY_TYPE.get(kind)


def _plain(value: Any) -> object:
    return value if isinstance(value, int | str) else str(value)

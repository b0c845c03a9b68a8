"""The /redeem form posted without a script (seed 000, 002): its fields read into the API's
registration body, and the refusals placed at the fields they concern."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.api import spoken
from ticketing.domain.errors import DomainError, InvalidRequest, NotFound

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pydantic import ValidationError

    from ticketing.domain.questions import Question
    from ticketing.i18n import Language

PERSON = ("first_name", "last_name", "email", "company")
ANSWER = "answers."


def posted_values(fields: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """What the visitor typed, by field: one text each, a list for ticked boxes."""
    values: dict[str, Any] = {}
    for name, given in fields.items():
        if name.startswith(ANSWER) and len(given) > 1:
            values[name] = [v.strip() for v in given]
        elif given:
            values[name] = given[-1].strip()
    return values


def registration_body(values: Mapping[str, Any], asked: Sequence[Question]) -> dict[str, Any]:
    """The body ``POST /vouchers/{code}/registration`` takes, from the form's ``values``."""
    body: dict[str, Any] = {name: values.get(name, "") for name in PERSON[:3]}
    if values.get("company"):
        body["company"] = values["company"]
    body["contact_consent"] = values.get("contact_consent") == "on"
    types = {question.id: question.type for question in asked}
    answers: dict[str, Any] = {}
    for name, value in values.items():
        if not name.startswith(ANSWER) or value in ("", []):
            continue
        question_id = name.removeprefix(ANSWER)
        if types.get(question_id) == "yes_no" and value in ("true", "false"):
            value = value == "true"
        answers[question_id] = value
    body["answers"] = answers
    return body


def field_errors(language: Language, error: ValidationError) -> dict[str, str]:
    """The form's field (its element id) -> what to type there."""
    errors: dict[str, str] = {}
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ())]
        name = _element(".".join(loc))
        message = spoken.field_message(language, item, str(item.get("msg", "")))
        errors.setdefault(name, message)
    return errors


def refusal(language: Language, error: DomainError) -> tuple[int, dict[str, str]]:
    """The status of a page refusing the registration and its messages by element id (""
    above the form)."""
    text = spoken.detail(language, error)
    if isinstance(error, InvalidRequest) and error.field:
        return 422, {_element(error.field): text}
    if isinstance(error, NotFound):
        return 404, {"code": text}
    status = {"Conflict": 409, "Expired": 410, "TooManyAttempts": 429}
    return status.get(type(error).__name__, 400), {"": text}


def _element(field: str) -> str:
    # an answer's field is answers.<question>; its input's id is q-<question>
    if field.startswith(ANSWER):
        return "q-" + field.removeprefix(ANSWER).split(".")[0]
    return field.split(".")[0] or ""

"""Answers to an event's questions, checked against them (seed 002).

A booking answers the order's questions once (``answers``) and each ticket's own questions
per attendee (``attendees[i].answers``); a visitor registering a voucher answers the order's.
Every refusal is a 422 whose field is the answer's path (``answers.<question_id>``,
``attendees[1].answers.<question_id>``) and whose message names the question in the caller's
language. What is stored is the answer in its plain form: a text, an option id, a list of
option ids, a yes or no, an ISO date, a country code, a phone number or an e-mail address.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from ticketing.domain.errors import InvalidRequest
from ticketing.domain.questions import CHOICE_TYPES, MAX_ANSWER_CHARS, Question

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

Answer = str | bool | list[str]
Answers = dict[str, Answer]

# controls other than line breaks and tabs (a free text may have several lines)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()/.-]{2,38}[0-9]$")


class _Refused(Exception):
    def __init__(self, what: str, message_id: str, **params: object) -> None:
        super().__init__(what)
        self.what = what
        self.message_id = message_id
        self.params = params


def checked_answers(
    asked: Sequence[Question], given: Mapping[str, Any] | None, path: str
) -> Answers:
    """``given`` checked against the questions ``asked`` here; the answers to keep.

    An answer to a question not asked here (unknown, or of another scope) is refused; an
    unanswered question is left out, unless it is required.
    """
    questions = {question.id: question for question in asked}
    for question_id in given or {}:
        if question_id not in questions:
            raise InvalidRequest(
                f"{question_id!r} is not a question asked here",
                field=f"{path}.{question_id}",
                message_id="problem.answer.unknown",
                params={"question": question_id},
            )
    kept: Answers = {}
    for question in asked:
        value = (given or {}).get(question.id)
        try:
            answer = _answer(question, value)
        except _Refused as refused:
            raise InvalidRequest(
                f"{question.label.en}: {refused.what}",
                field=f"{path}.{question.id}",
                message_id=refused.message_id,
                params={"label": question.label, **refused.params},
            ) from None
        if answer is not None:
            kept[question.id] = answer
    return kept


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _answer(question: Question, value: Any) -> Answer | None:
    if _blank(value):
        if question.required:
            raise _Refused("please answer this question", "problem.answer.missing")
        return None
    if question.type == "yes_no":
        if not isinstance(value, bool):
            raise _Refused("answer true (yes) or false (no)", "problem.answer.yes_no")
        return value
    if question.type == "multiple_choice":
        return _choices(question, value)
    if not isinstance(value, str):
        raise _Refused("the answer must be a text", "problem.answer.text")
    text = value.strip()
    if len(text) > MAX_ANSWER_CHARS:
        raise _Refused(
            f"at most {MAX_ANSWER_CHARS} characters",
            "problem.answer.too_long",
            most=MAX_ANSWER_CHARS,
        )
    if _CONTROLS.search(text):
        raise _Refused("the answer has control characters", "problem.answer.text")
    return _typed(question, text)


def _typed(question: Question, text: str) -> str:
    if question.type == "choice":
        if question.option(text) is None:
            raise _Refused(
                f"choose one of: {_offered(question)}",
                "problem.answer.choice",
                choices=_offered(question),
            )
        return text
    if question.type == "date":
        return _date(text)
    if question.type == "country":
        from ticketing.i18n.countries import country_codes

        code = text.upper()
        if code not in country_codes():
            raise _Refused("give a country code such as DE", "problem.answer.country")
        return code
    if question.type == "phone":
        if not _PHONE.match(text) or sum(c.isdigit() for c in text) < 5:
            raise _Refused("give a phone number such as +49 89 123456", "problem.answer.phone")
        return text
    if question.type == "email":
        return _email(text)
    return text  # free text


def _choices(question: Question, value: Any) -> list[str]:
    chosen = [value] if isinstance(value, str) else value
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        raise _Refused(
            "answer with a list of option ids", "problem.answer.choices", choices=_offered(question)
        )
    picked = list(dict.fromkeys(c.strip() for c in chosen if c.strip()))
    if any(question.option(c) is None for c in picked):
        raise _Refused(
            f"choose from: {_offered(question)}",
            "problem.answer.choices",
            choices=_offered(question),
        )
    if not picked and question.required:
        raise _Refused("please answer this question", "problem.answer.missing")
    return picked


def _date(text: str) -> str:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise _Refused("give a date such as 2026-07-12", "problem.answer.date") from None


def _email(text: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise _Refused(
            "give an e-mail address such as name@example.org", "problem.answer.email"
        ) from None


def _offered(question: Question) -> str:
    return ", ".join(option.id for option in question.options)


def shown(question: Question, answer: Answer, language: str = "en") -> str:
    """An answer as a person reads it: option labels, yes/no in ``language``, a country name."""
    from ticketing.i18n import translate
    from ticketing.i18n.countries import country_name
    from ticketing.i18n.languages import known_language

    speaks = known_language(language) or "en"
    if isinstance(answer, bool):
        return translate(speaks, "common.yes" if answer else "common.no")
    if question.type in CHOICE_TYPES:
        ids = answer if isinstance(answer, list) else [answer]
        labels = [(o.label.text(speaks) if (o := question.option(i)) else i) for i in ids]
        return ", ".join(labels)
    if question.type == "country" and isinstance(answer, str):
        return country_name(answer, speaks)
    return answer if isinstance(answer, str) else ", ".join(answer)


def printed(
    questions: Sequence[Question], answers: Mapping[str, Answer], language: str
) -> list[tuple[str, str]]:
    """(label, answer) of the ``on_ticket`` questions among ``answers``, in ``language``."""
    from ticketing.i18n.languages import known_language

    speaks = known_language(language) or "en"
    return [
        (q.label.text(speaks), shown(q, answers[q.id], speaks))
        for q in questions
        if q.on_ticket and q.id in answers
    ]


def labelled(
    questions: Sequence[Question], answers: Mapping[str, Answer], language: str
) -> list[tuple[str, str]]:
    """(label, answer) of every question answered in ``answers``, in the questions' order;
    an answer to a question removed since is shown by its id."""
    from ticketing.i18n.languages import known_language

    speaks = known_language(language) or "en"
    known = {q.id: q for q in questions}
    lines = [
        (q.label.text(speaks), shown(q, answers[q.id], speaks))
        for q in questions
        if q.id in answers
    ]
    for question_id, answer in answers.items():
        if question_id not in known:
            lines.append((question_id, answer if isinstance(answer, str) else str(answer)))
    return lines

"""An event's questions (seed 002): the registration, tariff and pass forms.

An organizer asks its customers what it needs in three places: once per order (``order``),
per ticket of the price options it lists (``attendee``; all of them when it lists none), and
per ticket of a price option marked as a pass (``pass``). The answers are checked here
(domain/answers.py); the questions themselves only have to make sense together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ticketing.domain.errors import InvalidRequest
from ticketing.domain.fields import ONE_LINE, Slug

if TYPE_CHECKING:
    from ticketing.domain.events import Event
    from ticketing.i18n.languages import Language

QuestionType = Literal[
    "text", "choice", "multiple_choice", "yes_no", "date", "country", "phone", "email"
]
Scope = Literal["order", "attendee", "pass"]
CHOICE_TYPES = frozenset({"choice", "multiple_choice"})
MAX_QUESTIONS = 100
MAX_OPTIONS = 50
MAX_ANSWER_CHARS = 2000
# the whole form is one DynamoDB item (at most 400 KB); this leaves room for its keys
MAX_FORM_BYTES = 300_000

Label = Annotated[str, Field(min_length=1, max_length=300), ONE_LINE]


class _Definition(BaseModel):
    model_config = ConfigDict(
        defer_build=True, extra="forbid", str_strip_whitespace=True, frozen=True
    )


class Labels(_Definition):
    """A text in German and English, and in Chinese if the organizer gives it."""

    de: Label
    en: Label
    zh: Label | None = None

    def text(self, language: Language) -> str:
        """The label in ``language``; Chinese without its own falls back to English."""
        given: str | None = getattr(self, language, None)
        return given or self.en

    def __str__(self) -> str:  # a message that names it without a language: English
        return self.en


class QuestionOption(_Definition):
    """One of the answers a choice question offers."""

    id: Slug
    label: Labels


class Question(_Definition):
    """One question of an event's forms."""

    id: Slug = Field(description="Short identifier, lower-case letters, digits and dashes")
    label: Labels
    type: QuestionType
    required: bool = False
    options: list[QuestionOption] = Field(
        default_factory=list,
        max_length=MAX_OPTIONS,
        description="The answers offered (choice and multiple_choice only)",
    )
    scope: Scope = "order"
    price_options: list[Slug] = Field(
        default_factory=list,
        max_length=50,
        description="attendee scope: the price options whose tickets ask it (none: all)",
    )
    on_ticket: bool = Field(default=False, description="The answer is printed on the ticket")
    share_with_exhibitor: bool = Field(
        default=False,
        description="The answer is shown to the exhibitor whose voucher was redeemed",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.type in CHOICE_TYPES and not self.options:
            raise ValueError(f"question {self.id!r} of type {self.type} needs options")
        if self.type not in CHOICE_TYPES and self.options:
            raise ValueError(f"question {self.id!r} of type {self.type} takes no options")
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"the options of question {self.id!r} need different ids")
        if self.price_options and self.scope != "attendee":
            raise ValueError(f"price_options apply to attendee questions only ({self.id!r})")
        return self

    def option(self, option_id: str) -> QuestionOption | None:
        return next((o for o in self.options if o.id == option_id), None)

    def asked_per_ticket(self, price_option: str, is_pass: bool) -> bool:
        """Whether a ticket of ``price_option`` asks this question."""
        if self.scope == "attendee":
            return not self.price_options or price_option in self.price_options
        return self.scope == "pass" and is_pass


class EventQuestions(BaseModel):
    """An event's stored questions; ``version`` rises with every change."""

    model_config = ConfigDict(defer_build=True)

    event_id: str
    questions: list[Question] = Field(default_factory=list)
    version: int = 0

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def of_order(self) -> list[Question]:
        return [q for q in self.questions if q.scope == "order"]

    def of_ticket(self, price_option: str, is_pass: bool) -> list[Question]:
        return [q for q in self.questions if q.asked_per_ticket(price_option, is_pass)]

    def on_ticket(self) -> list[Question]:
        return [q for q in self.questions if q.on_ticket]

    def shared_with_exhibitor(self) -> list[Question]:
        return [q for q in self.questions if q.share_with_exhibitor]


def check_questions(questions: list[Question], event: Event) -> None:
    """Refuse a list of questions that does not make sense for ``event`` (422 naming it)."""
    if len(questions) > MAX_QUESTIONS:
        raise InvalidRequest(
            f"an event asks at most {MAX_QUESTIONS} questions; {len(questions)} were given",
            field="questions",
            message_id="problem.questions.too_many",
            params={"most": MAX_QUESTIONS, "given": len(questions)},
        )
    seen: set[str] = set()
    for index, question in enumerate(questions):
        if question.id in seen:
            raise InvalidRequest(
                f"question id {question.id!r} is used twice; give each question its own id",
                field=f"questions[{index}].id",
                message_id="problem.questions.repeated",
                params={"question": question.id},
            )
        seen.add(question.id)
        _check_price_options(index, question, event)
    size = sum(len(q.model_dump_json().encode()) for q in questions)
    if size > MAX_FORM_BYTES:
        raise InvalidRequest(
            "the questions are too long together; shorten labels or options",
            field="questions",
            message_id="problem.questions.too_large",
        )


def _check_price_options(index: int, question: Question, event: Event) -> None:
    offered = {option.id for option in event.price_options}
    unknown = [p for p in question.price_options if p not in offered]
    if unknown:
        choices = ", ".join(sorted(offered))
        raise InvalidRequest(
            f"question {question.id!r} names unknown price options {', '.join(unknown)}; "
            f"choose from: {choices}",
            field=f"questions[{index}].price_options",
            message_id="problem.questions.unknown_price_option",
            params={"question": question.id, "options": ", ".join(unknown), "choices": choices},
        )

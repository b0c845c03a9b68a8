"""An event's questions and the answers checked against them (seed 002): every type, the
required ones, the options offered and the limits, each refusal naming the question."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.fakes import samples
from ticketing.api import spoken
from ticketing.domain.answers import checked_answers, shown
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.questions import (
    MAX_ANSWER_CHARS,
    EventQuestions,
    Question,
    check_questions,
)


def question(qid: str, type: str = "text", **fields: Any) -> Question:
    if type in ("choice", "multiple_choice") and "options" not in fields:
        fields["options"] = [
            {"id": "s", "label": {"de": "Klein", "en": "Small", "zh": "小"}},
            {"id": "l", "label": {"de": "Groß", "en": "Large"}},
        ]
    return Question.model_validate(
        {
            "id": qid,
            "label": {"de": f"Frage {qid}", "en": f"Question {qid}"},
            "type": type,
            **fields,
        }
    )


def refusal(asked: list[Question], given: dict[str, Any], path: str = "answers") -> InvalidRequest:
    with pytest.raises(InvalidRequest) as refused:
        checked_answers(asked, given, path)
    return refused.value


@pytest.mark.parametrize(
    ("type", "given", "kept"),
    [
        ("text", "  Vegetarisch, bitte\nohne Nüsse ", "Vegetarisch, bitte\nohne Nüsse"),
        ("choice", "l", "l"),
        ("multiple_choice", ["s", "l", "s"], ["s", "l"]),
        ("yes_no", False, False),
        ("date", "1990-02-28", "1990-02-28"),
        ("country", "pl", "PL"),
        ("phone", "+49 (89) 123-456", "+49 (89) 123-456"),
        ("email", "Erika@Example.ORG", "Erika@example.org"),
    ],
)
def test_every_type_keeps_its_answer_in_plain_form(type: str, given: Any, kept: Any) -> None:
    assert checked_answers([question("q", type)], {"q": given}, "answers") == {"q": kept}


@pytest.mark.parametrize(
    ("type", "given", "message_id"),
    [
        ("text", 12, "problem.answer.text"),
        ("text", "a\x07b", "problem.answer.text"),
        ("choice", "xl", "problem.answer.choice"),
        ("choice", ["s"], "problem.answer.text"),
        ("multiple_choice", ["s", "xl"], "problem.answer.choices"),
        ("multiple_choice", [1], "problem.answer.choices"),
        ("yes_no", "yes", "problem.answer.yes_no"),
        ("date", "28.02.1990", "problem.answer.date"),
        ("date", "1990-02-30", "problem.answer.date"),
        ("country", "Germany", "problem.answer.country"),
        ("country", "EU", "problem.answer.country"),
        ("phone", "call me", "problem.answer.phone"),
        ("phone", "12", "problem.answer.phone"),
        ("email", "not-an-address", "problem.answer.email"),
    ],
)
def test_a_wrong_answer_is_refused_naming_its_question(
    type: str, given: Any, message_id: str
) -> None:
    refused = refusal([question("q1", type)], {"q1": given})

    assert (refused.field, refused.message_id) == ("answers.q1", message_id)
    assert spoken.detail("de", refused).startswith("„Frage q1“")
    assert spoken.detail("en", refused).startswith("“Question q1”")


def test_a_required_question_must_be_answered_and_an_optional_one_may_not() -> None:
    asked = [question("diet", required=True), question("size", "choice")]

    refused = refusal(asked, {"diet": "  ", "size": "s"})

    assert (refused.field, refused.message_id) == ("answers.diet", "problem.answer.missing")
    assert spoken.detail("de", refused) == "Bitte beantworten Sie „Frage diet“."
    assert checked_answers(asked, {"diet": "vegan"}, "answers") == {"diet": "vegan"}


def test_required_yes_no_takes_no_for_an_answer_and_required_choices_need_one() -> None:
    assert checked_answers([question("ok", "yes_no", required=True)], {"ok": False}, "a") == {
        "ok": False
    }
    refused = refusal([question("m", "multiple_choice", required=True)], {"m": []})
    assert refused.message_id == "problem.answer.missing"


def test_an_answer_to_an_unknown_question_is_refused_by_its_id() -> None:
    refused = refusal([question("diet")], {"shoe-size": "44"}, "attendees[1].answers")

    assert refused.field == "attendees[1].answers.shoe-size"
    assert refused.message_id == "problem.answer.unknown"
    assert "shoe-size" in spoken.detail("zh", refused)


def test_answers_over_two_thousand_characters_are_refused() -> None:
    asked = [question("note")]
    assert checked_answers(asked, {"note": "ü" * MAX_ANSWER_CHARS}, "answers")

    refused = refusal(asked, {"note": "ü" * (MAX_ANSWER_CHARS + 1)})

    assert (refused.field, refused.message_id) == ("answers.note", "problem.answer.too_long")
    assert "2000" in spoken.detail("en", refused)


def test_a_choice_question_needs_options_with_their_own_ids() -> None:
    with pytest.raises(ValidationError, match="needs options"):
        question("size", "choice", options=[])
    with pytest.raises(ValidationError, match="takes no options"):
        question("name", "text", options=[{"id": "a", "label": {"de": "A", "en": "A"}}])
    with pytest.raises(ValidationError, match="different ids"):
        question("size", "choice", options=[{"id": "a", "label": {"de": "A", "en": "A"}}] * 2)
    with pytest.raises(ValidationError):
        question("Bad Id")
    with pytest.raises(ValidationError):
        Question.model_validate({"id": "q", "label": {"en": "only English"}, "type": "text"})


def test_price_options_belong_to_attendee_questions_of_options_the_event_has() -> None:
    event = samples.a_fair(100)
    with pytest.raises(ValidationError, match="attendee questions only"):
        question("q", scope="order", price_options=["day"])
    unknown = question("q", scope="attendee", price_options=["vip"])

    with pytest.raises(InvalidRequest) as refused:
        check_questions([unknown], event)

    assert refused.value.field == "questions[0].price_options"
    check_questions(
        [question("q", scope="attendee", price_options=[event.price_options[0].id])], event
    )


def test_an_event_asks_at_most_a_hundred_questions_each_id_once() -> None:
    event = samples.a_fair(100)
    check_questions([question(f"q{i}") for i in range(100)], event)

    with pytest.raises(InvalidRequest) as too_many:
        check_questions([question(f"q{i}") for i in range(101)], event)
    with pytest.raises(InvalidRequest) as twice:
        check_questions([question("a"), question("b"), question("a")], event)

    assert too_many.value.message_id == "problem.questions.too_many"
    assert (twice.value.field, twice.value.message_id) == (
        "questions[2].id",
        "problem.questions.repeated",
    )


def test_each_ticket_asks_its_own_price_options_questions_and_passes_the_pass_form() -> None:
    form = EventQuestions(
        event_id="evt",
        questions=[
            question("company", scope="order"),
            question("diet", scope="attendee"),
            question("vip-seat", scope="attendee", price_options=["vip"]),
            question("photo", scope="pass"),
        ],
    )

    assert [q.id for q in form.of_order()] == ["company"]
    assert [q.id for q in form.of_ticket("day", is_pass=False)] == ["diet"]
    assert [q.id for q in form.of_ticket("vip", is_pass=False)] == ["diet", "vip-seat"]
    assert [q.id for q in form.of_ticket("season", is_pass=True)] == ["diet", "photo"]


def test_an_answer_reads_as_a_person_says_it() -> None:
    assert shown(question("m", "multiple_choice"), ["s", "l"], "de") == "Klein, Groß"
    assert shown(question("c", "choice"), "s", "zh") == "小"
    assert shown(question("c", "choice"), "l", "zh") == "Large"  # no Chinese label: English
    assert shown(question("y", "yes_no"), True, "de") == "ja"  # as the lists write it
    assert shown(question("k", "country"), "DE", "en") == "Germany"


def test_a_ticket_prints_the_answers_marked_on_ticket_and_no_other() -> None:
    from dataclasses import replace

    from tests.pdf_reading import pdf_text
    from tests.unit.test_pdf_documents import TICKET
    from ticketing.documents.pdf import render_ticket
    from ticketing.domain.answers import printed

    asked = [
        question("essen", on_ticket=True),
        question("k", "country", on_ticket=True),
        question("phone", "phone"),
    ]
    lines = printed(asked, {"essen": "Vegetarisch", "k": "PL", "phone": "+49 89 1234567"}, "de")
    assert lines == [("Frage essen", "Vegetarisch"), ("Frage k", "Polen")]

    text = pdf_text(render_ticket(replace(TICKET, answers=tuple(lines))))

    assert "Frage essen" in text
    assert "Vegetarisch" in text
    assert "Polen" in text
    assert "1234567" not in text

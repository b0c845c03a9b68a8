"""An event's questions (seed 002): the organizer adds, edits and removes them one at a time,
each a form post of its own (no script needed), through the use case of
``PUT /events/{event_id}/questions``. An edit names the version it was made from, so that two
people editing at once do not undo each other's change (the second is asked to reload).

Options of a choice question are lines of a text box: ``id | Deutsch | English | 中文``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ticketing.console.backoffice_forms import field_errors, rule_error, typed
from ticketing.console.pages.orders import STAFF
from ticketing.console.registry import page
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.questions import EventQuestions, Question
from ticketing.services import events, questions

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit

QUESTIONS = "/console/events/{event_id}/questions"
QUESTION = QUESTIONS + "/{question_id}"
FIELDS = (
    "original_id",
    "version",
    "id",
    "label_de",
    "label_en",
    "label_zh",
    "type",
    "scope",
    "price_options",
    "options",
)
FLAGS = ("required", "on_ticket", "share_with_exhibitor")
TYPES = ("text", "choice", "multiple_choice", "yes_no", "date", "country", "phone", "email")
SCOPES = ("order", "attendee", "pass")


def _form(visit: Visit, event_id: str, status: int = 200, **more: Any) -> Answer:
    event = events.get_event(visit.stores.events, visit.principal, event_id)
    form = questions.questions_of(
        visit.stores.questions, visit.stores.events, visit.principal, event_id
    )
    values = more.pop("values", None) or {
        "version": str(form.version),
        "type": "text",
        "scope": "order",
    }
    return visit.render(
        "questions.html",
        status,
        event=event,
        form=form,
        values=values,
        errors=more.pop("errors", {}),
        editing=more.pop("editing", None),
        types=[(t, visit.t(f"console.questions.type_{t}")) for t in TYPES],
        scopes=[(s, visit.t(f"console.questions.scope_{s}")) for s in SCOPES],
    )


@page("GET", QUESTIONS, kinds=STAFF)
def question_list(visit: Visit) -> Answer:
    return _form(visit, visit.params["event_id"])


@page("GET", QUESTION, kinds=STAFF)
def question_page(visit: Visit) -> Answer:
    event_id, question_id = visit.params["event_id"], visit.params["question_id"]
    form = questions.questions_of(
        visit.stores.questions, visit.stores.events, visit.principal, event_id
    )
    found = form.question(question_id)
    if found is None:
        return _form(visit, event_id)  # removed meanwhile: the list, to add it again
    return _form(visit, event_id, values=_values(found, form.version), editing=question_id)


@page("POST", QUESTIONS, kinds=STAFF)
def save_question(visit: Visit) -> Answer:
    event_id = visit.params["event_id"]
    values = typed(visit.form, FIELDS)
    values.update({flag: "on" for flag in FLAGS if visit.form.get(flag) == "on"})
    editing = values["original_id"] or None
    try:
        question = Question.model_validate(_definition(values))
    except ValidationError as invalid:
        errors = {_field(k): v for k, v in field_errors(visit.language, invalid).items()}
        return _form(visit, event_id, 422, values=values, errors=errors, editing=editing)
    current = questions.questions_of(
        visit.stores.questions, visit.stores.events, visit.principal, event_id
    )
    changed = _replaced(current, editing, question)
    return _store(visit, event_id, values, changed, "console.questions.saved", question.id, editing)


@page("POST", QUESTION + "/remove", kinds=STAFF)
def remove_question(visit: Visit) -> Answer:
    event_id, question_id = visit.params["event_id"], visit.params["question_id"]
    values = typed(visit.form, ("version",))
    current = questions.questions_of(
        visit.stores.questions, visit.stores.events, visit.principal, event_id
    )
    kept = [q for q in current.questions if q.id != question_id]
    return _store(visit, event_id, values, kept, "console.questions.removed", question_id, None)


def _store(
    visit: Visit,
    event_id: str,
    values: dict[str, str],
    changed: list[Question],
    done_id: str,
    question_id: str,
    editing: str | None,
) -> Answer:
    seen = int(values["version"]) if values.get("version", "").isdigit() else None
    try:
        questions.set_questions(
            visit.stores.questions, visit.stores.events, visit.principal, event_id, changed, seen
        )
    except InvalidRequest as refused:
        errors = {_field(k): v for k, v in rule_error(visit.language, refused).items()}
        return _form(visit, event_id, 422, values=values, errors=errors, editing=editing)
    except Conflict:
        errors = {"": visit.t("console.questions.changed")}
        return _form(visit, event_id, 409, values=values, errors=errors, editing=editing)
    visit.record("EVENT", event_id, "activity.event.questions", question=question_id)
    return visit.done(QUESTIONS.format(event_id=event_id), done_id, question=question_id)


def _replaced(current: EventQuestions, editing: str | None, question: Question) -> list[Question]:
    """The list with ``question`` in place of the one edited, or added at its end."""
    if editing is not None and current.question(editing) is not None:
        return [question if q.id == editing else q for q in current.questions]
    return [*current.questions, question]


def _definition(values: dict[str, str]) -> dict[str, Any]:
    labels = {"de": values["label_de"], "en": values["label_en"]}
    if values["label_zh"]:
        labels["zh"] = values["label_zh"]
    options = []
    for line in values["options"].splitlines():
        parts = [part.strip() for part in line.split("|")]
        if not parts[0]:
            continue
        label = {"de": parts[1] if len(parts) > 1 else "", "en": parts[2] if len(parts) > 2 else ""}
        if len(parts) > 3 and parts[3]:
            label["zh"] = parts[3]
        options.append({"id": parts[0], "label": label})
    return {
        "id": values["id"],
        "label": labels,
        "type": values["type"],
        "scope": values["scope"],
        "required": values.get("required") == "on",
        "on_ticket": values.get("on_ticket") == "on",
        "share_with_exhibitor": values.get("share_with_exhibitor") == "on",
        "price_options": [p.strip() for p in values["price_options"].split(",") if p.strip()],
        "options": options,
    }


def _values(question: Question, version: int) -> dict[str, str]:
    lines = [
        " | ".join([o.id, o.label.de, o.label.en, *([o.label.zh] if o.label.zh else [])])
        for o in question.options
    ]
    values = {
        "original_id": question.id,
        "version": str(version),
        "id": question.id,
        "label_de": question.label.de,
        "label_en": question.label.en,
        "label_zh": question.label.zh or "",
        "type": question.type,
        "scope": question.scope,
        "price_options": ", ".join(question.price_options),
        "options": "\n".join(lines),
    }
    values.update({flag: "on" for flag in FLAGS if getattr(question, flag)})
    return values


def _field(name: str) -> str:
    """A form field for a field of the question's model (``label.de`` -> ``label_de``)."""
    if name.startswith("label."):
        return "label_" + name.split(".")[1]
    if name.startswith(("options", "questions")) or name.endswith("options"):
        return "options" if name.startswith("options") else "price_options"
    return name.split(".")[0] if name else ""

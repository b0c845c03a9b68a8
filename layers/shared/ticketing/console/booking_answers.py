"""The console's booking form asks the event's questions (seed 002): the order's once, and
each ticket's in one attendee row per ticket (as many as the quantity typed; a changed
quantity gives the form back with as many rows). The fields are named like the API's body:
``answers.<question>`` and ``attendee_<i>.first_name`` / ``.last_name`` /
``.answers.<question>``; a multiple choice is one box per option (``answers.<q>.<option>``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ticketing.domain.events import Event
    from ticketing.domain.questions import EventQuestions, Question

MAX_ROWS = 20  # attendee rows shown at most; a larger booking names the customer on each


def asked(
    form: EventQuestions, event: Event, price_option: str
) -> tuple[list[Question], list[Question]]:
    """The order's questions and those of each ticket of ``price_option``."""
    option = event.price_option(price_option) or event.price_options[0]
    return form.of_order(), form.of_ticket(option.id, option.is_pass)


def rows(values: Mapping[str, str], per_ticket: Sequence[Question]) -> int:
    """How many attendee rows the form shows: one per ticket, if tickets ask questions."""
    quantity = values.get("quantity", "1")
    count = int(quantity) if quantity.isdigit() else 1
    return min(max(count, 1), MAX_ROWS) if per_ticket else 0


def fields(form: Mapping[str, str], count: int) -> dict[str, str]:
    """The answer and attendee fields of a posted form, as typed."""
    pattern = re.compile(r"^(answers\.|attendee_\d+\.)")
    kept = {k: v.strip() for k, v in form.items() if pattern.match(k)}
    return {k: v for k, v in kept.items() if not k.startswith("attendee_") or _row(k) < count}


def body_parts(
    values: Mapping[str, str], order: Sequence[Question], per_ticket: Sequence[Question], count: int
) -> dict[str, Any]:
    """``answers`` and ``attendees`` of the API's booking body from the form's fields."""
    parts: dict[str, Any] = {"answers": _answers(values, "answers.", order)}
    if count:
        parts["attendees"] = [
            {
                "first_name": values.get(f"attendee_{i}.first_name", ""),
                "last_name": values.get(f"attendee_{i}.last_name", ""),
                "answers": _answers(values, f"attendee_{i}.answers.", per_ticket),
            }
            for i in range(count)
        ]
    return parts


def error_field(field: str) -> str:
    """The form's field of an API error's field (``attendees[1].answers.x``)."""
    found = re.match(r"^attendees\[(\d+)\]\.(.+)$", field)
    return f"attendee_{found.group(1)}.{found.group(2)}" if found else field


def _answers(
    values: Mapping[str, str], prefix: str, questions: Sequence[Question]
) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questions:
        name = prefix + question.id
        if question.type == "multiple_choice":
            picked = [o.id for o in question.options if values.get(f"{name}.{o.id}") == "on"]
            if picked:
                answers[question.id] = picked
        elif question.type == "yes_no" and values.get(name) in ("true", "false"):
            answers[question.id] = values[name] == "true"
        elif values.get(name):
            answers[question.id] = values[name]
    return answers


def _row(name: str) -> int:
    return int(name.split(".")[0].removeprefix("attendee_"))

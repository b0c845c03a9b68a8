"""The port of an event's questions (seed 002; beside ``ports.py``, which is full)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ticketing.domain.questions import EventQuestions, Question


class QuestionStore(Protocol):
    """An event's questions, one item per event, replaced as a whole."""

    def get(self, event_id: str) -> EventQuestions:
        """The event's questions (none yet: an empty list at version 0)."""
        ...

    def replace(
        self, event_id: str, questions: list[Question], expected_version: int | None = None
    ) -> EventQuestions:
        """Store ``questions`` as the event's, one version on. With ``expected_version``, only
        if the stored ones are still that version (``Conflict`` otherwise): an edit made from
        a form read earlier does not undo someone else's edit in between."""
        ...

"""An event's questions in memory (``QuestionStore``)."""

from __future__ import annotations

from tests.fakes.database import FakeDatabase
from ticketing.domain.errors import Conflict
from ticketing.domain.questions import EventQuestions, Question


class FakeQuestionStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        # kept on the shared database's object, so that every fake of one db sees them
        if not hasattr(db, "questions"):
            db.questions = {}  # type: ignore[attr-defined]
        self._forms: dict[str, EventQuestions] = db.questions  # type: ignore[attr-defined]

    def get(self, event_id: str) -> EventQuestions:
        return self._forms.get(event_id) or EventQuestions(event_id=event_id)

    def replace(
        self, event_id: str, questions: list[Question], expected_version: int | None = None
    ) -> EventQuestions:
        with self.db.lock:
            current = self.get(event_id).version
            if expected_version is not None and expected_version != current:
                raise Conflict(
                    "the questions were changed meanwhile; reload them and try again",
                    message_id="problem.questions.changed",
                )
            stored = EventQuestions(event_id=event_id, questions=questions, version=current + 1)
            self._forms[event_id] = stored
            return stored

"""An event's questions in DynamoDB: one item in the event's partition (``QUESTIONS``)."""

from __future__ import annotations

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionFailed, Put, Table
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.errors import Conflict
from ticketing.domain.questions import EventQuestions, Question


class DynamoQuestionStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def get(self, event_id: str) -> EventQuestions:
        item = self.table.get(keys.event_questions(event_id))
        if item is None:
            return EventQuestions(event_id=event_id)
        return from_item(EventQuestions, item)

    def replace(
        self, event_id: str, questions: list[Question], expected_version: int | None = None
    ) -> EventQuestions:
        current = expected_version
        if current is None:
            current = self.get(event_id).version
        stored = EventQuestions(event_id=event_id, questions=questions, version=current + 1)
        item = to_item(stored, "questions", **keys.event_questions(event_id))
        condition = "attribute_not_exists(PK)" if current == 0 else "version = :seen"
        try:
            self.table.write(
                Put(item, condition=condition, values={":seen": current} if current else None)
            )
        except ConditionFailed:
            raise Conflict(
                "the questions were changed meanwhile; reload them and try again",
                message_id="problem.questions.changed",
            ) from None
        return stored

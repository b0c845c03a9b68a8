"""The question store's contract (seed 002) on the fake and on DynamoDB (moto): an event's
questions are replaced as a whole, one version on each time, and an edit made from an older
version is refused on both, so the fake promises the service tests what DynamoDB does."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.database import FakeDatabase
from tests.fakes.questions import FakeQuestionStore
from ticketing.domain.errors import Conflict
from ticketing.domain.questions import Question
from ticketing.services.ports_questions import QuestionStore


@pytest.fixture(params=["fake", "dynamodb"])
def store(request: pytest.FixtureRequest) -> QuestionStore:
    if request.param == "fake":
        return FakeQuestionStore(FakeDatabase())
    request.getfixturevalue("aws")
    from ticketing.adapters.question_store import DynamoQuestionStore

    return DynamoQuestionStore()


def question(qid: str, **fields: Any) -> Question:
    return Question.model_validate(
        {"id": qid, "label": {"de": "Größe", "en": "Size", "zh": "尺码"}, "type": "text", **fields}
    )


def test_questions_are_replaced_as_a_whole_one_version_on(store: QuestionStore) -> None:
    assert store.get("evt_1").questions == []
    assert store.get("evt_1").version == 0

    first = store.replace("evt_1", [question("a"), question("b", required=True)])
    second = store.replace("evt_1", [question("b", required=True)], expected_version=1)

    assert (first.version, second.version) == (1, 2)
    read = store.get("evt_1")
    assert read.version == 2
    assert read.questions == [question("b", required=True)]
    assert read.questions[0].label.zh == "尺码"
    assert store.get("evt_2").questions == []  # each event its own


def test_an_edit_from_an_older_version_is_refused_and_changes_nothing(
    store: QuestionStore,
) -> None:
    store.replace("evt_1", [question("a")])
    store.replace("evt_1", [question("a"), question("b")], expected_version=1)

    with pytest.raises(Conflict):
        store.replace("evt_1", [], expected_version=1)
    with pytest.raises(Conflict):
        store.replace("evt_3", [question("c")], expected_version=4)

    assert [q.id for q in store.get("evt_1").questions] == ["a", "b"]
    assert store.get("evt_3").questions == []

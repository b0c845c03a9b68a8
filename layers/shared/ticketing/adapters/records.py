"""Pydantic models to table items and back."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from ticketing.adapters.keys import (
    GSI1PK,
    GSI1SK,
    GSI2PK,
    GSI2SK,
    LIVEPK,
    LIVESK,
    PK,
    SK,
    TTL_ATTRIBUTE,
)

if TYPE_CHECKING:
    from ticketing.adapters.dynamo import Item

M = TypeVar("M", bound=BaseModel)

# key attributes belong to the table, not to the model
_STRUCTURAL = {PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, LIVEPK, LIVESK, TTL_ATTRIBUTE, "kind"}
# counters kept on an item beside its model (the event's dashboard figures, event_figures.py)
_COUNTERS = "figure_"


def to_item(model: BaseModel, kind: str, **keys: str) -> Item:
    """The model's JSON form plus its keys; ``kind`` names the entity for readers of the table."""
    return {**model.model_dump(mode="json", exclude_none=True), **keys, "kind": kind}


def from_item(model: type[M], item: Item) -> M:
    data = {
        k: _numbers(v)
        for k, v in item.items()
        if k not in _STRUCTURAL and not k.startswith(_COUNTERS)
    }
    # stored before a rule was tightened: read as written, the rules guard what comes in
    return model.model_validate(data, context={"stored": True})


def _numbers(value: Any) -> Any:
    # DynamoDB hands numbers back as Decimal; whole numbers were ints when written.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value

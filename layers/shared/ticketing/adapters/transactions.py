"""All-or-nothing commits of parts that several stores handed out (one DynamoDB transaction)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ticketing.adapters.dynamo import ConditionFailed, Item, Put, Table, Write
from ticketing.services.parts import Part, WriteRefused

if TYPE_CHECKING:
    from collections.abc import Sequence


class DynamoTransactions:
    """Commits parts of the one table; a failed condition names its part's label."""

    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def commit(self, parts: Sequence[Part]) -> None:
        try:
            self.table.transact([cast("Write", part.write) for part in parts])
        except ConditionFailed as failed:
            # a conflict with another transaction is not a refusal of the part: only a failed
            # condition names it
            labels = [
                p.label
                for p, reason in zip(parts, failed.reasons, strict=False)
                if reason == "ConditionalCheckFailed"
            ]
            raise WriteRefused(labels) from None

    def add(self, label: str, item: Item, also: Sequence[Part]) -> None:
        """Write a new item (it must not exist yet), together with ``also`` if given."""
        if not also:
            try:
                self.table.put_new(item)
            except ConditionFailed:
                raise WriteRefused([label]) from None
            return
        self.commit([Part(label, Put(item, condition="attribute_not_exists(PK)")), *also])

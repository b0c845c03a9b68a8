"""Backfill of the person index (issue 17) for items written before it existed: a scan of
the table in segments (DynamoDB's parallel-scan segments, worked one after another), each
segment's position kept after every page, writing only the entries that are missing (a
conditional put each), so that a run stopped anywhere resumes where it stood and a second run
writes nothing.

What it reads, and the entry each gets (under the item's own organizer; an erased item, one
without an address, gets none):

- an order header (``kind: order``): ``customer.email`` -> ``ORDER#<number>``;
- a registered visitor voucher: ``registration.email`` -> ``ORDER#<the registration's order>``
  (export and erasure reach a registration through its order, as they do for new ones);
- a gift voucher: ``recipient.email`` -> ``GIFT#<code>``;
- a gift complaint: its voucher's ``recipient.email`` (one read) -> ``COMPLAINT#<id>``;
- an invitation: ``email`` -> ``INVITATION#<batch>/<code>``.

Sent mails were never recorded per address before the index, so none are backfilled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard

from ticketing.adapters import gift_keys, privacy_keys
from ticketing.adapters.dynamo import ConditionFailed, Table, deserialize, serialize
from ticketing.domain.erasure import ERASED

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ticketing.adapters.dynamo import Item
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.domain.persons import EntryKind

KINDS = ("order", "voucher", "gift_voucher", "gift_complaint", "invitation")
_FILTER = "#kind IN (" + ", ".join(f":k{i}" for i in range(len(KINDS))) + ")"


@dataclass
class BackfillReport:
    """What a run did: items read (that hold a person), entries written, entries that were
    there already, and how many segments are finished (all: nothing is left to do)."""

    segments: int
    segments_done: int = 0
    items: int = 0
    written: int = 0
    present: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.segments_done == self.segments


class PersonIndexBackfill:
    def __init__(self, people: DynamoPersonIndex, table: Table | None = None) -> None:
        self.people = people
        self.table = table or people.table

    def run(
        self, segments: int = 4, page_size: int = 200, max_pages: int | None = None
    ) -> BackfillReport:
        """Backfill every segment of ``segments`` (each resumes from its kept position), at
        most ``max_pages`` pages per segment in this run (None: to the end)."""
        if not 1 <= segments <= 1000:
            raise ValueError("segments: 1 to 1000")
        report = BackfillReport(segments)
        for segment in range(segments):
            if self._segment(segment, segments, page_size, max_pages, report):
                report.segments_done += 1
        return report

    def _segment(
        self,
        segment: int,
        segments: int,
        page_size: int,
        max_pages: int | None,
        report: BackfillReport,
    ) -> bool:
        key = privacy_keys.backfill_segment(segment, segments)
        position = self.table.get(key, consistent=True) or {}
        if position.get("done"):
            return True
        start = position.get("last_key")
        pages = 0
        while max_pages is None or pages < max_pages:
            items, start = self._page(segment, segments, page_size, start)
            pages += 1
            for item in items:
                report.items += 1
                for organizer_id, email, ref, kind in self._entries_of(item):
                    self._put(organizer_id, email, ref, kind, report)
            # the position after the page: a stop from here on redoes at most this page
            self.table.client.put_item(
                TableName=self.table.name,
                Item=serialize({**key, "kind": "backfill", "last_key": start, "done": not start}),
            )
            if not start:
                return True
        return False

    def _page(
        self, segment: int, segments: int, page_size: int, start: Item | None
    ) -> tuple[list[Item], Item | None]:
        kwargs: dict[str, Any] = {
            "TableName": self.table.name,
            "Segment": segment,
            "TotalSegments": segments,
            "Limit": page_size,
            "FilterExpression": _FILTER,
            "ExpressionAttributeNames": {"#kind": "kind"},
            "ExpressionAttributeValues": {f":k{i}": {"S": k} for i, k in enumerate(KINDS)},
        }
        if start:
            kwargs["ExclusiveStartKey"] = serialize(start)
        response = self.table.client.scan(**kwargs)
        last = response.get("LastEvaluatedKey")
        items = [deserialize(i) for i in response.get("Items", [])]
        return items, (deserialize(last) if last else None)

    def _entries_of(self, item: Item) -> Iterator[tuple[str, str, str, EntryKind]]:
        organizer_id = item.get("organizer_id")
        if not organizer_id:
            return
        kind = item.get("kind")
        if kind == "order":
            email = (item.get("customer") or {}).get("email")
            if _address(email) and not item.get("erased"):
                yield organizer_id, email, str(item["order_number"]), "order"
        elif kind == "voucher":
            registration = item.get("registration") or {}
            if _address(registration.get("email")) and registration.get("order_number"):
                yield organizer_id, registration["email"], registration["order_number"], "order"
        elif kind == "gift_voucher":
            email = (item.get("recipient") or {}).get("email")
            if _address(email):
                yield organizer_id, email, str(item["code"]), "gift"
        elif kind == "gift_complaint":
            voucher = self.table.get(gift_keys.gift_voucher(str(item["code"])), consistent=True)
            email = ((voucher or {}).get("recipient") or {}).get("email")
            if _address(email):
                yield organizer_id, email, str(item["complaint_id"]), "complaint"
        elif kind == "invitation" and _address(item.get("email")):
            ref = f"{item['batch_id']}/{item['code']}"
            yield organizer_id, item["email"], ref, "invitation"

    def _put(
        self, organizer_id: str, email: str, ref: str, kind: EntryKind, report: BackfillReport
    ) -> None:
        entry = self.people.entry_item(organizer_id, email, ref, kind)
        try:
            self.table.put_new(entry)
        except ConditionFailed:
            report.present += 1
            return
        report.written += 1
        report.by_kind[kind] = report.by_kind.get(kind, 0) + 1


def _address(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and "@" in value and value != ERASED

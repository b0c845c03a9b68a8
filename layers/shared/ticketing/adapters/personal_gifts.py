"""A person's gift vouchers (as recipient) and the complaints about them, erased in DynamoDB
(issue 17): the recipient's phone, e-mail and name go from the voucher with its phone index
entry (GSI1), the ledger's addresses and texts and the complaint's texts become the marker.
Value, state, times, outcome and the counters stay. Every write is idempotent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.adapters import gift_keys
from ticketing.adapters.dynamo import Put, Table, Update
from ticketing.adapters.gift_store import DynamoGiftVoucherStore
from ticketing.adapters.records import from_item
from ticketing.domain.erasure import ERASED, LEDGER_PERSONAL, RECIPIENT_PERSONAL, no_counts
from ticketing.domain.gift_complaints import Complaint

if TYPE_CHECKING:
    from ticketing.domain.gift_vouchers import GiftVoucher


class DynamoPersonalGifts:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def gift(self, code: str) -> GiftVoucher | None:
        return DynamoGiftVoucherStore(self.table).get_voucher(code)

    def complaint(self, complaint_id: str) -> Complaint | None:
        item = self.table.get(gift_keys.complaint(complaint_id), consistent=True)
        return None if item is None else from_item(Complaint, item)

    def erase_gift(self, code: str) -> dict[str, int]:
        counts = no_counts()
        head = self.table.get(gift_keys.gift_voucher(code), consistent=True)
        if head is None:
            return counts
        recipient = dict(head.get("recipient") or {})
        if any(recipient.get(k) for k in RECIPIENT_PERSONAL) or "GSI1PK" in head:
            kept = {k: v for k, v in recipient.items() if k not in RECIPIENT_PERSONAL}
            self.table.write(
                Update(
                    gift_keys.gift_voucher(code),
                    "SET #recipient = :kept, #erased = :yes REMOVE GSI1PK, GSI1SK",
                    condition="attribute_exists(PK)",
                    names={"#recipient": "recipient", "#erased": "erased"},
                    values={":kept": kept, ":yes": True},
                )
            )
            counts["gift_vouchers"] = 1
        partition = gift_keys.gift_partition(code)
        for item in self.table.query_partition(partition, gift_keys.LEDGER_PREFIX, True):
            detail: dict[str, Any] = dict(item.get("detail") or {})
            named = [k for k in LEDGER_PERSONAL if detail.get(k) not in (None, "", ERASED)]
            if named:
                self.table.write(
                    Put({**item, "detail": {**detail, **dict.fromkeys(named, ERASED)}})
                )
                counts["gift_ledger_entries"] += 1
        return counts

    def erase_complaint(self, complaint_id: str) -> dict[str, int]:
        counts = no_counts()
        item = self.table.get(gift_keys.complaint(complaint_id), consistent=True)
        if item is None or (item.get("text") == ERASED and item.get("answer") in (None, ERASED)):
            return counts
        expression = "SET #text = :m" + (", #answer = :m" if item.get("answer") else "")
        names = {"#text": "text", **({"#answer": "answer"} if item.get("answer") else {})}
        self.table.write(
            Update(
                gift_keys.complaint(complaint_id),
                expression,
                condition="attribute_exists(PK)",
                names=names,
                values={":m": ERASED},
            )
        )
        counts["complaints"] = 1
        return counts

"""Bulk issuing on the fakes (seed 004): rows issued behind the queue a chunk at a time, each
row once whatever is sent twice, refused rows kept with their reason, files read as JSON, CSV
and Excel."""

from __future__ import annotations

import io
import json

import pytest

from tests.fakes import FakeBulkQueue, FakeBulkStore, FakeGiftFiles
from tests.unit.services.test_gift_vouchers import World
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.gift_bulk import BulkOrder, read_rows
from ticketing.services.gift_vouchers import bulk


class BulkWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.bulks = FakeBulkStore(self.db)
        self.queue = FakeBulkQueue()
        self.files = FakeGiftFiles()
        self.bulk_desk = bulk.BulkDesk(
            self.issue_desk, self.delivery, self.bulks, self.queue, self.files
        )

    def drain(self) -> None:
        """The queue's worker: every message, in order, as SQS would deliver them."""
        while self.queue.messages:
            bulk_id, start = self.queue.messages.pop(0)
            bulk.work(self.bulk_desk, bulk_id, start)


def rows(n: int, tier: str = "C") -> list[dict[str, object]]:
    return [
        {
            "tier": tier,
            "recipient": {"phone": f"1390000{i:04d}", "name": "王小明"},
            "external_ref": f"r{i}",
        }
        for i in range(n)
    ]


def test_a_list_is_issued_in_chunks_and_each_row_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK", 4)
    world = BulkWorld()
    issuer = world.issuer()
    campaign_id = world.campaign(issuer, C=8)
    listed = [*rows(10), {"tier": "Z", "external_ref": "bad"}, {"tier": "C"}]
    ordered, upload = bulk.order_bulk(world.bulk_desk, issuer, campaign_id, BulkOrder(rows=listed))
    assert upload is None
    assert ordered.status == "pending"
    world.queue.messages.append(world.queue.messages[0])  # SQS delivers one message twice
    world.drain()
    done = world.bulks.get_bulk(ordered.bulk_id)
    assert done is not None
    assert done.status == "done"
    assert done.rows == 12
    assert (done.issued, done.repeated, done.failed) == (8, 0, 4)
    reasons = {e.row: e.reason for e in done.errors}
    assert "used up" in reasons[9]
    assert "no tier Z" in reasons[11]
    assert "external_ref" in reasons[12]
    assert len(world.sms.sent) == 8
    # the same list again: the same vouchers, nothing issued twice
    again, _ = bulk.order_bulk(world.bulk_desk, issuer, campaign_id, BulkOrder(rows=rows(8)))
    world.drain()
    second = world.bulks.get_bulk(again.bulk_id)
    assert second is not None
    assert (second.issued, second.repeated) == (0, 8)
    assert len(world.sms.sent) == 8


def test_an_uploaded_csv_is_read_after_start() -> None:
    world = BulkWorld()
    issuer = world.issuer()
    campaign_id = world.campaign(issuer)
    ordered, upload = bulk.order_bulk(world.bulk_desk, issuer, campaign_id, BulkOrder(upload="csv"))
    assert upload is not None
    assert ordered.status == "awaiting_upload"
    with pytest.raises(Conflict):
        bulk.start_bulk(world.bulk_desk, issuer, ordered.bulk_id)
    csv_text = "external_ref,tier,phone,name,city\nq1,A,13900001111,张伟,南京\nq2,B,,李娜,北京\n"
    world.files.put(bulk.file_key(ordered), csv_text.encode("utf-8-sig"), "text/csv")
    started = bulk.start_bulk(world.bulk_desk, issuer, ordered.bulk_id)
    assert started.status == "pending"
    assert bulk.start_bulk(world.bulk_desk, issuer, ordered.bulk_id).status == "pending"
    world.drain()
    done = world.bulks.get_bulk(ordered.bulk_id)
    assert done is not None
    assert (done.status, done.issued, done.failed) == ("done", 2, 0)
    voucher = world.gifts.get_voucher(world.gifts.code_of_ref(campaign_id, "q1") or "")
    assert voucher is not None
    assert voucher.recipient.city == "南京"


def test_a_file_that_is_no_list_fails_the_bulk_issue() -> None:
    world = BulkWorld()
    issuer = world.issuer()
    campaign_id = world.campaign(issuer)
    ordered, _ = bulk.order_bulk(world.bulk_desk, issuer, campaign_id, BulkOrder(upload="xlsx"))
    world.files.put(bulk.file_key(ordered), b"not a workbook", "application/octet-stream")
    bulk.start_bulk(world.bulk_desk, issuer, ordered.bulk_id)
    world.drain()
    failed = world.bulks.get_bulk(ordered.bulk_id)
    assert failed is not None
    assert failed.status == "failed"
    assert failed.errors[0].row == 0
    assert "cannot be read" in failed.errors[0].reason


def test_rows_or_upload_not_both() -> None:
    world = BulkWorld()
    issuer = world.issuer()
    campaign_id = world.campaign(issuer)
    with pytest.raises(InvalidRequest):
        bulk.order_bulk(world.bulk_desk, issuer, campaign_id, BulkOrder())
    with pytest.raises(InvalidRequest):
        bulk.order_bulk(world.bulk_desk, issuer, campaign_id, BulkOrder(rows=rows(1), upload="csv"))


def test_files_are_read_as_json_csv_and_excel() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tier", "external_ref", "phone", "name"])
    sheet.append(["B", "x1", 13900001111, "王小明"])
    sheet.append([None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    (excel,) = read_rows(out.getvalue(), "xlsx")
    assert excel.request is not None
    assert excel.request.recipient.phone == "13900001111"
    (plain,) = read_rows(json.dumps(rows(1)).encode(), "json")
    assert plain.request is not None
    assert plain.request.tier == "C"
    with pytest.raises(ValueError, match="columns"):
        read_rows(b"a,b\n1,2\n", "csv")

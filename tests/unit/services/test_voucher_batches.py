"""Seed 000 "Gutscheine bestellen" on the fakes: a batch ordered, made by the worker, counted
once, downloaded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.integration.helpers import workbook_rows
from tests.unit.services.given import a_fair, an_exhibitor, issued_vouchers
from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.visitor_vouchers import BatchOrder
from ticketing.domain.voucher_codes import new_code
from ticketing.services.visitor_vouchers import worker
from ticketing.services.visitor_vouchers.batches import batch_download, order_batch


def ordered(platform: FakePlatform, quantity: int, key: str | None = None, **order: Any) -> Any:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    return order_batch(
        platform.batch_desk(),
        samples.exhibitor_principal(exhibitor),
        event.event_id,
        BatchOrder(quantity=quantity, **order),
        key,
    )


def test_a_voucher_batch_is_ordered_at_once_and_waits_for_the_worker(
    platform: FakePlatform,
) -> None:
    batch, created = ordered(platform, 250, label="Stammkunden")

    assert created is True
    assert (batch.status, batch.quantity, batch.generated) == ("pending", 250, 0)
    assert platform.batch_queue.batch_ids == [batch.batch_id]
    assert platform.db.vouchers == {}


def test_a_voucher_batch_ordered_twice_with_one_key_is_one_batch(platform: FakePlatform) -> None:
    event = a_fair(platform)
    exhibitor = samples.exhibitor_principal(an_exhibitor(platform, event))
    order = BatchOrder(quantity=5)

    first, created = order_batch(platform.batch_desk(), exhibitor, event.event_id, order, "key-1")
    again, repeated = order_batch(platform.batch_desk(), exhibitor, event.event_id, order, "key-1")

    assert (created, repeated) == (True, False)
    assert again == first
    assert list(platform.db.batches) == [first.batch_id]
    assert platform.batch_queue.batch_ids == [first.batch_id]
    with pytest.raises(InvalidRequest):
        order_batch(
            platform.batch_desk(), exhibitor, event.event_id, BatchOrder(quantity=6), "key-1"
        )


def test_a_batch_whose_queue_is_down_fails_and_says_so(platform: FakePlatform) -> None:
    platform.batch_queue.down = True

    with pytest.raises(ConnectionError):
        ordered(platform, 5)

    [batch] = platform.db.batches.values()
    assert batch.status == "failed"
    assert batch.failure == "could not start; please order again"


def test_a_cancelled_exhibitor_orders_no_new_vouchers(platform: FakePlatform) -> None:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    platform.access.cancel_exhibitor(exhibitor.exhibitor_id, platform.clock.now())

    with pytest.raises(Conflict):
        order_batch(
            platform.batch_desk(),
            samples.exhibitor_principal(exhibitor),
            event.event_id,
            BatchOrder(quantity=5),
        )
    with pytest.raises(NotFound):  # and never for another fair
        order_batch(
            platform.batch_desk(),
            samples.exhibitor_principal(exhibitor),
            "evt_other0000000000",
            BatchOrder(quantity=5),
        )
    assert platform.db.batches == {}


def test_vouchers_must_stay_valid_beyond_now(platform: FakePlatform) -> None:
    with pytest.raises(InvalidRequest) as refused:
        ordered(platform, 5, valid_until=datetime(2026, 5, 1, tzinfo=UTC))

    assert refused.value.field == "valid_until"
    assert platform.db.batches == {}


def test_the_worker_resumes_where_it_stopped_and_redraws_twins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = FakePlatform(codes_per_write=4)
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    _, theirs = issued_vouchers(platform, event, exhibitor, 1)
    batch, _ = ordered_for(platform, event, exhibitor, 10)
    # an earlier attempt wrote the first four codes, then its Lambda timed out
    written = [new_code() for _ in range(4)]
    platform.batches.write_codes(batch, 0, written)
    drawn = iter(theirs)  # the next code drawn is one another batch holds
    monkeypatch.setattr(worker, "new_code", lambda: next(drawn, None) or new_code())

    done = worker.generate(
        platform.batches, platform.events, platform.documents, platform.clock, batch.batch_id
    )

    assert done is not None
    assert (done.status, done.generated) == ("ready", 10)
    codes = list(platform.batches.batch_codes(batch.batch_id))
    assert len(set(codes)) == 10
    assert codes[:4] == written
    assert theirs[0] not in codes
    assert platform.vouchers.get_voucher(theirs[0]).batch_id != batch.batch_id  # type: ignore[union-attr]
    assert platform.figures.figures(exhibitor.exhibitor_id)["issued"] == 1 + 10
    assert platform.documents.exists(f"vouchers/{exhibitor.exhibitor_id}/{batch.batch_id}.xlsx")


def ordered_for(platform: FakePlatform, event: Any, exhibitor: Any, quantity: int) -> Any:
    return order_batch(
        platform.batch_desk(),
        samples.exhibitor_principal(exhibitor),
        event.event_id,
        BatchOrder(quantity=quantity),
    )


def test_a_batch_stopped_before_it_was_ready_is_counted_once(platform: FakePlatform) -> None:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    batch, _ = ordered_for(platform, event, exhibitor, 5)
    put = platform.documents.put
    stops = iter([TimeoutError("the Lambda ran out of time")])

    def stop_once(key: str, data: bytes, content_type: str) -> None:
        stop = next(stops, None)
        if stop is not None:
            raise stop
        put(key, data, content_type)

    platform.documents.put = stop_once  # type: ignore[method-assign]
    with pytest.raises(TimeoutError):
        worker.generate(
            platform.batches, platform.events, platform.documents, platform.clock, batch.batch_id
        )
    # the retry comes after the queue's visibility timeout, when the stopped claim is stale
    platform.clock.advance(worker.FILE_CLAIM_STALE + timedelta(minutes=1))
    for _ in range(2):  # the retry, and a repeated delivery of the same message
        worker.generate(
            platform.batches, platform.events, platform.documents, platform.clock, batch.batch_id
        )

    assert platform.batches.get_batch(batch.batch_id).status == "ready"  # type: ignore[union-attr]
    assert len(platform.db.vouchers) == 5
    assert platform.figures.figures(exhibitor.exhibitor_id)["issued"] == 5


def test_a_ready_batch_downloads_from_a_short_lived_link_rebuilt_if_missing(
    platform: FakePlatform,
) -> None:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    batch, _ = issued_vouchers(platform, event, exhibitor, 3)
    key = f"vouchers/{exhibitor.exhibitor_id}/{batch.batch_id}.xlsx"

    url = batch_download(platform.batches, platform.events, platform.documents, batch)

    assert "X-Amz-Expires=300" in url
    assert key in url
    assert f"vouchers-{batch.batch_id}.xlsx" in url
    assert platform.documents.exists(key)
    platform.documents.files.clear()
    batch_download(platform.batches, platform.events, platform.documents, batch)
    rebuilt = platform.documents.get(key)
    assert rebuilt is not None
    assert len(workbook_rows(rebuilt)) == 1 + 3

"""A batch whose progress stops is picked up again (issue 10, item 4), on the fakes: the worker
stops before its deadline, the rescue schedule queues stalled batches again, hopeless ones fail.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, an_exhibitor
from ticketing.domain.visitor_vouchers import BatchOrder
from ticketing.domain.voucher_codes import new_code
from ticketing.services.visitor_vouchers import worker
from ticketing.services.visitor_vouchers.batches import order_batch


def ordered(platform: FakePlatform, quantity: int) -> Any:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    batch, _ = order_batch(
        platform.batch_desk(),
        samples.exhibitor_principal(exhibitor),
        event.event_id,
        BatchOrder(quantity=quantity),
    )
    return batch


def work(platform: FakePlatform, batch_id: str, seconds_left: Any = None) -> worker.Run:
    return worker.run(
        platform.batches,
        platform.events,
        platform.documents,
        platform.clock,
        batch_id,
        seconds_left,
    )


def rescue(platform: FakePlatform) -> worker.Rescue:
    return worker.rescue_stalled(platform.batches, platform.batch_queue, platform.clock)


def countdown(seconds: float, per_call: float) -> Any:
    left = [seconds]

    def seconds_left() -> float:
        left[0] -= per_call
        return left[0]

    return seconds_left


def test_a_batch_whose_message_was_lost_is_queued_again_and_finishes() -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 10)
    platform.batch_queue.batch_ids.clear()  # the worker's message is lost

    platform.clock.advance(timedelta(minutes=4))
    assert rescue(platform) == worker.Rescue(stalled=0, queued=0, given_up=0)
    platform.clock.advance(timedelta(minutes=2))
    assert rescue(platform) == worker.Rescue(stalled=1, queued=1, given_up=0)
    assert platform.batch_queue.batch_ids == [batch.batch_id]
    assert rescue(platform).stalled == 0  # rescued now: not again before it stalls again

    done = work(platform, batch.batch_id)

    assert done.outcome == "ready"
    assert done.batch is not None
    assert (done.batch.status, done.batch.generated) == ("ready", 10)
    platform.clock.advance(timedelta(hours=1))
    assert rescue(platform).stalled == 0  # a ready batch is not watched any more


def test_every_chunk_moves_the_progress_so_a_working_batch_is_left_alone() -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 10)
    platform.clock.advance(timedelta(minutes=6))
    paused = work(platform, batch.batch_id, countdown(10, per_call=4))

    stored = platform.batches.get_batch(batch.batch_id)
    assert paused.outcome == "paused"
    assert stored is not None
    assert 0 < stored.generated < 10
    assert stored.progress_at == platform.clock.now()
    assert rescue(platform).stalled == 0


def test_the_worker_stops_before_its_deadline_and_the_next_run_goes_on() -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 10)

    first = work(platform, batch.batch_id, countdown(10, per_call=4))
    stored = platform.batches.get_batch(batch.batch_id)
    assert first.outcome == "paused"
    assert stored is not None
    assert stored.status == "generating"
    assert stored.generated == 8

    second = work(platform, batch.batch_id)
    assert second.outcome == "ready"
    assert len(set(platform.batches.batch_codes(batch.batch_id))) == 10
    assert platform.figures.figures(batch.exhibitor_id)["issued"] == 10


def test_the_worker_keeps_the_excel_file_for_a_run_with_time_for_it() -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 10)

    paused = work(platform, batch.batch_id, lambda: 1.5)  # codes fit, the file does not

    stored = platform.batches.get_batch(batch.batch_id)
    assert paused.outcome == "paused"
    assert stored is not None
    assert (stored.status, stored.generated) == ("generating", 10)
    assert work(platform, batch.batch_id).outcome == "ready"


def test_a_batch_that_never_moves_is_given_up_with_its_reason() -> None:
    platform = FakePlatform()
    batch = ordered(platform, 10)
    for _ in range(worker.MAX_RESTARTS):
        platform.clock.advance(timedelta(minutes=6))
        assert rescue(platform).queued == 1

    platform.clock.advance(timedelta(minutes=6))
    assert rescue(platform).given_up == 1

    stored = platform.batches.get_batch(batch.batch_id)
    assert stored is not None
    assert stored.status == "failed"
    assert f"after {worker.MAX_RESTARTS} restarts" in (stored.failure or "")
    assert rescue(platform).stalled == 0


def test_progress_after_a_rescue_starts_the_restarts_again() -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 10)
    platform.clock.advance(timedelta(minutes=6))
    rescue(platform)
    assert platform.batches.get_batch(batch.batch_id).restarts == 1  # type: ignore[union-attr]

    work(platform, batch.batch_id, countdown(10, per_call=4))

    assert platform.batches.get_batch(batch.batch_id).restarts == 0  # type: ignore[union-attr]


def test_a_queue_that_refuses_leaves_the_batch_for_the_next_rescue() -> None:
    platform = FakePlatform()
    batch = ordered(platform, 10)
    platform.clock.advance(timedelta(minutes=6))
    platform.batch_queue.down = True

    assert rescue(platform) == worker.Rescue(stalled=1, queued=0, given_up=0)

    platform.batch_queue.down = False
    platform.clock.advance(timedelta(minutes=6))
    assert rescue(platform).queued == 1
    assert platform.batch_queue.batch_ids[-1] == batch.batch_id


def test_a_second_delivery_leaves_the_batch_to_the_one_at_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 10)
    write = platform.batches.write_codes

    def another_worker_first(*args: Any, **kwargs: Any) -> None:
        monkeypatch.setattr(platform.batches, "write_codes", write)
        write(batch, 0, [new_code()])
        write(*args, **kwargs)

    monkeypatch.setattr(platform.batches, "write_codes", another_worker_first)

    assert work(platform, batch.batch_id).outcome == "taken over"

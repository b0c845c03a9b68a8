"""Issue 12 on the fakes: the progress a console bar reads (percent, seconds left, the step
``writing_file``), and a whole batch's validity extension walked by the worker: resumable
after a crash, one at a time per batch."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.given import a_fair, a_visitor, an_exhibitor
from ticketing.domain.errors import Conflict
from ticketing.domain.events import Event
from ticketing.domain.visitor_vouchers import (
    Extension,
    VoucherBatch,
    batch_percent,
    batch_seconds_left,
    batch_step,
    extension_percent,
    extension_seconds_left,
    file_seconds,
)
from ticketing.domain.voucher_codes import new_code
from ticketing.services.visitor_vouchers import extension, worker
from ticketing.services.visitor_vouchers.registration import register
from ticketing.services.visitor_vouchers.validity import batch_extension, extend_batch

END = datetime(2030, 7, 10, 22, 0, tzinfo=UTC)  # 2030-07-10 counted whole in Berlin


def a_batch(platform: FakePlatform, quantity: int) -> tuple[Event, VoucherBatch]:
    event = a_fair(platform)
    exhibitor = an_exhibitor(platform, event)
    batch = samples.a_batch(
        event, exhibitor.exhibitor_id, quantity, created_at=platform.clock.now()
    )
    platform.batches.add_batch(batch)
    return event, batch


def ready_batch(platform: FakePlatform, quantity: int) -> tuple[Event, VoucherBatch, list[str]]:
    """A ready batch written as the worker writes it: ``codes_per_write`` codes a chunk."""
    event, batch = a_batch(platform, quantity)
    per = platform.batches.codes_per_write
    codes = [new_code() for _ in range(quantity)]
    for chunk in range(-(-quantity // per)):
        platform.batches.write_codes(batch, chunk, codes[chunk * per : (chunk + 1) * per])
    platform.batches.finish_batch(batch, platform.clock.now())
    done = platform.batches.get_batch(batch.batch_id)
    assert done is not None
    return event, done, codes


def walking(platform: FakePlatform) -> extension.Walking:
    return extension.Walking(platform.vouchers, platform.batches, platform.clock)


def started(platform: FakePlatform, event: Event, batch_id: str, day: date) -> str:
    batch = extend_batch(
        platform.validity(), samples.organizer_of(event), batch_id, Extension(valid_until=day)
    )
    assert batch.extension is not None
    return batch.extension.job_id


# progress arithmetic


def test_percent_counts_codes_up_to_95_the_file_to_100_and_never_100_before_ready(
    platform: FakePlatform,
) -> None:
    _, batch = a_batch(platform, 1000)
    now = platform.clock.now()
    assert (batch_step(batch), batch_percent(batch), batch_seconds_left(batch, now)) == (
        "generating",
        0.0,
        None,  # nothing written yet: no rate to estimate from
    )
    half = batch.model_copy(
        update={"generated": 500, "status": "generating", "started_at": now - timedelta(seconds=10)}
    )
    # 500 codes in 10 s: 500 more take 10 s, and the file its estimate
    assert batch_percent(half) == 47.5
    assert batch_seconds_left(half, now) == round(10 + file_seconds(1000))
    almost = half.model_copy(update={"generated": 999})
    assert batch_percent(almost) == 94.9  # rounded down
    writing = half.model_copy(update={"generated": 1000, "step": "writing_file", "step_at": now})
    assert (batch_step(writing), batch_percent(writing)) == ("writing_file", 95.0)
    assert batch_seconds_left(writing, now) == round(file_seconds(1000))
    ready = writing.model_copy(update={"status": "ready"})
    assert (batch_step(ready), batch_percent(ready), batch_seconds_left(ready, now)) == (
        "ready",
        100.0,
        None,
    )
    failed = half.model_copy(update={"status": "failed"})
    assert (batch_step(failed), batch_seconds_left(failed, now)) == ("failed", None)


def test_the_worker_says_writing_file_while_it_writes_the_file(platform: FakePlatform) -> None:
    _, batch = a_batch(platform, 150)
    seen: list[tuple[str, float]] = []
    write_file = worker.write_batch_file

    def watching(*args: Any) -> None:
        stored = platform.batches.get_batch(batch.batch_id)
        assert stored is not None
        seen.append((batch_step(stored), batch_percent(stored)))
        write_file(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker, "write_batch_file", watching)
        worker.generate(
            platform.batches, platform.events, platform.documents, platform.clock, batch.batch_id
        )

    assert seen == [("writing_file", 95.0)]
    done = platform.batches.get_batch(batch.batch_id)
    assert done is not None
    assert done.started_at is not None
    assert (batch_step(done), batch_percent(done)) == ("ready", 100.0)


def test_the_writing_file_step_is_never_written_on_a_closed_batch(platform: FakePlatform) -> None:
    _, batch, _ = ready_batch(platform, 5)
    platform.batches.touch_batch(batch.batch_id, platform.clock.now())
    again = platform.batches.get_batch(batch.batch_id)
    assert again is not None
    assert (again.step, batch_step(again)) == (None, "ready")


# the batch's validity extension, walked by the worker


def test_an_extension_is_walked_in_steps_and_its_progress_read_on_the_batch(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extension, "STEP_CHUNKS", 1)
    event, batch, codes = ready_batch(platform, 250)  # 3 chunks of 98
    register(platform.registration_desk(), "203.0.113.10", codes[0], a_visitor(), lambda _: None)
    job_id = started(platform, event, batch.batch_id, date(2030, 7, 10))
    clock, moves = platform.clock, iter([1.0e9, 1.0e9, 0.0])  # room for two steps, then none

    walked = extension.extend_codes(walking(platform), batch.batch_id, job_id, lambda: next(moves))

    assert walked == "paused"
    read = batch_extension(platform.validity(), samples.organizer_of(event), batch.batch_id)
    job = read.extension
    assert job is not None
    assert (job.state, job.done, job.total, job.next_chunk) == ("running", 196, 250, 2)
    assert extension_percent(job) == 78.4
    clock.advance(timedelta(seconds=10))
    assert extension_seconds_left(job, clock.now()) == round(54 * 10 / 196)
    assert read.valid_until != END  # the batch's end moves when the job is done

    assert extension.extend_codes(walking(platform), batch.batch_id, job_id) == "done"
    done = platform.batches.get_batch(batch.batch_id)
    assert done is not None
    assert done.extension is not None
    assert (done.extension.state, done.extension.done, extension_percent(done.extension)) == (
        "done",
        250,
        100.0,
    )
    assert (done.extension.changed, done.extension.skipped, done.valid_until) == (249, 1, END)
    assert extension_seconds_left(done.extension, clock.now()) is None
    # a late repeat of the message finds the job closed
    assert extension.extend_codes(walking(platform), batch.batch_id, job_id) == "closed"


def test_an_extension_resumes_after_a_crash_midway_and_extends_each_code_once(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extension, "STEP_CHUNKS", 2)
    event, batch, codes = ready_batch(platform, 400)  # 5 chunks: steps of 196, 196, 8
    job_id = started(platform, event, batch.batch_id, date(2030, 7, 10))
    extend, calls, written = platform.vouchers.extend_vouchers, [0], [0]

    def crashing(vouchers: list[Any], *args: Any) -> int:
        calls[0] += 1
        if calls[0] == 4:  # the second write of the second step (steps of 100 + 96 codes)
            raise ConnectionError("the worker died")
        written[0] += len(vouchers)
        return extend(vouchers, *args)

    monkeypatch.setattr(platform.vouchers, "extend_vouchers", crashing)
    with pytest.raises(ConnectionError):
        extension.extend_codes(walking(platform), batch.batch_id, job_id)
    halfway = platform.batches.get_batch(batch.batch_id)
    assert halfway is not None
    assert halfway.extension is not None
    assert (halfway.extension.done, halfway.extension.next_chunk) == (196, 2)

    # the message is delivered again: the walk goes on from the second step
    assert extension.extend_codes(walking(platform), batch.batch_id, job_id) == "done"

    done = platform.batches.get_batch(batch.batch_id)
    assert done is not None
    assert done.extension is not None
    assert (done.extension.done, done.extension.changed, done.extension.skipped) == (400, 400, 0)
    vouchers = [platform.vouchers.get_voucher(code) for code in codes]
    assert all(v is not None and v.valid_until == END for v in vouchers)
    # each code changed once: the codes extended before the crash were not written again
    assert [len(v.validity_changes) for v in vouchers if v is not None] == [1] * 400
    # 296 before the crash (and the write that failed), 104 after: 96 of step 2 and step 3's 8
    assert (calls[0], written[0]) == (3 + 1 + 2, 400)


def test_a_code_registered_while_its_step_is_walked_is_skipped_and_the_job_goes_on(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, batch, codes = ready_batch(platform, 150)
    job_id = started(platform, event, batch.batch_id, date(2030, 7, 10))
    read = platform.vouchers.get_vouchers

    def racing(wanted: list[str]) -> Any:
        found = read(wanted)  # read as issued; registered before the write
        if codes[0] in wanted:
            desk = platform.registration_desk()
            register(desk, "203.0.113.10", codes[0], a_visitor(), lambda _: None)
        return found

    monkeypatch.setattr(platform.vouchers, "get_vouchers", racing)
    assert extension.extend_codes(walking(platform), batch.batch_id, job_id) == "done"

    done = platform.batches.get_batch(batch.batch_id)
    assert done is not None
    assert done.extension is not None
    assert (done.extension.changed, done.extension.skipped) == (149, 1)
    registered = platform.vouchers.get_voucher(codes[0])
    assert registered is not None
    assert (registered.state, registered.validity_changes) == ("redeemed", [])


def test_a_second_extension_while_one_runs_is_refused(platform: FakePlatform) -> None:
    event, batch, _ = ready_batch(platform, 10)
    first = started(platform, event, batch.batch_id, date(2030, 7, 10))

    with pytest.raises(Conflict):
        started(platform, event, batch.batch_id, date(2030, 7, 11))
    assert [job for _, job in platform.batch_queue.extensions] == [first]

    # once the first is done, the next may start
    assert extension.extend_codes(walking(platform), batch.batch_id, first) == "done"
    second = started(platform, event, batch.batch_id, date(2030, 7, 11))
    assert second != first
    # the first job's message, delivered late, changes nothing
    assert extension.extend_codes(walking(platform), batch.batch_id, first) == "closed"


def test_an_extension_that_stalled_may_be_replaced_and_the_old_one_stops(
    platform: FakePlatform,
) -> None:
    event, batch, _ = ready_batch(platform, 10)
    lost = started(platform, event, batch.batch_id, date(2030, 7, 10))
    platform.clock.advance(timedelta(minutes=6))  # its messages were lost

    fresh = started(platform, event, batch.batch_id, date(2030, 7, 11))

    assert extension.extend_codes(walking(platform), batch.batch_id, lost) == "closed"
    assert extension.extend_codes(walking(platform), batch.batch_id, fresh) == "done"


def test_a_batch_still_being_made_cannot_be_extended(platform: FakePlatform) -> None:
    event, batch = a_batch(platform, 10)
    with pytest.raises(Conflict):
        started(platform, event, batch.batch_id, date(2030, 7, 10))
    assert platform.batch_queue.extensions == []


def test_an_extension_that_cannot_be_queued_fails_at_once(platform: FakePlatform) -> None:
    event, batch, _ = ready_batch(platform, 10)
    platform.batch_queue.down = True
    with pytest.raises(ConnectionError):
        started(platform, event, batch.batch_id, date(2030, 7, 10))
    platform.batch_queue.down = False
    stored = platform.batches.get_batch(batch.batch_id)
    assert stored is not None
    assert stored.extension is not None
    assert stored.extension.state == "failed"
    started(platform, event, batch.batch_id, date(2030, 7, 10))  # may be asked again


def test_an_extension_given_up_frees_the_batch(platform: FakePlatform) -> None:
    event, batch, _ = ready_batch(platform, 10)
    job_id = started(platform, event, batch.batch_id, date(2030, 7, 10))
    extension.give_up(walking(platform), batch.batch_id, job_id, "RuntimeError: boom")
    stored = platform.batches.get_batch(batch.batch_id)
    assert stored is not None
    assert stored.extension is not None
    assert (stored.extension.state, stored.extension.failure) == ("failed", "RuntimeError: boom")
    assert extension.extend_codes(walking(platform), batch.batch_id, job_id) == "closed"


def test_the_worker_walks_with_several_writers(platform: FakePlatform) -> None:
    event, batch, codes = ready_batch(platform, 300)
    job_id = started(platform, event, batch.batch_id, date(2030, 7, 10))
    assert extension.extend_codes(walking(platform), batch.batch_id, job_id, writers=4) == "done"
    assert all(platform.vouchers.get_voucher(c).valid_until == END for c in codes)  # type: ignore[union-attr]


def test_the_same_extension_asked_again_after_it_stalled_goes_on_where_it_stopped(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extension, "STEP_CHUNKS", 1)
    event, batch, _ = ready_batch(platform, 250)
    job_id = started(platform, event, batch.batch_id, date(2030, 7, 10))
    moves = iter([1.0e9, 0.0])
    assert extension.extend_codes(
        walking(platform), batch.batch_id, job_id, lambda: next(moves)
    ) == ("paused")
    platform.clock.advance(timedelta(minutes=6))  # the message to go on was lost

    again = started(platform, event, batch.batch_id, date(2030, 7, 10))

    assert again == job_id
    assert [job for _, job in platform.batch_queue.extensions] == [job_id, job_id]
    stored = platform.batches.get_batch(batch.batch_id)
    assert stored is not None
    assert stored.extension is not None
    assert (stored.extension.done, stored.extension.next_chunk) == (98, 1)
    assert extension.extend_codes(walking(platform), batch.batch_id, job_id) == "done"


def test_the_rescue_queues_a_stalled_extension_again_and_gives_up_after_five(
    platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extension, "STEP_CHUNKS", 1)
    event, batch, _ = ready_batch(platform, 250)
    _, moving, _ = ready_batch(platform, 5)
    job_id = started(platform, event, batch.batch_id, date(2030, 7, 10))
    moves = iter([1.0e9, 0.0])
    extension.extend_codes(walking(platform), batch.batch_id, job_id, lambda: next(moves))
    platform.batch_queue.extensions.clear()  # the message to go on is lost
    platform.clock.advance(timedelta(minutes=4))
    young = started(platform, event, moving.batch_id, date(2030, 7, 10))  # left alone
    platform.batch_queue.extensions.clear()
    platform.clock.advance(timedelta(minutes=2))

    rescue = extension.rescue_stalled(walking(platform), platform.batch_queue)
    again = extension.rescue_stalled(walking(platform), platform.batch_queue)

    assert (rescue.stalled, rescue.queued, rescue.given_up) == (1, 1, 0)
    assert (again.stalled, again.queued) == (0, 0)  # its progress moved with the rescue
    assert platform.batch_queue.extensions == [(batch.batch_id, job_id)]
    assert extension.extend_codes(walking(platform), batch.batch_id, job_id) == "done"
    assert extension.extend_codes(walking(platform), moving.batch_id, young) == "done"

    # one that never moves again is failed after MAX_RESTARTS rescues
    _, stuck, _ = ready_batch(platform, 5)
    lost = started(platform, event, stuck.batch_id, date(2030, 7, 10))
    for _ in range(extension.MAX_RESTARTS + 1):
        platform.clock.advance(timedelta(minutes=6))
        last = extension.rescue_stalled(walking(platform), platform.batch_queue)
    assert last.given_up == 1
    failed = platform.batches.get_batch(stuck.batch_id)
    assert failed is not None
    assert failed.extension is not None
    assert (failed.extension.job_id, failed.extension.state) == (lost, "failed")
    assert "restarts" in (failed.extension.failure or "")

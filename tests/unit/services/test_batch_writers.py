"""The batch worker writes its chunks of codes from several threads (issue 12, item 2), on the
fakes: every code once, ``generated`` counted once per chunk, a resumed worker writes only the
chunks that are missing, and the deadline still pauses it.
"""

from __future__ import annotations

import contextvars
import threading
import time
from datetime import timedelta
from typing import Any

import pytest

from tests.fakes.platform import FakePlatform
from tests.unit.services.test_batch_rescue import countdown, ordered
from ticketing.domain.voucher_codes import new_code
from ticketing.services.visitor_vouchers import worker
from ticketing.services.visitor_vouchers.batches import batch_file_key
from ticketing.settings import Settings, scoped_environment, settings


def work(platform: FakePlatform, batch_id: str, writers: int, seconds_left: Any = None) -> Any:
    return worker.run(
        platform.batches,
        platform.events,
        platform.documents,
        platform.clock,
        batch_id,
        seconds_left,
        writers=writers,
    )


def test_several_writers_write_every_chunk_once_at_the_same_time(monkeypatch: Any) -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 101)
    write = platform.batches.write_codes
    busy, most, lock = [0], [0], threading.Lock()

    def slow_write(*args: Any, **kwargs: Any) -> None:
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.005)
        try:
            write(*args, **kwargs)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(platform.batches, "write_codes", slow_write)

    done = work(platform, batch.batch_id, writers=4)

    assert done.outcome == "ready"
    assert (done.batch.status, done.batch.generated) == ("ready", 101)
    codes = list(platform.batches.batch_codes(batch.batch_id))
    assert len(codes) == len(set(codes)) == 101
    assert platform.batches.written_chunks(batch.batch_id) == set(range(26))
    assert 1 < most[0] <= 4


def test_a_resumed_worker_writes_only_the_missing_chunks(monkeypatch: Any) -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 10)
    # an earlier attempt wrote the last chunk first, then stopped
    earlier = [new_code(), new_code()]
    platform.batches.write_codes(batch, 2, earlier)
    write = platform.batches.write_codes
    chunks: list[int] = []

    def counted(batch: Any, chunk: int, codes: Any, at: Any = None) -> None:
        chunks.append(chunk)
        write(batch, chunk, codes, at=at)

    monkeypatch.setattr(platform.batches, "write_codes", counted)

    done = work(platform, batch.batch_id, writers=3)

    assert sorted(chunks) == [0, 1]
    assert (done.outcome, done.batch.generated) == ("ready", 10)
    codes = list(platform.batches.batch_codes(batch.batch_id))
    assert len(set(codes)) == 10
    assert codes[-2:] == earlier


def test_parallel_writers_still_pause_before_the_deadline_and_resume() -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 100)

    first = work(platform, batch.batch_id, writers=4, seconds_left=countdown(20, 1))

    assert first.outcome == "paused"
    halfway = platform.batches.get_batch(batch.batch_id)
    assert halfway is not None
    assert 0 < halfway.generated < 100
    assert halfway.generated == 4 * len(platform.batches.written_chunks(batch.batch_id))

    done = work(platform, batch.batch_id, writers=4)
    assert (done.outcome, done.batch.generated) == ("ready", 100)
    assert len(set(platform.batches.batch_codes(batch.batch_id))) == 100


def test_the_number_of_writers_comes_from_the_environment() -> None:
    assert Settings(env={}).code_writers == 8
    assert Settings(env={"CODE_WRITERS": "16"}).code_writers == 16
    assert Settings(env={"CODE_WRITERS": "0"}).code_writers == 1
    with pytest.raises(RuntimeError, match="CODE_WRITERS"):
        _ = Settings(env={"CODE_WRITERS": "many"}).code_writers


def test_a_big_batch_fans_out_into_shares_and_the_last_share_finishes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker, "FAN_OUT_ABOVE", 20)
    monkeypatch.setattr(worker, "SHARE_CODES", 12)
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 30)  # 8 chunks, 3 a share
    queue = platform.batch_queue

    def deliver(share: Any = None) -> Any:
        return worker.run(
            *(platform.batches, platform.events, platform.documents, platform.clock),
            batch.batch_id,
            writers=2,
            fan_out=queue,
            share=share,
        )

    assert deliver().outcome == "fanned out"
    assert queue.shares == [
        (batch.batch_id, (0, 3)),
        (batch.batch_id, (3, 6)),
        (batch.batch_id, (6, 8)),
    ]
    assert platform.batches.get_batch(batch.batch_id).generated == 0  # type: ignore[union-attr]

    last, first, middle = (share for _, share in queue.shares[2::-1])
    assert (deliver(last).outcome, deliver(first).outcome) == ("share written", "share written")
    queue.shares.clear()
    assert deliver().outcome == "fanned out"  # again (a rescue): only the share still missing
    assert queue.shares == [(batch.batch_id, middle)]
    assert deliver(first).outcome == "share written"  # a repeated share writes nothing

    done = deliver(middle)

    assert (done.outcome, done.batch.status, done.batch.generated) == ("ready", "ready", 30)
    codes = list(platform.batches.batch_codes(batch.batch_id))
    assert len(codes) == len(set(codes)) == 30
    assert deliver(middle).outcome == "closed"


def test_the_writers_see_the_settings_of_the_running_function(monkeypatch: Any) -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 40)
    write = platform.batches.write_codes
    seen: set[str | None] = set()

    def noting(*args: Any, **kwargs: Any) -> None:
        seen.add(settings().env.get("TABLE_NAME"))
        write(*args, **kwargs)

    monkeypatch.setattr(platform.batches, "write_codes", noting)
    with scoped_environment({**settings().env, "TABLE_NAME": "the-functions-own"}):
        assert work(platform, batch.batch_id, writers=4).outcome == "ready"

    assert seen == {"the-functions-own"}


def test_of_two_shares_finishing_together_one_writes_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker, "FAN_OUT_ABOVE", 20)
    monkeypatch.setattr(worker, "SHARE_CODES", 12)
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 24)  # 6 chunks: two shares of 3
    store = platform.batches
    together = threading.Barrier(2, timeout=5)
    written = threading.local()
    write, claim = store.write_codes, store.touch_batch
    files: list[str] = []
    write_file = worker.write_batch_file

    def last_chunks_together(*args: Any, **kwargs: Any) -> None:
        write(*args, **kwargs)
        written.chunks = getattr(written, "chunks", 0) + 1
        if written.chunks == 3:  # each share waits for the other: both see the batch whole
            together.wait()

    def claim_together(*args: Any, **kwargs: Any) -> bool:
        together.wait()
        return claim(*args, **kwargs)

    def counted_file(*args: Any, **kwargs: Any) -> None:
        files.append(threading.current_thread().name)
        write_file(*args, **kwargs)

    monkeypatch.setattr(store, "write_codes", last_chunks_together)
    monkeypatch.setattr(store, "touch_batch", claim_together)
    monkeypatch.setattr(worker, "write_batch_file", counted_file)
    outcomes: list[str] = []

    def deliver(share: tuple[int, int]) -> None:
        run = worker.run(
            *(store, platform.events, platform.documents, platform.clock),
            batch.batch_id,
            share=share,
        )
        outcomes.append(run.outcome)

    shares = [  # each in a copy of this context: the test's settings hold in its thread
        threading.Thread(target=contextvars.copy_context().run, args=(deliver, s))
        for s in ((0, 3), (3, 6))
    ]
    for thread in shares:
        thread.start()
    for thread in shares:
        thread.join()

    assert sorted(outcomes) == ["file elsewhere", "ready"]
    assert len(files) == 1
    done = store.get_batch(batch.batch_id)
    assert done is not None
    assert (done.status, done.generated) == ("ready", 24)
    assert platform.db.figures[batch.exhibitor_id]["issued"] == 24


def test_a_claim_of_the_file_whose_worker_died_is_taken_over_once_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = FakePlatform(codes_per_write=4)
    batch = ordered(platform, 10)
    write_file = worker.write_batch_file

    def dying(*args: Any, **kwargs: Any) -> None:
        raise TimeoutError("the Lambda's time ran out in the file")

    monkeypatch.setattr(worker, "write_batch_file", dying)
    with pytest.raises(TimeoutError):
        work(platform, batch.batch_id, writers=1)
    monkeypatch.setattr(worker, "write_batch_file", write_file)
    claimed = platform.batches.get_batch(batch.batch_id)
    assert claimed is not None
    assert (claimed.step, claimed.generated) == ("writing_file", 10)

    platform.clock.advance(timedelta(minutes=4))
    assert work(platform, batch.batch_id, writers=1).outcome == "file elsewhere"  # still fresh
    platform.clock.advance(timedelta(minutes=2))
    platform.batch_queue.batch_ids.clear()
    rescued = worker.rescue_stalled(platform.batches, platform.batch_queue, platform.clock)
    assert (rescued.queued, platform.batch_queue.batch_ids) == (1, [batch.batch_id])

    done = work(platform, batch.batch_id, writers=1)

    assert done.outcome == "ready"
    assert done.batch is not None
    assert done.batch.status == "ready"
    assert platform.documents.exists(batch_file_key(done.batch))

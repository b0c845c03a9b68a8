"""A big batch fans out into shares, one queue message each, written in parallel writers and
finished by the share that completes it (issue 12, item 2). On the moto account, through the
worker's handler and the batch queue."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.validate import ParamValidationDecorator

from tests.conftest import Aws, load_event, load_function
from tests.integration.helpers import workbook_rows
from tests.integration.test_batch_rescue_handlers import seeded, stored  # noqa: F401
from tests.integration.test_voucher_handlers import order_batch, run_worker, worker_event


def test_a_big_batch_is_written_in_shares_by_several_messages(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ticketing.adapters.voucher_batch_store import CODES_PER_WRITE, DynamoBatchStore
    from ticketing.services.visitor_vouchers import worker

    monkeypatch.setattr(worker, "FAN_OUT_ABOVE", 100)
    monkeypatch.setattr(worker, "SHARE_CODES", 2 * CODES_PER_WRITE)
    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 250)

    assert run_worker(seeded, lambda_context) == [batch_id]  # it fans out
    assert stored(batch_id).generated == 0
    shares = seeded.receive_all("VoucherBatchQueue")
    assert sorted(json.loads(m["Body"])["chunks"] for m in shares) == [[0, 2], [2, 3]]
    worker_function = load_function("voucher_worker")
    for message in shares:
        assert worker_function.handler(worker_event(message), lambda_context) == {
            "batchItemFailures": []
        }

    assert (stored(batch_id).status, stored(batch_id).generated) == ("ready", 250)
    codes = list(DynamoBatchStore().batch_codes(batch_id))
    assert len(codes) == len(set(codes)) == 250
    assert DynamoBatchStore().written_chunks(batch_id) == {0, 1, 2}


def test_a_share_that_loses_the_claim_of_the_file_stops_and_a_dead_claim_is_taken_over(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ticketing import clock
    from ticketing.adapters.voucher_batch_store import CODES_PER_WRITE, DynamoBatchStore
    from ticketing.services.visitor_vouchers import worker

    monkeypatch.setattr(worker, "FAN_OUT_ABOVE", 100)
    monkeypatch.setattr(worker, "SHARE_CODES", 2 * CODES_PER_WRITE)
    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 250)
    assert run_worker(seeded, lambda_context) == [batch_id]  # it fans out
    first, last = sorted(
        seeded.receive_all("VoucherBatchQueue"), key=lambda m: json.loads(m["Body"])["chunks"]
    )
    files: list[str] = []
    write_file = worker.write_batch_file

    def counted_file(*args: Any, **kwargs: Any) -> None:
        files.append(batch_id)
        write_file(*args, **kwargs)

    monkeypatch.setattr(worker, "write_batch_file", counted_file)
    worker_function = load_function("voucher_worker")
    assert worker_function.handler(worker_event(last), lambda_context) == {"batchItemFailures": []}
    claim = DynamoBatchStore.touch_batch

    def the_other_share_first(store: Any, *args: Any, **kwargs: Any) -> bool:
        # the other share saw the batch whole at the same moment and claimed the file first
        # (and its Lambda dies before it writes the file)
        assert claim(DynamoBatchStore(), batch_id, clock.current().now()) is True
        return claim(store, *args, **kwargs)

    with monkeypatch.context() as racing:
        racing.setattr(DynamoBatchStore, "touch_batch", the_other_share_first)
        answer = worker_function.handler(worker_event(first), lambda_context)

    assert answer == {"batchItemFailures": []}
    assert files == []  # the share that lost the claim wrote no file
    claimed = stored(batch_id)
    assert (claimed.status, claimed.step, claimed.generated) == ("generating", "writing_file", 250)

    rescue, scheduled = load_function("batch_rescue"), load_event("batch_rescue/scheduled.json")
    seeded.clock.advance(timedelta(minutes=6))  # the claim is older than the worker's timeout
    assert rescue.handler(scheduled, lambda_context)["queued"] == 1
    assert run_worker(seeded, lambda_context) == [batch_id]

    assert files == [batch_id]
    assert stored(batch_id).status == "ready"
    xlsx = seeded.clients["s3"].get_object(
        Bucket=seeded.environment["DOCUMENTS_BUCKET"],
        Key=f"vouchers/{stored(batch_id).exhibitor_id}/{batch_id}.xlsx",
    )
    _, *rows = workbook_rows(xlsx["Body"].read())
    assert len(rows) == 250


def test_the_store_lets_one_claim_the_file_and_takes_over_only_a_stale_claim(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    store = DynamoBatchStore()
    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 20)
    at = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)

    assert store.touch_batch(batch_id, at) is True
    assert store.touch_batch(batch_id, at) is False  # claimed: by another at the same moment
    assert store.touch_batch(batch_id, at + timedelta(minutes=1), stale=at) is False
    later = at + timedelta(minutes=6)
    assert store.touch_batch(batch_id, later, stale=at + timedelta(microseconds=1)) is True
    assert (stored(batch_id).step, stored(batch_id).step_at) == ("writing_file", later)
    store.fail_batch(batch_id, later, "given up")
    assert store.touch_batch(batch_id, later + timedelta(hours=1), stale=later) is False


def test_only_the_code_writes_go_through_the_client_without_parameter_validation(
    seeded: Aws,  # noqa: F811
    lambda_context: Any,
) -> None:
    from ticketing.adapters import aws

    checked, unchecked = aws.dynamodb(), aws.dynamodb_unvalidated()
    # botocore validates in a decorator around the serializer (its config does not say)
    assert isinstance(checked._serializer, ParamValidationDecorator)  # type: ignore[attr-defined]
    assert not isinstance(unchecked._serializer, ParamValidationDecorator)  # type: ignore[attr-defined]
    for setting in ("retries", "connect_timeout", "read_timeout", "max_pool_connections"):
        assert getattr(unchecked.meta.config, setting) == getattr(checked.meta.config, setting)
    calls: dict[str, list[str]] = {"checked": [], "unchecked": []}
    for name, client in (("checked", checked), ("unchecked", unchecked)):
        client.meta.events.register(
            "before-call.dynamodb", lambda model, seen=calls[name], **_: seen.append(model.name)
        )

    batch_id = order_batch(load_function("voucher_batches"), lambda_context, 250)
    assert run_worker(seeded, lambda_context) == [batch_id]

    assert stored(batch_id).status == "ready"
    assert calls["unchecked"] == ["TransactWriteItems"] * 3  # the three chunks of codes
    assert "TransactWriteItems" in calls["checked"]  # finishing the batch: validated

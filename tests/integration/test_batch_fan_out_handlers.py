"""A big batch fans out into shares, one queue message each, written in parallel writers and
finished by the share that completes it (issue 12, item 2). On the moto account, through the
worker's handler and the batch queue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Aws, load_function
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

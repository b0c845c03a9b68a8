"""Deferred stores: made on first use, so that the privacy functions' cold start loads only the
stores a request touches (adapters/deferred.py, adapters/privacy_desks.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ticketing.adapters.deferred import deferred, made

ROOT = Path(__file__).resolve().parents[2]


class _Store:
    def __init__(self, made_log: list[str]) -> None:
        made_log.append("made")
        self.name = "orders"

    def get(self, key: str) -> str:
        return f"{self.name}:{key}"


def test_a_deferred_store_is_made_on_first_use_and_once() -> None:
    log: list[str] = []
    store = deferred(lambda: _Store(log))
    assert log == []
    assert not made(store)
    assert store.get("1") == "orders:1"
    assert store.get("2") == "orders:2"
    assert store.name == "orders"
    assert log == ["made"]
    assert made(store)


def test_a_plain_object_counts_as_made() -> None:
    assert made(_Store([]))


def test_a_failing_maker_fails_each_use_and_is_tried_again() -> None:
    attempts: list[int] = []

    def make() -> _Store:
        attempts.append(1)
        raise RuntimeError("no table")

    store = deferred(make)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="no table"):
            store.get("1")
    assert len(attempts) == 2
    assert not made(store)


KIND_MODULES = (
    "ticketing.domain.orders",
    "ticketing.domain.gift_vouchers",
    "ticketing.domain.invitations",
    "ticketing.domain.visitor_vouchers",
    "ticketing.domain.parties",
    "ticketing.domain.gift_parties",
    "ticketing.adapters.order_store",
    "ticketing.adapters.personal_gifts",
)


@pytest.mark.parametrize("function", ["privacy", "erasure_worker", "retention"])
def test_the_privacy_functions_import_no_store_of_a_kind(function: str) -> None:
    """Importing the handler loads none of the kinds' models: each comes with its store."""
    code = (
        f"import sys, json; sys.path.insert(0, {str(ROOT / 'functions' / function)!r}); "
        f"import app; print(json.dumps([m for m in {KIND_MODULES!r} if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert json.loads(done.stdout) == []

"""Use cases on the in-memory fakes: no moto, no network (``tests/unit/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.platform import FakePlatform
from ticketing.settings import scoped_environment

# what the use cases may read from the environment: the public pages' address, nothing of AWS
ENVIRONMENT = {"PUBLIC_BASE_URL": "https://tickets.example"}


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    with scoped_environment(ENVIRONMENT):
        yield


@pytest.fixture(autouse=True)
def no_figures_left_over() -> Iterator[None]:
    # use cases count business figures in one process-wide set; a handler would write them
    from ticketing.observability import metrics

    yield
    metrics.clear_metrics()


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform()

"""The guard of ``tests/unit/conftest.py``: a unit test that reaches for a network fails."""

from __future__ import annotations

import contextlib
import socket
import urllib.request

import pytest

from tests.unit.conftest import NetworkRefused


def test_a_unit_test_cannot_open_a_socket_or_connect(no_network: list[str]) -> None:
    with pytest.raises(NetworkRefused):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkRefused):
        socket.create_connection(("example.org", 443))
    with pytest.raises(NetworkRefused):
        urllib.request.urlopen("http://example.org/", timeout=1)

    assert len(no_network) == 3
    no_network.clear()  # refused as it should be: this test itself passes


def test_a_refusal_the_code_swallowed_is_still_on_record(no_network: list[str]) -> None:
    # as a use case that parks its mail when the queue fails would
    with contextlib.suppress(Exception):
        socket.create_connection(("sqs.eu-central-1.amazonaws.com", 443))

    assert no_network == ["socket.create_connection(('sqs.eu-central-1.amazonaws.com', 443))"]
    no_network.clear()  # the guard fails a test with anything on record when it ends

"""Unit tests run without a network: a test that opens a socket fails, loudly.

The guard refuses ``socket.socket``, ``socket.create_connection`` and name lookups. Code under
test may swallow the refusal (a use case that parks mail when the queue fails does), so the
test is also failed afterwards if it tried at all.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest


class NetworkRefused(RuntimeError):
    """A unit test reached for the network."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuses the network; yields what the test reached for (a test of the guard clears it)."""
    reached: list[str] = []

    def refuse(what: str) -> NetworkRefused:
        reached.append(what)
        return NetworkRefused(f"unit tests have no network: {what}")

    class RefusedSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise refuse(f"socket.socket{args}")

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        raise refuse(f"socket.create_connection({address!r})")

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        raise refuse(f"socket.getaddrinfo({host!r}, {port!r})")

    monkeypatch.setattr(socket, "socket", RefusedSocket)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield reached
    if reached:
        pytest.fail(f"this unit test reached for the network: {'; '.join(reached)}")

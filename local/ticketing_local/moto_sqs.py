"""SQS on moto at SQS's cost: a ``SendMessage`` does not walk the queue.

moto's ``send_message`` reads ``queue.attributes`` (for ``ContentBasedDeduplication``), and
that property counts the queue's messages three times (visible, delayed, in flight), asking
the clock for each message: a send costs O(messages waiting). 10,000 mails queued by one
invitation list cost 10,000 x 5,000 such looks on average; SQS itself answers a send in
constant time. Here the three counts answer 0 while moto sends (in that thread only); nothing
in a send reads them, and ``GetQueueAttributes`` still counts as moto does.
"""

from __future__ import annotations

import threading
from typing import Any

COUNTS = (
    "approximate_number_of_messages",
    "approximate_number_of_messages_delayed",
    "approximate_number_of_messages_not_visible",
)
_sending = threading.local()
_originals: dict[str, Any] = {}


def install() -> None:
    """Patch moto's ``SQSBackend.send_message`` and the queue's counts (idempotent)."""
    from moto.sqs.models import Queue, SQSBackend

    if _originals:
        return
    _originals["send_message"] = SQSBackend.send_message
    for name in COUNTS:
        _originals[name] = getattr(Queue, name)
        setattr(Queue, name, property(_count(_originals[name].fget)))
    SQSBackend.send_message = _send_message  # type: ignore[method-assign]


def uninstall() -> None:
    """moto's own send and counts again (tests compare the two)."""
    from moto.sqs.models import Queue, SQSBackend

    if not _originals:
        return
    SQSBackend.send_message = _originals.pop("send_message")  # type: ignore[method-assign]
    for name in COUNTS:
        setattr(Queue, name, _originals.pop(name))


def _count(original: Any) -> Any:
    def count(self: Any) -> int:
        if getattr(_sending, "depth", 0):
            return 0  # moto's send reads the attributes, never these counts
        return int(original(self))

    return count


def _send_message(self: Any, *args: Any, **kwargs: Any) -> Any:
    _sending.depth = getattr(_sending, "depth", 0) + 1
    try:
        return _originals["send_message"](self, *args, **kwargs)
    finally:
        _sending.depth -= 1

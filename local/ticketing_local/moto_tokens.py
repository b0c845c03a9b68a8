"""``ClientRequestToken`` on moto as DynamoDB has it: a transaction repeated with the same
token within 10 minutes succeeds without being applied again.

botocore retries a ``TransactWriteItems`` whose answer it did not get (a timeout, a 500) with
the same parameters. Without a token, a retry of a transaction that was in fact applied fails
on its own conditions (the order it just wrote exists), and a write that succeeded would be
answered as a conflict. The adapters send a fresh token per transaction (the retry carries the
same one); DynamoDB answers a repeat with success, and so does the local stack here. A token
reused with other items is refused with ``IdempotentParameterMismatchException``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from typing import Any

TOKEN_SECONDS = 600.0  # DynamoDB keeps a token 10 minutes
_MAX_TOKENS = 100_000

_seen: dict[str, tuple[str, float, Any]] = {}  # token -> (digest of the items, when, answer)
_lock = threading.Lock()
_original: list[Any] = []


def install() -> None:
    """Wrap moto's ``TransactWriteItems`` handler (idempotent)."""
    from moto.dynamodb.responses import DynamoHandler

    if _original:
        return
    _original.append(DynamoHandler.transact_write_items)
    DynamoHandler.transact_write_items = _transact_write_items  # type: ignore[method-assign]


def _transact_write_items(self: Any) -> Any:
    token = self.body.get("ClientRequestToken")
    if not token:
        return _original[0](self)
    digest = hashlib.sha256(
        json.dumps(self.body.get("TransactItems"), sort_keys=True).encode()
    ).hexdigest()
    now = time.monotonic()
    with _lock:
        seen = _seen.get(token)
        if seen is not None and now - seen[1] < TOKEN_SECONDS:
            if seen[0] != digest:
                from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException

                raise DynamodbException(
                    ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
                    message="the ClientRequestToken was used before with other items",
                )
            return seen[2]
    answer = _original[0](self)
    with _lock:
        if len(_seen) >= _MAX_TOKENS:
            _seen.clear()
        _seen[token] = (digest, now, answer)
    return answer

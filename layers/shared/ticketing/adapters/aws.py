"""boto3 clients: created on first use, with bounded ``standard`` retries.

botocore's default ``legacy`` mode keeps a throttled call retrying for ~25 s, past an API's
deadline; ``standard`` with a few attempts fails fast enough for the caller to answer.
``AWS_ENDPOINT_URL`` (honoured by boto3) points the same code at the local stack.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ticketing.settings import settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_sesv2.client import SESV2Client
    from mypy_boto3_sqs.client import SQSClient

_clients: dict[str, Any] = {}
_lock = threading.Lock()


def _client(service: str, validated: bool = True) -> Any:
    name = service if validated else f"{service}/unvalidated"
    client = _clients.get(name)
    if client is None:
        with _lock:
            client = _clients.get(name)
            if client is None:
                import boto3
                from botocore.config import Config

                config = Config(
                    retries={"mode": "standard", "max_attempts": settings().aws_max_attempts},
                    connect_timeout=3,
                    read_timeout=10,
                    # a connection per code writer (botocore keeps 10 and opens, then drops,
                    # one more per call beyond them)
                    max_pool_connections=max(10, settings().code_writers),
                    parameter_validation=validated,
                )
                client = boto3.session.Session().client(service, config=config)  # type: ignore[call-overload]
                _clients[name] = client
    return client


def dynamodb() -> DynamoDBClient:
    return _client("dynamodb")  # type: ignore[no-any-return]


def dynamodb_unvalidated() -> DynamoDBClient:
    """DynamoDB without botocore's client-side parameter validation, for the batch worker's
    code-writing transactions only: every field of them is built by the adapters from
    validated models, and DynamoDB validates them again (bench/batch_writers.py measures the
    CPU it saves per 100-item transaction)."""
    return _client("dynamodb", validated=False)  # type: ignore[no-any-return]


def s3() -> S3Client:
    return _client("s3")  # type: ignore[no-any-return]


def sqs() -> SQSClient:
    return _client("sqs")  # type: ignore[no-any-return]


def sesv2() -> SESV2Client:
    return _client("sesv2")  # type: ignore[no-any-return]


def sns() -> Any:
    return _client("sns")


def reset() -> None:
    """Forget every client (tests and the local stack, after changing the environment)."""
    with _lock:
        _clients.clear()

"""An AWS account on moto, built from the template, for benchmarks and scripts.

The same resources and function environment as the local stack, without its HTTP side.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ticketing_local.moto_backend import provision
from ticketing_local.template import REGION, load_template, read_stack

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",  # moto takes any
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


@dataclass
class Account:
    clients: dict[str, Any]
    queue_urls: dict[str, str]


def apply_template(endpoint_url: str | None = None) -> Account:
    """Create the template's resources in the moto at hand (the in-process mock, or the
    server at ``endpoint_url``) and give this process the functions' environment."""
    import boto3

    from ticketing.adapters import aws
    from ticketing.settings import settings

    os.environ.update(CREDENTIALS)
    if endpoint_url:
        os.environ["AWS_ENDPOINT_URL"] = endpoint_url
    else:
        os.environ.pop("AWS_ENDPOINT_URL", None)
    template = load_template()
    clients = {
        name: boto3.client(name, region_name=REGION) for name in ("dynamodb", "s3", "sqs", "ses")
    }
    sender = str(template["Parameters"]["SenderAddress"]["Default"])
    queue_urls = provision(template, clients, sender=sender)
    for function in read_stack(template, queue_urls).functions.values():
        os.environ.update(function.environment)
    settings.cache_clear()
    aws.reset()
    return Account(clients, queue_urls)


@contextmanager
def moto_account() -> Iterator[Account]:
    """An in-process moto account with the template applied (O(items) transactions)."""
    from moto import mock_aws

    from ticketing_local import moto_fast

    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.update(CREDENTIALS)
    moto_fast.install()
    with mock_aws():
        yield apply_template()

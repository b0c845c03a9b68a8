"""The one moto bootstrap: an AWS account on moto, built from the template.

The local stack, the tests' ``aws`` fixture and the benchmarks all start here, so that what
they run on is the same: every table, bucket and queue as the template declares it, DynamoDB
at DynamoDB's cost (``moto_fast``), and each function in its own environment.

The process environment holds only what every function shares (the local endpoint and
credentials, the template's Globals). A function's own variables reach it inside its
invocation (``FunctionPool``, ``ticketing.settings.scoped_environment``), as on Lambda, where
each function has a process of its own.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ticketing_local import moto_fast
from ticketing_local.moto_backend import provision
from ticketing_local.runtime import FunctionPool
from ticketing_local.template import (
    REGION,
    TEMPLATE_PATH,
    Function,
    Stack,
    load_template,
    read_stack,
)

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",  # moto takes any
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}
SERVICES = ("dynamodb", "s3", "sqs", "ses")


@dataclass
class Account:
    """The template applied to a moto: clients, queue URLs, and what each function sees."""

    clients: dict[str, Any]
    queue_urls: dict[str, str]
    stack: Stack
    connection: dict[str, str]  # the endpoint and credentials every function is given

    @property
    def functions(self) -> dict[str, Function]:
        return self.stack.functions

    def environment_of(self, function: str) -> dict[str, str]:
        """What ``function`` sees: the template's Globals and its own variables, with the
        local endpoint and credentials; nothing another function declares."""
        return {**self.functions[function].environment, **self.connection}

    @property
    def environment(self) -> dict[str, str]:
        """Every function's variables together, for code that runs outside any function (a
        test seeding its data, a benchmark calling a service). A variable two functions give
        different values is left out: outside a function, neither value is the right one."""
        merged: dict[str, str] = {}
        disputed: set[str] = set()
        for function in self.functions.values():
            for key, value in function.environment.items():
                if merged.setdefault(key, value) != value:
                    disputed.add(key)
        return {k: v for k, v in merged.items() if k not in disputed} | self.connection

    def pool(self, function: str, limit: int = 1) -> FunctionPool:
        """``function`` as the local stack runs it: its module imported afresh (a cold start),
        each invocation in its own environment."""
        return FunctionPool(self.functions[function], self.environment_of(function), limit)


def apply_template(
    endpoint_url: str | None = None,
    template: dict[str, Any] | None = None,
    parameters: dict[str, str] | None = None,
    template_path: Path = TEMPLATE_PATH,
) -> Account:
    """Create the template's resources in the moto at hand (the in-process mock, or the server
    at ``endpoint_url``); the process environment gets what every function shares.

    ``template`` is the template at ``template_path`` unless given (a test may change one);
    ``parameters`` override its parameters' defaults.
    """
    import boto3

    from ticketing import settings
    from ticketing.adapters import aws

    connection = dict(CREDENTIALS)
    if endpoint_url:
        connection["AWS_ENDPOINT_URL"] = endpoint_url
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        os.environ.pop(name, None)
    os.environ.update(connection)
    if template is None:
        template = load_template(template_path)
    clients: dict[str, Any] = {
        name: boto3.client(name, region_name=REGION, endpoint_url=endpoint_url)  # type: ignore[call-overload]
        for name in SERVICES
    }
    defaults = {k: str(v.get("Default", "")) for k, v in (template.get("Parameters") or {}).items()}
    sender = {**defaults, **(parameters or {})}.get("SenderAddress", "")
    queue_urls = provision(template, clients, sender=sender)
    stack = read_stack(template, queue_urls, parameters, template_dir=template_path.parent)
    os.environ.update(_shared_environment(stack))
    settings.reset()
    aws.reset()
    return Account(clients, queue_urls, stack, connection)


@contextlib.contextmanager
def moto_account(
    endpoint_url: str | None = None,
    template: dict[str, Any] | None = None,
    parameters: dict[str, str] | None = None,
) -> Iterator[Account]:
    """An account for tests, benchmarks and scripts: moto in this process (or the server at
    ``endpoint_url``), with every function's variables in the process environment for the
    code that runs outside a function. The environment is as before when the block ends."""
    from moto import mock_aws

    from ticketing import settings
    from ticketing.adapters import aws

    saved = dict(os.environ)
    if endpoint_url is None:
        moto_fast.install()  # a server installs its own
    mock = mock_aws() if endpoint_url is None else contextlib.nullcontext()
    try:
        with mock:
            account = apply_template(endpoint_url, template, parameters)
            os.environ.update(account.environment)
            settings.reset()
            yield account
    finally:
        os.environ.clear()
        os.environ.update(saved)
        settings.reset()
        aws.reset()


def _shared_environment(stack: Stack) -> dict[str, str]:
    """The Globals' variables, which go into the process environment: Powertools reads its
    own from there, and every function runs in this one process here."""
    for function in stack.functions.values():
        for key, value in stack.global_environment.items():
            own = function.environment.get(key)
            if own != value:
                raise ValueError(
                    f"{function.logical_id} sets {key}={own!r} over the Globals' {value!r}; "
                    "locally all functions share one process, where the Globals' variables "
                    "are the process environment, so a function cannot change one"
                )
    return dict(stack.global_environment)

"""Configuration from the environment the template sets, parsed once, on first use.

Importing a handler reads nothing; the first call that needs a value reads the environment.
A missing variable is an error that names it, not a KeyError deep inside boto3.

On Lambda each function has a process of its own. The local stack and the tests run every
function in one process, and each invocation must still see its own function's variables only
(a variable missing from one function must fail there, not be lent by another): they run an
invocation inside ``scoped_environment``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping


class MissingSetting(RuntimeError):
    def __init__(self, name: str) -> None:
        super().__init__(f"environment variable {name} is not set (see infra/template.yaml)")
        self.name = name


@dataclass(frozen=True, slots=True)
class Settings:
    env: dict[str, str]

    def _require(self, name: str) -> str:
        value = self.env.get(name, "").strip()
        if not value:
            raise MissingSetting(name)
        return value

    @property
    def table_name(self) -> str:
        return self._require("TABLE_NAME")

    @property
    def documents_bucket(self) -> str:
        return self._require("DOCUMENTS_BUCKET")

    @property
    def documents_lock_mode(self) -> str:
        """S3 Object Lock mode of the documents that must be kept (invoices)."""
        mode = self._require("DOCUMENTS_LOCK_MODE").upper()
        if mode not in ("GOVERNANCE", "COMPLIANCE"):
            raise RuntimeError(f"DOCUMENTS_LOCK_MODE must be GOVERNANCE or COMPLIANCE, not {mode}")
        return mode

    @property
    def mail_queue_url(self) -> str:
        return self._require("MAIL_QUEUE_URL")

    @property
    def mail_dead_letter_queue_url(self) -> str:
        return self._require("MAIL_DLQ_URL")

    @property
    def voucher_batch_queue_url(self) -> str:
        return self._require("VOUCHER_BATCH_QUEUE_URL")

    @property
    def gift_bulk_queue_url(self) -> str:
        return self._require("GIFT_BULK_QUEUE_URL")

    @property
    def notification_queue_url(self) -> str:
        """The fan-out of approved notifications to ticket holders (issue 15)."""
        return self._require("NOTIFICATION_QUEUE_URL")

    @property
    def review_mail(self) -> str:
        """Where the platform's reviewers are told of a submitted notification (issue 15)."""
        return self._require("REVIEW_MAIL")

    @property
    def mail_from(self) -> str:
        return self._require("MAIL_FROM")

    @property
    def mail_configuration_set(self) -> str:
        """The SES configuration set whose events (bounces, complaints) reach SNS; empty: none."""
        return self.env.get("MAIL_CONFIGURATION_SET", "").strip()

    @property
    def person_index_key(self) -> bytes:
        """The HMAC key of the person index (issue 17): a person's digest, never their address."""
        return self._require("PERSON_INDEX_KEY").encode()

    @property
    def erasure_queue_url(self) -> str:
        return self._require("ERASURE_QUEUE_URL")

    @property
    def public_base_url(self) -> str:
        """Where customers reach the public pages (self-service, ticket links)."""
        return self._require("PUBLIC_BASE_URL").rstrip("/")

    @property
    def aws_max_attempts(self) -> int:
        raw = self.env.get("AWS_CALL_MAX_ATTEMPTS", "3")
        try:
            attempts = int(raw)
        except ValueError:
            raise RuntimeError(
                f"AWS_CALL_MAX_ATTEMPTS must be a whole number, not {raw!r}"
            ) from None
        return max(1, min(attempts, 10))

    @property
    def code_writers(self) -> int:
        """How many chunks of voucher codes the batch worker writes at a time (1 to 32)."""
        raw = self.env.get("CODE_WRITERS", "8")
        try:
            writers = int(raw)
        except ValueError:
            raise RuntimeError(f"CODE_WRITERS must be a whole number, not {raw!r}") from None
        return max(1, min(writers, 32))


# A context variable, not a global: the local stack serves requests on many threads at once,
# and each thread's invocation keeps its own function's settings.
_scoped: ContextVar[Settings | None] = ContextVar("ticketing_settings", default=None)


def settings() -> Settings:
    """The running function's settings: its scoped environment, else the process's."""
    scoped = _scoped.get()
    return scoped if scoped is not None else _from_process()


@cache
def _from_process() -> Settings:
    return Settings(env=dict(os.environ))


def reset() -> None:
    """Read the process environment again on next use (after a test or script changed it)."""
    _from_process.cache_clear()


@contextmanager
def scoped_environment(variables: Mapping[str, str]) -> Iterator[Settings]:
    """Within the block, settings on this thread come from ``variables`` alone."""
    scoped = Settings(env=dict(variables))
    token = _scoped.set(scoped)
    try:
        yield scoped
    finally:
        _scoped.reset(token)

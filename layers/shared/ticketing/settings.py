"""Configuration from the environment the template sets, parsed once, on first use.

Importing a handler reads nothing; the first call that needs a value reads the environment.
A missing variable is an error that names it, not a KeyError deep inside boto3.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache


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
    def mail_queue_url(self) -> str:
        return self._require("MAIL_QUEUE_URL")

    @property
    def mail_dead_letter_queue_url(self) -> str:
        return self._require("MAIL_DLQ_URL")

    @property
    def voucher_batch_queue_url(self) -> str:
        return self._require("VOUCHER_BATCH_QUEUE_URL")

    @property
    def mail_from(self) -> str:
        return self._require("MAIL_FROM")

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


@cache
def settings() -> Settings:
    return Settings(env=dict(os.environ))

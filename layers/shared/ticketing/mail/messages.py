"""The mail request that travels on the mail queue from a use case to the mailer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ticketing.i18n.languages import Language

Template = Literal[
    "organizer_welcome",
    "exhibitor_welcome",
    "order_confirmation",
    "self_service_link",
    "event_reminder",
    "voucher_reminder",
    "batch_ready",
]


class MailRequest(BaseModel):
    """Ask for one transactional mail. ``context`` holds what the template shows."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    template: Template
    to: list[str] = Field(min_length=1, max_length=50)
    language: Language = "en"
    context: dict[str, str] = Field(default_factory=dict)
    # Lets the mailer drop a second delivery of the same request (SQS is at-least-once).
    request_id: str = Field(min_length=1, max_length=100)
    # Mail about an order is composed from the order when it is sent (documents attached).
    order_number: str | None = Field(default=None, max_length=40)

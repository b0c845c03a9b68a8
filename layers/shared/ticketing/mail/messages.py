"""The mail request that travels on the mail queue from a use case to the mailer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ticketing.i18n.languages import Language

Template = Literal[
    "organizer_welcome",
    "exhibitor_welcome",
    "order_confirmation",
    "self_service_link",
    "event_reminder",
    "voucher_reminder",
    "batch_ready",
    "gift_voucher",
    "console_sign_in",
    "console_invitation",
    "marketing_confirmation",
    "notification",
    # issue 15 items 1-2: the reviewer is told of a submitted notification, the organizer of
    # the review's answer (rejected, or a question)
    "notification_submitted",
    "notification_reviewed",
    # issue 17: a customer's own privacy request: the link to confirm it, the export's link
    "privacy_link",
    "privacy_export",
]

# Issue 15: every mail has a class. All but ``marketing`` are transactional; ``account`` is the
# platform's own mail to organizers, exhibitors and staff (welcome, sign-in, invitations).
# ``services.mail_policy.decide`` says, for one class and address, whether the mail goes out.
MailClass = Literal[
    "confirmation",
    "resend",
    "self_service_link",
    "receipt",
    "reminder",
    "information",
    "account",
    "marketing",
]
TRANSACTIONAL: frozenset[str] = frozenset(
    {"confirmation", "resend", "self_service_link", "receipt", "reminder", "information"}
    | {"account"}
)
# the class of a request that does not name one; a notification must name its own
TEMPLATE_CLASS: dict[str, MailClass] = {
    "organizer_welcome": "account",
    "exhibitor_welcome": "account",
    "order_confirmation": "confirmation",
    "self_service_link": "self_service_link",
    "event_reminder": "reminder",
    "voucher_reminder": "reminder",
    "batch_ready": "account",
    "gift_voucher": "confirmation",
    "console_sign_in": "account",
    "console_invitation": "account",
    "marketing_confirmation": "confirmation",
    "notification_submitted": "account",
    "notification_reviewed": "account",
    "privacy_link": "self_service_link",
    "privacy_export": "self_service_link",
}


class MailRequest(BaseModel):
    """Ask for one mail. ``context`` holds what the template shows; ``mail_class`` (filled
    from the template when not given) decides, in the mailer, whether it may go out."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    template: Template
    to: list[str] = Field(min_length=1, max_length=50)
    language: Language = "en"
    context: dict[str, str] = Field(default_factory=dict)
    # Lets the mailer drop a second delivery of the same request (SQS is at-least-once).
    request_id: str = Field(min_length=1, max_length=100)
    # Mail about an order is composed from the order when it is sent (documents attached).
    order_number: str | None = Field(default=None, max_length=40)
    # issue 15: the class, and the tenant whose consent (reminders, marketing) applies
    mail_class: MailClass | None = None
    organizer_id: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _classed(self) -> MailRequest:
        if self.mail_class is None:
            if self.template not in TEMPLATE_CLASS:
                raise ValueError(f"a {self.template} mail must name its mail_class")
            object.__setattr__(self, "mail_class", TEMPLATE_CLASS[self.template])
        if self.mail_class == "marketing" and (len(self.to) != 1 or not self.organizer_id):
            raise ValueError("a marketing mail goes to one address, with its organizer_id")
        return self

    @property
    def klass(self) -> MailClass:
        """The mail's class (always set once validated)."""
        assert self.mail_class is not None
        return self.mail_class

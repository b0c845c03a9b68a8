"""The ports of mail policy (issue 15): consent, suppressed addresses, the tokens of the
links that change consent, and the mails the policy withheld (shown on their order).

``services.mail_policy.decide`` reads a ``Consent`` and a ``Suppression`` from these stores;
the mailer applies it to every mail, the notification fan-out to count before it queues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.domain.consent import Channel, Consent, ConsentKind, Suppression


class ConsentStore(Protocol):
    """Consent per organizer and address (``domain.consent.address_key``)."""

    def get(self, organizer_id: str, address: str) -> Consent:
        """The address's consent; the defaults (reminders on, marketing off) if none kept."""
        ...

    def change(
        self,
        organizer_id: str,
        address: str,
        what: ConsentKind,
        value: bool,
        at: datetime,
        channel: Channel,
    ) -> Consent:
        """Set ``what`` to ``value`` and append the change to its history (also when it is
        already so: the history shows every request); the consent after the change."""
        ...


class SuppressionStore(Protocol):
    def get(self, address: str) -> Suppression | None: ...

    def suppress(self, suppression: Suppression) -> None:
        """Keep the address suppressed; a later report replaces the reason."""
        ...


TokenPurpose = Literal["marketing_opt_in", "unsubscribe"]


@dataclass(frozen=True, slots=True)
class MailToken:
    """What a link in a mail may do; kept under the sha256 of its secret, never the secret."""

    digest: str
    purpose: TokenPurpose
    organizer_id: str
    address: str
    expires_at: datetime
    order_number: str | None = None
    used_at: datetime | None = None


class MailTokens(Protocol):
    def put(self, token: MailToken) -> None: ...

    def peek(self, digest: str) -> MailToken | None:
        """The token as kept (used or not, expired or not); None when unknown."""
        ...

    def use(self, digest: str, now: datetime) -> MailToken | None:
        """Mark the token used, once (a conditional write): None when it is unknown, used,
        or expired."""
        ...


@dataclass(frozen=True, slots=True)
class WithheldMail:
    """A mail the policy did not send to an address, with why (shown on its order)."""

    request_id: str
    template: str
    mail_class: str
    address: str
    outcome: Literal["suppressed", "no_consent"]
    reason: str  # "complaint", "bounce"; for no_consent: "reminders" or "marketing"
    at: datetime
    order_number: str | None = None


class WithheldMails(Protocol):
    def record(self, withheld: WithheldMail) -> None: ...
    def for_order(self, order_number: str) -> list[WithheldMail]: ...

"""Which mail may go to which address (issue 15, seed 003): decided in one place.

``decide`` is pure: a class, an address's ``Consent`` with the organizer and its
``Suppression`` (if any) give ``Send``, ``Suppressed(reason)`` or ``NoConsent(kind)``:

- a suppressed address (permanent bounce, complaint) gets nothing, whatever the class;
- ``reminder`` needs reminder consent (on by default); ``marketing`` needs marketing consent
  (off by default, on by double opt-in);
- every other class is transactional and always goes out (a confirmation even without
  reminder consent).

``check`` reads both from the stores. The mailer applies it to every mail it sends
(``services.mail.deliver``), so no path can bypass it; the notification fan-out calls
``check`` to count ``suppressed`` before it queues (the mailer checks again when it sends).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from typing import TYPE_CHECKING

from ticketing.domain.consent import Consent, ConsentKind, Suppression, address_key
from ticketing.observability import count, logger
from ticketing.services.ports_mail import (
    ConsentStore,
    MailTokens,
    SuppressionStore,
    WithheldMail,
    WithheldMails,
)

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.mail.messages import MailClass, MailRequest

NEEDS: dict[str, ConsentKind] = {"reminder": "reminders", "marketing": "marketing"}


@dataclass(frozen=True, slots=True)
class Send:
    pass


@dataclass(frozen=True, slots=True)
class Suppressed:
    reason: str  # "bounce" or "complaint"


@dataclass(frozen=True, slots=True)
class NoConsent:
    kind: ConsentKind


Decision = Send | Suppressed | NoConsent


def decide(
    mail_class: MailClass, consent: Consent | None, suppression: Suppression | None
) -> Decision:
    """Whether a mail of ``mail_class`` goes to the address of ``consent``/``suppression``.

    ``consent`` None means no organizer speaks (the platform's own mail): the defaults."""
    if suppression is not None:
        return Suppressed(suppression.reason)
    kind = NEEDS.get(mail_class)
    if kind is None:
        return Send()
    given = consent.given(kind) if consent is not None else kind == "reminders"
    return Send() if given else NoConsent(kind)


@dataclass(frozen=True, slots=True)
class MailPolicy:
    """The stores ``check`` reads."""

    consents: ConsentStore
    suppressions: SuppressionStore


def check(
    policy: MailPolicy, mail_class: MailClass, address: str, organizer_id: str | None
) -> Decision:
    """``decide`` for one address, read from the stores (consent only where it matters)."""
    key = address_key(address)
    suppression = policy.suppressions.get(key)
    if suppression is not None:
        return Suppressed(suppression.reason)
    if mail_class not in NEEDS or organizer_id is None:
        return decide(mail_class, None, None)
    return decide(mail_class, policy.consents.get(organizer_id, key), None)


@dataclass(frozen=True, slots=True)
class Enforcement:
    """What the mailer needs to apply the policy to every mail it sends."""

    policy: MailPolicy
    tokens: MailTokens
    withheld: WithheldMails

    def admit(self, request: MailRequest, now: datetime) -> list[str]:
        """The request's addresses that may get it; each other one is recorded as withheld
        (with why), on the request's order."""
        admitted: list[str] = []
        for to in request.to:
            address = parseaddr(to)[1] or to
            decision = check(self.policy, request.klass, address, request.organizer_id)
            if isinstance(decision, Send):
                admitted.append(to)
                continue
            self.withheld.record(
                WithheldMail(
                    request_id=request.request_id,
                    template=request.template,
                    mail_class=request.klass,
                    address=address_key(address),
                    outcome="suppressed" if isinstance(decision, Suppressed) else "no_consent",
                    reason=decision.reason if isinstance(decision, Suppressed) else decision.kind,
                    at=now,
                    order_number=request.order_number,
                )
            )
            count("MailsWithheld")
            logger.info(
                "mail withheld by the mail policy",
                extra={"request_id": request.request_id, "decision": repr(decision)},
            )
        return admitted

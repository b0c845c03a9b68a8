"""Consent to mail (issue 15, seed 003): the holder's switches, double opt-in, unsubscribing,
the organizer's changes on a customer's request, and suppression from SES reports.

A link in a mail never changes anything by ``GET`` (mail scanners fetch links): its page has
one button whose ``POST`` acts. Link secrets come from ``secrets`` and are kept as their
sha256 only; an opt-in link works once and for seven days, an unsubscribe link for a year
(and as often as it is followed: unsubscribing twice changes nothing).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ticketing.domain.consent import Channel, Consent, ConsentKind, address_key
from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.links import opt_in_url, unsubscribe_url
from ticketing.mail.messages import MailRequest
from ticketing.observability import logger
from ticketing.services.ports_mail import ConsentStore, MailToken, MailTokens, TokenPurpose
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.orders import Order
    from ticketing.services.ports import MailQueue, OrderStore, PortalMails

OPT_IN_VALID = timedelta(days=7)
UNSUBSCRIBE_VALID = timedelta(days=365)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    tokens: MailTokens,
    now: datetime,
    purpose: TokenPurpose,
    organizer_id: str,
    address: str,
    order_number: str | None = None,
) -> str:
    """A new link secret for ``purpose``; only its digest is kept."""
    secret = secrets.token_urlsafe(32)
    valid = OPT_IN_VALID if purpose == "marketing_opt_in" else UNSUBSCRIBE_VALID
    tokens.put(
        MailToken(
            digest=digest(secret),
            purpose=purpose,
            organizer_id=organizer_id,
            address=address_key(address),
            expires_at=now + valid,
            order_number=order_number,
        )
    )
    return secret


def new_unsubscribe_url(
    tokens: MailTokens, now: datetime, organizer_id: str, to: str, language: str | None = None
) -> str:
    """The unsubscribe link the mailer puts into a marketing mail (and its headers)."""
    return unsubscribe_url(issue_token(tokens, now, "unsubscribe", organizer_id, to), language)


@dataclass(frozen=True, slots=True)
class ConsentDesk:
    consents: ConsentStore
    tokens: MailTokens
    orders: OrderStore
    portal_mails: PortalMails
    mail: MailQueue
    clock: Clock


def reminders_on(consent: Consent, order: Order) -> bool:
    """Reminder consent of an order's holder: the consent store once it was ever changed
    there, else what the order kept (switched on its page before consent had a store)."""
    if any(entry.what == "reminders" for entry in consent.history):
        return consent.reminders
    return order.reminders


def consent_of_order(consents: ConsentStore, order: Order) -> Consent:
    return consents.get(order.organizer_id, address_key(order.mail_recipient))


def set_preferences(
    deps: ConsentDesk, order: Order, reminders: bool | None, marketing: bool | None
) -> None:
    """The order page's switches. Reminders change at once (the order keeps a record too);
    marketing off changes at once, marketing on only sends the confirmation mail."""
    now = deps.clock.now()
    org, address = order.organizer_id, address_key(order.mail_recipient)
    consent = deps.consents.get(org, address)
    if reminders is not None and reminders != reminders_on(consent, order):
        deps.consents.change(org, address, "reminders", reminders, now, "order_page")
        if order.reminders != reminders:
            deps.orders.set_reminders(order.order_number, reminders, now)
    if marketing is False and consent.marketing:
        deps.consents.change(org, address, "marketing", False, now, "order_page")
    if marketing and not consent.marketing:
        _ask_for_marketing(deps, order, now)


def _ask_for_marketing(deps: ConsentDesk, order: Order, now: datetime) -> None:
    # the orders' module loads where an order is at hand, not for the organizer's routes
    from ticketing.domain.orders import PORTAL_MAILS_PER_DAY

    if not deps.portal_mails.take_portal_mail(order.order_number, now, PORTAL_MAILS_PER_DAY):
        logger.info("opt-in mail limit reached", extra={"order_number": order.order_number})
        return
    secret = issue_token(
        deps.tokens,
        now,
        "marketing_opt_in",
        order.organizer_id,
        order.mail_recipient,
        order.order_number,
    )
    deps.mail.enqueue(
        MailRequest(
            template="marketing_confirmation",
            mail_class="confirmation",
            organizer_id=order.organizer_id,
            to=[order.mail_recipient],
            language=order.language,
            request_id=f"opt-in-{order.order_number}-{now:%Y%m%dT%H%M%S%f}",
            order_number=order.order_number,
            context={
                "customer_name": order.customer.full_name,
                "confirm_url": opt_in_url(secret, order.language),
            },
        )
    )


def valid_link(tokens: MailTokens, clock: Clock, secret: str, purpose: TokenPurpose) -> MailToken:
    """The token of a link's page (nothing changes); NotFound if unknown, used or expired."""
    token = tokens.peek(digest(secret)) if 20 <= len(secret) <= 100 else None
    if (
        token is None
        or token.purpose != purpose
        or token.expires_at <= clock.now()
        or (purpose == "marketing_opt_in" and token.used_at is not None)
    ):
        raise NotFound("unknown or used link", message_id="problem.consent.link")
    return token


def confirm_opt_in(deps: ConsentDesk, secret: str) -> Consent:
    """The opt-in page's button: marketing consent on, once per link."""
    valid_link(deps.tokens, deps.clock, secret, "marketing_opt_in")
    now = deps.clock.now()
    token = deps.tokens.use(digest(secret), now)
    if token is None:
        raise NotFound("unknown or used link", message_id="problem.consent.link")
    return deps.consents.change(
        token.organizer_id, token.address, "marketing", True, now, "double_opt_in"
    )


def unsubscribe(deps: ConsentDesk, secret: str, channel: Channel) -> Consent:
    """The unsubscribe page's button, or RFC 8058's one-click POST: marketing consent off."""
    token = valid_link(deps.tokens, deps.clock, secret, "unsubscribe")
    consent = deps.consents.get(token.organizer_id, token.address)
    if not consent.marketing:
        return consent
    return deps.consents.change(
        token.organizer_id, token.address, "marketing", False, deps.clock.now(), channel
    )


def change_by_organizer(
    consents: ConsentStore, clock: Clock, organizer_id: str, email: str, wanted: dict[str, bool]
) -> Consent:
    """The organizer changes consent on the customer's request: recorded with its channel."""
    address = address_key(email)
    consent = consents.get(organizer_id, address)
    what: ConsentKind
    for what in ("reminders", "marketing"):
        if what in wanted:
            consent = consents.change(
                organizer_id, address, what, wanted[what], clock.now(), "organizer"
            )
    return consent


def organizer_changes(
    consents: ConsentStore, clock: Clock, principal: Principal, email: str, wanted: dict[str, bool]
) -> Consent:
    """``PUT /customers/consents``: the organizer, on the customer's request, in its tenant."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    return change_by_organizer(consents, clock, principal.organizer_id, email, wanted)


def organizer_reads(consents: ConsentStore, principal: Principal, email: str) -> Consent:
    """``GET /customers/consents``: the state and its history, in the caller's tenant."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    return consents.get(principal.organizer_id, address_key(email))


def consent_view(consent: Consent) -> dict[str, object]:
    return {
        "email": consent.address,
        "reminders": consent.reminders,
        "marketing": consent.marketing,
        "history": [entry.model_dump(mode="json") for entry in consent.history],
    }

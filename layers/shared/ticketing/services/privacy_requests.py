"""The customer's own requests on the portal (issue 17): "send me my data" and "forget me".

The form takes the order number and the e-mail address, as the portal's link request does,
and is answered the same whatever happens (nobody learns whether an order exists or which
address it has); it is throttled like the portal (a miss counts as a guess; at most three
mails per order in 24 hours). On a match the order's own address gets a mail with a link to
a page with one button: a ``GET`` never acts (mail scanners fetch links). Its ``POST`` takes
the link once and starts the erasure under the order's organizer, or queues the export, which
the erasure worker builds and mails as a download link that lives minutes.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from ticketing.domain.emails import mailbox
from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.orders import PORTAL_MAILS_PER_DAY, normalize_order_number
from ticketing.i18n import Language
from ticketing.mail.messages import MailRequest
from ticketing.observability import count
from ticketing.services.erasure import ErasureDesk, request_erasure
from ticketing.services.person_export import ExportDesk, export_person, export_workbook
from ticketing.services.ports_privacy import (
    ExportFiles,
    ExportQueue,
    PrivacyLink,
    PrivacyLinks,
    Purpose,
    export_prefix,
)
from ticketing.services.throttle import Pause, Throttle

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import Attempts, MailQueue, OrderStore, PortalMails

# builds the link of a privacy page from its secret (``links.privacy_url``)
LinkUrl = Callable[[str, Language], str]
LINK_LIVES = timedelta(hours=24)
EXPORT_LINK_SECONDS = 15 * 60  # the mailed download link of a built export
SELF_SERVICE = "customer:self-service"  # who the erasure record says asked


@dataclass(frozen=True, slots=True)
class PrivacyRequestDesk:
    orders: OrderStore
    portal_mails: PortalMails
    attempts: Attempts
    mail: MailQueue
    links: PrivacyLinks
    clock: Clock


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def request_privacy_link(
    deps: PrivacyRequestDesk,
    client: str,
    order_number: str,
    email: str,
    purpose: Purpose,
    link_url: LinkUrl,
    pause: Pause = time.sleep,
) -> None:
    """Mail a link for ``purpose`` to the order's own address, if the pair matches."""
    throttle = Throttle(deps.attempts, deps.clock, client, pause)
    throttle.refuse_if_blocked()
    now = throttle.now
    number = normalize_order_number(order_number)
    order = deps.orders.get_header(number) if number else None
    if order is None or not order.reachable or mailbox(order.mail_recipient) != mailbox(email):
        miss = throttle.missed(NotFound("no match"))
        if not isinstance(miss, NotFound):
            raise miss
        return
    if not deps.portal_mails.take_portal_mail(order.order_number, now, PORTAL_MAILS_PER_DAY):
        return
    secret = secrets.token_urlsafe(32)
    deps.links.put(
        PrivacyLink(
            digest(secret),
            purpose,
            order.organizer_id,
            order.mail_recipient,
            order.language,
            now + LINK_LIVES,
        )
    )
    deps.mail.enqueue(
        MailRequest(
            template="privacy_link",
            to=[order.mail_recipient],
            language=order.language,
            context={"purpose": purpose, "link_url": link_url(secret, order.language)},
            request_id=f"privacy-{purpose}-{order.order_number}-{now:%Y%m%dT%H%M%S%f}",
            organizer_id=order.organizer_id,
        )
    )
    count("PrivacyLinksSent")


def valid_link(links: PrivacyLinks, clock: Clock, secret: str) -> PrivacyLink:
    """The link of a page (nothing changes); NotFound if unknown, used or expired."""
    link = links.peek(digest(secret)) if 20 <= len(secret) <= 100 else None
    if link is None or link.expires_at <= clock.now():
        raise NotFound("unknown or used link", message_id="problem.consent.link")
    return link


def take_link(links: PrivacyLinks, clock: Clock, secret: str) -> PrivacyLink:
    """The page's button: the link is taken once (and its address with it)."""
    valid_link(links, clock, secret)
    link = links.take(digest(secret), clock.now())
    if link is None:
        raise NotFound("unknown or used link", message_id="problem.consent.link")
    return link


def customer_principal(link: PrivacyLink) -> Principal:
    """Who starts an erasure the customer confirmed: their organizer's tenant, no key."""
    return Principal(Role.ORGANIZER, SELF_SERVICE, link.organizer_id, SELF_SERVICE)


def confirm(
    deps: PrivacyRequestDesk, erasures: ErasureDesk, exports: ExportQueue, secret: str
) -> Purpose:
    """The page's button: the link is taken, then the erasure starts or the export is queued."""
    link = take_link(deps.links, deps.clock, secret)
    if link.purpose == "erasure":
        request_erasure(erasures, customer_principal(link), link.address)
    else:
        request_id = f"privacy-export-{link.digest[:32]}"
        exports.send_export(link.organizer_id, link.address, link.language, request_id)
    count("PrivacyRequestsConfirmed")
    return link.purpose


def build_export(
    desk: ExportDesk,
    files: ExportFiles,
    mail: MailQueue,
    organizer_id: str,
    address: str,
    language: Language,
    request_id: str,
) -> None:
    """Behind the queue: the export, kept as a workbook, its link mailed to the address (the
    mailer sends one request id once, so a redelivered message mails nothing more)."""
    principal = Principal(Role.ORGANIZER, SELF_SERVICE, organizer_id, SELF_SERVICE)
    found = export_person(desk, principal, address)
    prefix = export_prefix(organizer_id, desk.people.person(organizer_id, address))
    url = files.put_export(prefix, export_workbook(found, language))
    mail.enqueue(
        MailRequest(
            template="privacy_export",
            to=[address],
            language=language,
            context={"download_url": url, "minutes": str(EXPORT_LINK_SECONDS // 60)},
            request_id=request_id,
            organizer_id=organizer_id,
        )
    )

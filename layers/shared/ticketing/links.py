"""Every link to a public page, built in one place.

Mails, pages, API answers and Excel files all hand out links to the customer pages; they
build them here, so that a route that moves moves once. ``base_url`` defaults to where the
template says customers reach the platform (``PUBLIC_BASE_URL``).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ticketing.domain.voucher_codes import display
from ticketing.settings import settings


def _base(base_url: str | None) -> str:
    return (base_url if base_url is not None else settings().public_base_url).rstrip("/")


def self_service_url(order_number: str, secret: str, base_url: str | None = None) -> str:
    """The order's private page (``/o/{order_number}/{secret}``)."""
    return f"{_base(base_url)}/o/{quote(order_number, safe='')}/{quote(secret, safe='')}"


def order_document_url(
    order_number: str, secret: str, document: str, base_url: str | None = None
) -> str:
    """A document of the order's private page: ``tickets.pdf``, ``invoice``, ``preferences``."""
    return f"{self_service_url(order_number, secret, base_url)}/{quote(document, safe='.')}"


def ticket_url(token: str, base_url: str | None = None) -> str:
    """One ticket's download (``/t/{token}``, answered with a short-lived S3 link)."""
    return f"{_base(base_url)}/t/{quote(token, safe='')}"


def redeem_url(code: str, base_url: str | None = None) -> str:
    """A visitor voucher's personal registration link (``/redeem?code=…``)."""
    return f"{_base(base_url)}/redeem?{urlencode({'code': display(code)})}"


def gift_voucher_url(token: str, base_url: str | None = None) -> str:
    """A gift voucher's public page (``/g/{token}``): QR code, value, where to redeem it."""
    return f"{_base(base_url)}/g/{quote(token, safe='')}"


def portal_url(base_url: str | None = None) -> str:
    """The self-service page where a customer asks for their order's link."""
    return f"{_base(base_url)}/portal"


def console_sign_in_url(token: str | None = None, base_url: str | None = None) -> str:
    """The console's sign-in form, or with ``token`` the one-time link a sign-in mail holds."""
    tail = "" if token is None else f"/{quote(token, safe='')}"
    return f"{_base(base_url)}/console/sign-in{tail}"


def _lang(language: str | None) -> str:
    return f"?{urlencode({'lang': language})}" if language else ""


def opt_in_url(token: str, language: str | None = None, base_url: str | None = None) -> str:
    """A marketing opt-in mail's link: a page whose one button confirms (issue 15)."""
    return f"{_base(base_url)}/consent/confirm/{quote(token, safe='')}{_lang(language)}"


def unsubscribe_url(token: str, language: str | None = None, base_url: str | None = None) -> str:
    """A marketing mail's unsubscribe link: a page with one button; RFC 8058 POSTs here too."""
    return f"{_base(base_url)}/consent/unsubscribe/{quote(token, safe='')}{_lang(language)}"


def privacy_portal_url(base_url: str | None = None) -> str:
    """The customer's "send me my data" / "forget me" form (issue 17)."""
    return f"{_base(base_url)}/portal/privacy"


def privacy_link_url(token: str, language: str | None = None, base_url: str | None = None) -> str:
    """A privacy request's mailed link: a page whose one button exports or erases (issue 17)."""
    return f"{privacy_portal_url(base_url)}/{quote(token, safe='')}{_lang(language)}"

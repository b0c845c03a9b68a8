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


def portal_url(base_url: str | None = None) -> str:
    """The self-service page where a customer asks for their order's link."""
    return f"{_base(base_url)}/portal"

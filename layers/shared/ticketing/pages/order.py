"""The order's private page ``/o/{order_number}/{secret}``: its tickets and invoice (seed 001).

The link comes with the confirmation mail and from the self-service portal. The page lists
what the customer may download: each ticket (``/t/{token}``, a short-lived download), all
tickets in one PDF, and the invoice of a priced order. It has no script and is served with
:data:`ORDER_RESPONSE_HEADERS`: the URL holds the secret, so it is neither cached, nor sent on
as a Referer, nor indexed.

A wrong secret and an unknown order number get one and the same page
(:func:`render_not_found_page`), which echoes nothing of the request: it must not tell
which order numbers exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from ticketing.i18n import format_span, translate
from ticketing.pages.redeem import RESPONSE_HEADERS
from ticketing.pages.rendering import Language, render_page

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ticketing.pages.views import OrderPage

# The redemption page's headers, tightened for a URL that is a password.
ORDER_RESPONSE_HEADERS: Final[Mapping[str, str]] = {
    **RESPONSE_HEADERS,
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex",
}


def render_order_page(language: Language, page: OrderPage) -> str:
    """The order's documents in ``language``; every value from the order is escaped."""
    links = (page.all_tickets_url, page.invoice_url, page.preferences_url)
    who = page.organizer
    theirs = (who.website, who.imprint_url, who.privacy_url) if who else ()
    for url in (*links, *(t.url for t in page.tickets), *(u for u in theirs if u)):
        if url is not None:
            _check_link(url)
    count = len(page.tickets)
    return render_page(
        "order.html",
        language,
        page=page,
        when=format_span(page.starts_at, page.ends_at, page.timezone, language),
        starts_at=page.starts_at.isoformat(),
        ticket_count=(
            translate(language, "order.ticket_count_one")
            if count == 1
            else translate(language, "order.ticket_count_many", n=count)
        ),
    )


def render_not_found_page(language: Language) -> str:
    """The one page for an unknown order and a wrong secret alike; it depends on nothing else."""
    return render_page("not_found.html", language)


def render_too_many_page(language: Language) -> str:
    """The page for a client refused after too many wrong links; it echoes nothing either."""
    return render_page("too_many.html", language)


def _check_link(url: str) -> None:
    """Links come from the handler, never from a visitor; still, only web links are rendered."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (not parts.scheme and not url.startswith("/")):
        raise ValueError("a link on the order page must be a web link")  # never log secrets

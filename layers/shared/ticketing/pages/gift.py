"""The member's page of an e-gift voucher (seed 004, ``/g/{token}``): the QR code to show at
the till, the code to type, the value, the validity, the state, and the merchants in the
member's city that accept it.

One self-contained HTML document under :data:`CONTENT_SECURITY_POLICY` (nothing loaded, no
script; its inline style allowed by its hash): the QR code is inline SVG drawn from its modules.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from markupsafe import Markup, escape

from ticketing.documents.qr import qr_modules
from ticketing.domain.gift_vouchers import display
from ticketing.i18n import format_date, format_money, known_language, translate
from ticketing.pages.rendering import Language, render_page

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ticketing.services.gift_vouchers.page import GiftPage

# The base, which allows nothing inline: the handler adds the hash of the page's style with
# pages.policy.page_headers (no keyword allows anything inline).
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; img-src 'none'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
RESPONSE_HEADERS: Final[Mapping[str, str]] = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept-Language",
}
QUIET = 4  # modules of quiet zone around the symbol


def qr_svg(text: str, label: str, size_px: int = 240) -> Markup:
    """``text`` as a QR code in inline SVG: one path of dark modules, a white quiet zone;
    ``label`` is what a screen reader says for it."""
    modules = qr_modules(text)
    n = len(modules) + 2 * QUIET
    runs = []
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET} {y + QUIET}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    # numbers, fixed text and the escaped label only: nothing else of the request or the store
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{size_px}" '
        f'height="{size_px}" shape-rendering="crispEdges" role="img" id="qr" '
        f'aria-label="{escape(label)}" '
        f'data-modules="{len(modules)}"><rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def page_language(campaign_language: str, override: str | None) -> Language:
    """``?lang=`` wins; else the campaign's language (the member reads what the SMS spoke)."""
    return known_language(override) or known_language(campaign_language) or "zh"


def render_gift_page(language: Language, page: GiftPage) -> str:
    voucher = page.voucher
    zone = page.campaign.timezone
    return render_page(
        "gift.html",
        language,
        campaign_name=page.campaign.name,
        qr=qr_svg(voucher.code, translate(language, "gift.qr_label", code=display(voucher.code))),
        code=display(voucher.code),
        value=format_money(voucher.value, voucher.currency, language),
        valid_from=format_date(voucher.valid_from, zone, language),
        valid_until=format_date(voucher.valid_until - timedelta(seconds=1), zone, language),
        state=page.state,
        city=page.city,
        merchants=page.merchants,
    )


def render_gift_not_found(language: Language) -> str:
    """The one page for any token that is not a voucher's."""
    return render_page("gift_not_found.html", language)

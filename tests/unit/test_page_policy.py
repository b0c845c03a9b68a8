"""The customer pages' Content-Security-Policy allows their inline style and script by hash only:
every executable ``<script>`` and every ``<style>`` a page emits is named by its SHA-256 in the
policy its handler sends, nothing is ``'unsafe-inline'``, and no attribute styles or scripts."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from ticketing.domain.gift_parties import Merchant
from ticketing.domain.gift_vouchers import Campaign, GiftVoucher, Recipient, Tier
from ticketing.pages import consent, gift, order, policy, portal, redeem, terminal
from ticketing.pages.views import OrderPage, OrganizerContact, TicketLink
from ticketing.services.gift_vouchers.page import GiftPage

NOW = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
BASE = "https://tickets.example.org"
ATTACK = '"><script>alert(1)</script><style>*{}</style><img src=x onerror=alert(2)>'
ORDER = OrderPage(
    order_number="12BE-090125-655140",
    customer_name=ATTACK,
    event_name="INTERFORST 2026",
    venue="Messe München",
    starts_at=NOW,
    ends_at=NOW + timedelta(days=2),
    timezone="Europe/Berlin",
    tickets=(TicketLink("6jjf7gj", ATTACK, "Tageskarte", f"{BASE}/t/x.6jjf7gj.{'a' * 26}"),),
    all_tickets_url=f"{BASE}/o/12BE-090125-655140/{'s' * 26}/tickets.pdf",
    invoice_url=f"{BASE}/o/12BE-090125-655140/{'s' * 26}/invoice",
    preferences_url=f"{BASE}/o/12BE-090125-655140/{'s' * 26}/preferences",
    transfer={
        "account_holder": "Messe GmbH",
        "iban": "DE02 1203 0000 0000 2020 51",
        "bic": "BYLADEM1001",
        "reference": "12BE-090125-655140",
        "amount": "12,00 €",
        "due": "08.07.2026",
    },
    organizer=OrganizerContact("Messe GmbH", ("Messeplatz 1", "81829 München"), "a@b.de"),
)


def gift_page() -> GiftPage:
    campaign = Campaign(
        campaign_id="cmp_1",
        organizer_id="org_1",
        issuer_id="iss_1",
        name="无线音乐俱乐部",
        valid_from=NOW - timedelta(days=7),
        valid_until=NOW + timedelta(days=80),
        tiers=[Tier(id="B", name="B 档", value=Decimal("50.00"))],
        created_at=NOW,
    )
    voucher = GiftVoucher(
        code="7KQ2M9XD4HTBW2AB",
        campaign_id="cmp_1",
        organizer_id="org_1",
        issuer_id="iss_1",
        tier="B",
        value=Decimal("50.00"),
        currency="CNY",
        valid_from=campaign.valid_from,
        valid_until=campaign.valid_until,
        recipient=Recipient(phone="13800138000", name="王小明", city="南京"),
        external_ref="ref-1",
        token="tok1",
        issued_at=NOW,
    )
    merchant = Merchant(
        merchant_id="m1", organizer_id="org_1", created_at=NOW, name=ATTACK, city="南京"
    )
    return GiftPage(voucher, campaign, "issued", "南京", [merchant])


DONE = {
    "order_number": "12BE-090125-655140",
    "self_service_url": f"{BASE}/o/x/y",
    "email": "a@b.de",
}
SITE = "https://tickets.example.org/redeem?code=1"

# page (the template handlers name), headers its handler sends, the page as rendered
PAGES: list[tuple[str, Mapping[str, str], Callable[[], str]]] = [
    ("redeem", redeem.RESPONSE_HEADERS, lambda: redeem.render_redeem_page("de", ATTACK)),
    (
        "redeem",
        redeem.RESPONSE_HEADERS,
        lambda: redeem.render_redeem_page(
            "en", "X", errors={"code": ATTACK}, values={"email": ATTACK}
        ),
    ),
    ("redeem", redeem.RESPONSE_HEADERS, lambda: redeem.render_redeem_page("zh", "X", done=DONE)),
    ("portal", portal.RESPONSE_HEADERS, lambda: portal.render_portal_page("en")),
    ("terminal", terminal.RESPONSE_HEADERS, lambda: terminal.render_terminal_page("zh")),
    ("order", order.ORDER_RESPONSE_HEADERS, lambda: order.render_order_page("de", ORDER)),
    ("not_found", order.ORDER_RESPONSE_HEADERS, lambda: order.render_not_found_page("en")),
    ("too_many", order.ORDER_RESPONSE_HEADERS, lambda: order.render_too_many_page("de")),
    (
        "consent",
        order.ORDER_RESPONSE_HEADERS,
        lambda: consent.render_consent_page("de", "confirm", f"{BASE}/consent/confirm/t"),
    ),
    ("consent", order.ORDER_RESPONSE_HEADERS, lambda: consent.render_consent_page("en", "gone")),
    ("gift", gift.RESPONSE_HEADERS, lambda: gift.render_gift_page("zh", gift_page())),
    ("gift_not_found", gift.RESPONSE_HEADERS, lambda: gift.render_gift_not_found("en")),
]
IDS = [f"{page}-{n}" for n, (page, _, _) in enumerate(PAGES)]


class Inline(HTMLParser):
    """What a browser would run or apply from the page itself: the text of each ``<style>`` and
    each executable ``<script>``, and every attribute."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.data_blocks: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self._into: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        kind = dict(attrs).get("type")
        if tag == "style":
            self._into = self.styles
        elif tag == "script":
            assert "src" not in dict(attrs)
            self._into = self.data_blocks if kind == "application/json" else self.scripts
        else:
            return
        self._into.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._into[-1] += data


def sources(csp: str, directive: str) -> list[str]:
    for part in csp.split(";"):
        name, *values = part.split()
        if name == directive:
            return values
    return []


def sha256(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


@pytest.mark.parametrize(("page", "headers", "render"), PAGES, ids=IDS)
def test_every_inline_style_and_script_is_allowed_by_its_hash_and_nothing_else_is(
    page: str, headers: Mapping[str, str], render: Callable[[], str]
) -> None:
    csp = policy.page_headers(page, headers)["Content-Security-Policy"]
    inline = Inline(render())

    assert "unsafe" not in csp  # no 'unsafe-inline', 'unsafe-eval', 'unsafe-hashes'
    assert sources(csp, "default-src") == ["'none'"]
    assert inline.styles, "every page has the frame's style"
    for style in inline.styles:
        assert sha256(style) in sources(csp, "style-src"), f"{page}: a <style> not allowed"
    for script in inline.scripts:
        assert sha256(script) in sources(csp, "script-src"), f"{page}: a <script> not allowed"
    assert all(value.startswith("'sha256-") for value in sources(csp, "style-src"))
    assert all(value.startswith("'sha256-") for value in sources(csp, "script-src"))
    assert len(inline.data_blocks) <= 1  # the form's texts: JSON, not run, no allowance


@pytest.mark.parametrize(("page", "headers", "render"), PAGES, ids=IDS)
def test_no_attribute_styles_or_runs_anything(
    page: str, headers: Mapping[str, str], render: Callable[[], str]
) -> None:
    inline = Inline(render())

    assert [a for a in inline.attributes if a[1] == "style" or a[1].startswith("on")] == []
    assert [a for a in inline.attributes if a[2].strip().lower().startswith("javascript:")] == []


def test_an_edited_block_is_no_longer_allowed() -> None:
    """The hash is of the exact text: one character more and the browser would refuse it."""
    [style] = Inline(redeem.render_redeem_page("de", None)).styles
    csp = policy.page_headers("redeem", redeem.RESPONSE_HEADERS)["Content-Security-Policy"]

    assert sha256(style) in csp
    assert sha256(style + " ") not in csp


def test_what_a_request_brings_is_never_allowed_to_run() -> None:
    """The hashes are of the templates, not of a page: an injected script stays refused."""
    csp = policy.page_headers("redeem", redeem.RESPONSE_HEADERS)["Content-Security-Policy"]

    assert sha256("alert(1)") not in csp
    assert policy.page_policy.cache_info().currsize >= 1  # once per page and process


def test_each_page_allows_only_its_own_blocks() -> None:
    def policy_of(page: str) -> str:
        return policy.page_headers(page, order.ORDER_RESPONSE_HEADERS)["Content-Security-Policy"]

    assert sources(policy_of("order"), "script-src") == []  # no script: default-src 'none'
    assert len(sources(policy_of("redeem"), "style-src")) == 2  # with the form and after it
    assert set(sources(policy_of("portal"), "style-src")).isdisjoint(
        sources(policy_of("order"), "style-src")
    )


def test_the_base_policies_allow_nothing_inline_on_their_own() -> None:
    for headers in (redeem.RESPONSE_HEADERS, gift.RESPONSE_HEADERS, order.ORDER_RESPONSE_HEADERS):
        base = headers["Content-Security-Policy"]
        assert "style-src" not in base
        assert "script-src" not in base
        with pytest.raises(ValueError, match="nothing inline"):
            policy.page_policy("order", base + "; script-src 'unsafe-inline'")

"""The self-service portal and the order's private page in headless Chromium (seed 001).

Two parts. The pages alone, against a tiny site (a ``FakeSite`` of this folder's conftest) that
serves them as the handlers render them and answers ``POST /portal/requests`` with what the test
scripted: what the script shows for each answer, and the pages on a phone-sized screen. Then end
to end through the whole platform (``ticketing-local``): a customer asks for the link, finds it
in the mail, opens the order and downloads the tickets.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from urllib.parse import SplitResult, parse_qs, parse_qsl, urljoin, urlsplit

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import APIResponse, Dialog, Page, expect

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import booking_body, new_event
from tests.pdf_reading import decode_qr_codes, page_count, pdf_text
from ticketing.pages.order import (
    ORDER_RESPONSE_HEADERS,
    render_not_found_page,
    render_order_page,
)
from ticketing.pages.policy import page_headers, page_policy
from ticketing.pages.portal import (
    CONTENT_SECURITY_POLICY,
    RESPONSE_HEADERS,
    pick_language,
    render_portal_page,
)
from ticketing.pages.views import OrderPage, TicketLink

from .conftest import Answer, FakeSite, serving

pytestmark = pytest.mark.slow

T = TypeVar("T")

ORDER_NUMBER = "12BE-090125-655140"
SECRET = "k3x9m2p7q4r8s5t6u1v0w2y3z4"
ATTACK = "<script>alert(1)</script>"
NEUTRAL_DE = (
    "Wenn Bestellnummer und E-Mail-Adresse zusammengehören, haben wir den Link zu Ihren "
    "Dokumenten an diese Adresse geschickt. Bitte schauen Sie auch in Ihrem Spam-Ordner nach."
)
NEUTRAL_EN = (
    "If the order number and e-mail address belong together, we have sent the link to your "
    "documents to that address. Please also look in your spam folder."
)
ACCEPTED: dict[str, Any] = {"status": 202, "body": {"status": "accepted"}}
MAX_BODY = 64 * 1024
PHONE_WIDTH = 360


# =========================================================================== the pages alone


@dataclass
class Site(FakeSite):
    """The portal, one order and the request endpoint, under a path prefix."""

    prefix: str = ""  # e.g. "/Prod", as API Gateway's stage in the URL
    reply: dict[str, Any] = field(default_factory=lambda: dict(ACCEPTED))
    order: OrderPage | None = None
    max_body: ClassVar[int] = MAX_BODY

    def url(self, path: str) -> str:
        return f"{self.base_url}{self.prefix}{path}"

    def page(self, url: SplitResult, accept_language: str | None) -> Answer | None:
        path = url.path.removeprefix(self.prefix) if self.prefix else url.path
        language = pick_language(accept_language, parse_qs(url.query).get("lang", [None])[0])
        if url.path.startswith(self.prefix) and path == "/portal":
            return (
                200,
                page_headers("portal", RESPONSE_HEADERS),
                render_portal_page(language).encode(),
            )
        if url.path.startswith(self.prefix) and path.startswith("/o/"):
            order = self.order
            if order is not None and path == f"/o/{order.order_number}/{SECRET}":
                html = render_order_page(language, order)
                return 200, page_headers("order", ORDER_RESPONSE_HEADERS), html.encode()
            html = render_not_found_page(language)
            return 404, page_headers("not_found", ORDER_RESPONSE_HEADERS), html.encode()
        return None

    def is_api(self, path: str) -> bool:
        return path == f"{self.prefix}/portal/requests"


@pytest.fixture
def portal_site() -> Iterator[Site]:
    with serving(lambda base_url: Site(base_url, order=sample_order()), "portal-site") as served:
        yield served


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Alerts the page opens (an injected script would); request this before the page loads."""
    opened: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def sample_order() -> OrderPage:
    base = "http://127.0.0.1:9"  # the downloads are not followed on the fake site
    return OrderPage(
        order_number=ORDER_NUMBER,
        customer_name="Madeleine Mustermann",
        event_name="INTERFORST 2026 \u2013 Internationale Leitmesse für Forstwirtschaft",
        venue="Messe München, Halle A1",
        starts_at=datetime(2026, 7, 12, 7, 0, tzinfo=UTC),
        ends_at=datetime(2026, 7, 16, 16, 0, tzinfo=UTC),
        timezone="Europe/Berlin",
        tickets=(
            TicketLink("6jjf7gj", "Madeleine Mustermann", "Tageskarte", f"{base}/t/one"),
            TicketLink("k2m9x4p", ATTACK, "Tageskarte", f"{base}/t/two"),
            TicketLink(
                "p8q2r4s",
                "Maximiliane Sophie Freifrau von Schwarzenberg-Hohenlohe",
                "Dauerkarte (alle fünf Messetage)",
                f"{base}/t/three",
            ),
        ),
        all_tickets_url=f"{base}/o/{ORDER_NUMBER}/{SECRET}/tickets.pdf",
        invoice_url=f"{base}/o/{ORDER_NUMBER}/{SECRET}/invoice",
    )


def fill_in_german(page: Page, order_number: str, email: str) -> None:
    """Fill the portal by its labels, as a customer would."""
    page.get_by_label("Bestellnummer", exact=True).fill(order_number)
    page.get_by_label("E-Mail-Adresse", exact=True).fill(email)
    page.get_by_role("button", name="Link zusenden").click()


def assert_fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_the_portal_on_a_phone_asks_once_and_answers_neutrally(
    page: Page, portal_site: Site, artifacts: Path, console_errors: list[str]
) -> None:
    response = page.goto(portal_site.url("/portal"))

    assert response is not None
    assert response.headers["content-security-policy"] == page_policy(
        "portal", CONTENT_SECURITY_POLICY
    )
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_fits_the_phone(page)
    button = page.get_by_role("button", name="Link zusenden")
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["width"] >= 0.8 * PHONE_WIDTH
    email_box = page.get_by_label("E-Mail-Adresse", exact=True).bounding_box()
    assert email_box is not None
    assert email_box["y"] + email_box["height"] <= 740  # both fields in sight at once

    # typed in lower case with spaces, as read out over the phone
    fill_in_german(page, "12be 090125 655140", "  m.mustermann@example.org ")

    expect(page.get_by_role("status")).to_have_text(NEUTRAL_DE)
    expect(page.get_by_role("status")).to_be_in_viewport()  # not below the fold on a phone
    expect(page.get_by_text("Der Link in der E-Mail ist privat")).to_be_visible()
    page.screenshot(path=str(artifacts / "portal-answered-sample.png"), full_page=True)
    [request] = portal_site.received()
    assert request.path == "/portal/requests"
    assert request.body == {"order_number": ORDER_NUMBER, "email": "m.mustermann@example.org"}
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept-language"] == "de"
    assert console_errors == []

    # the policy is in force: the page could not reach another origin if it tried
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        outcome = page.evaluate(
            "fetch('http://127.0.0.2:9/').then(() => 'reached', () => 'refused')"
        )
    assert outcome == "refused"


def test_the_portal_posts_beside_its_own_path_under_a_stage_prefix(
    page: Page, portal_site: Site
) -> None:
    portal_site.prefix = "/Prod"
    page.goto(portal_site.url("/portal?lang=en"))
    page.get_by_label("Order number", exact=True).fill(ORDER_NUMBER)
    page.get_by_label("E-mail address", exact=True).fill("m@example.org")
    page.get_by_role("button", name="Send me the link").click()

    expect(page.get_by_role("status")).to_have_text(NEUTRAL_EN)
    assert [r.path for r in portal_site.received()] == ["/Prod/portal/requests"]


def test_field_errors_from_the_server_appear_next_to_their_fields(
    page: Page, portal_site: Site, artifacts: Path
) -> None:
    message = "value is not a valid email address: the domain name does not exist"
    portal_site.reply = {
        "status": 422,
        "body": {
            "type": "about:blank",
            "title": "Unprocessable",
            "status": 422,
            "detail": "check the fields",
            "errors": [{"field": "email", "message": message}],
        },
    }
    page.goto(portal_site.url("/portal"))
    fill_in_german(page, ORDER_NUMBER, "m@example.invalid")

    email = page.get_by_label("E-Mail-Adresse", exact=True)
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.locator("#email-error")).to_have_text(message)
    expect(email).to_be_focused()
    expect(page.get_by_label("Bestellnummer", exact=True)).not_to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_role("status")).to_have_text("Bitte prüfen Sie die markierten Felder.")
    page.screenshot(path=str(artifacts / "portal-field-errors-sample.png"), full_page=True)

    email.fill("m@example.org")  # correcting the field takes its error back
    expect(email).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_be_hidden()


def test_too_many_attempts_says_how_many_minutes_to_wait(page: Page, portal_site: Site) -> None:
    portal_site.reply = {
        "status": 429,
        "headers": {"Retry-After": "540"},
        "body": {"title": "Too many requests", "status": 429, "detail": "slow down"},
    }
    page.goto(portal_site.url("/portal"))
    fill_in_german(page, ORDER_NUMBER, "m@example.org")

    expect(page.get_by_role("status")).to_have_text(
        "Zu viele Versuche. Bitte versuchen Sie es in 9 Minuten erneut."
    )
    expect(page.get_by_role("button", name="Link zusenden")).to_be_disabled()


def test_what_cannot_be_an_order_number_is_named_before_anything_is_sent(
    page: Page, portal_site: Site
) -> None:
    page.goto(portal_site.url("/portal"))
    fill_in_german(page, "12BE-0901", "")

    number = page.get_by_label("Bestellnummer", exact=True)
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(number).to_have_accessible_description(re.compile(re.escape(ORDER_NUMBER)))
    expect(number).to_be_focused()
    expect(page.get_by_label("E-Mail-Adresse", exact=True)).to_have_accessible_description(
        re.compile("Bitte füllen Sie dieses Feld aus")
    )
    assert portal_site.received() == []  # a wasted attempt would count against the customer


def test_the_order_page_on_a_phone_shows_names_as_text_and_links_every_ticket(
    page: Page,
    portal_site: Site,
    artifacts: Path,
    console_errors: list[str],
    dialogs: list[str],
) -> None:
    response = page.goto(portal_site.url(f"/o/{ORDER_NUMBER}/{SECRET}"))

    assert response is not None
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    expect(page.get_by_role("heading", level=1)).to_contain_text("INTERFORST 2026")
    expect(page.get_by_text("12.07.2026, 09:00 Uhr \u2013 16.07.2026, 18:00 Uhr")).to_be_visible()
    expect(page.locator("#order-number")).to_have_text(ORDER_NUMBER)
    tickets = page.locator(".ticket")
    expect(tickets).to_have_count(3)
    expect(tickets.nth(1)).to_contain_text(ATTACK)  # shown, not run
    downloads = page.get_by_role("link", name="Ticket herunterladen", exact=True)
    expect(downloads).to_have_count(3)
    assert downloads.nth(1).get_attribute("href") == "http://127.0.0.1:9/t/two"
    expect(downloads.nth(0)).to_have_accessible_description(re.compile("Madeleine Mustermann"))
    expect(
        page.get_by_role("link", name="Alle Tickets herunterladen (eine PDF-Datei)")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Rechnung herunterladen (PDF)")).to_be_visible()
    assert_fits_the_phone(page)
    box = downloads.nth(0).bounding_box()
    assert box is not None
    assert box["height"] >= 44
    page.screenshot(path=str(artifacts / "order-sample.png"), full_page=True)

    # the language switch keeps the private path
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == f"/o/{ORDER_NUMBER}/{SECRET}"
    expect(page.get_by_text("12 Jul 2026, 09:00 \u2013 16 Jul 2026, 18:00")).to_be_visible()
    assert dialogs == []
    assert console_errors == []


def test_the_not_found_page_leads_to_the_portal_beside_it(
    page: Page, portal_site: Site, artifacts: Path, console_errors: list[str]
) -> None:
    portal_site.prefix = "/Prod"
    response = page.goto(portal_site.url(f"/o/{ORDER_NUMBER}/wrong-secret"))

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Bestellung nicht gefunden")).to_be_visible()
    assert ORDER_NUMBER not in page.content()
    assert_fits_the_phone(page)
    page.screenshot(path=str(artifacts / "not-found-sample.png"), full_page=True)

    page.get_by_role("link", name="Link neu anfordern").click()
    expect(page.get_by_role("button", name="Link zusenden")).to_be_visible()
    assert urlsplit(page.url).path == "/Prod/portal"
    # the only error Chromium logs is the 404 of the page itself
    assert [e for e in console_errors if "status of 404" not in e] == []


# =========================================================================== end to end

MAIL_TIMEOUT = 20.0
QUIET_SECONDS = 3.0
MAX_PORTAL_MAILS = 3
PRESIGNED_SECONDS = 300


def wait_for(check: Callable[[], T | None], what: str, timeout: float = MAIL_TIMEOUT) -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.2)


def mails_to(stack: LocalStack, address: str) -> list[dict[str, Any]]:
    mails: list[dict[str, Any]] = stack.client.call("GET", "/_local/outbox").json()
    return [m for m in mails if address.lower() in [to.lower() for to in m["to"]]]


def unique_address(label: str) -> str:
    return f"portal-{label}-{uuid.uuid4().hex[:12]}@example.org"


def book(stack: LocalStack, email: str, quantity: int) -> tuple[dict[str, Any], set[int]]:
    """A booking by transfer for a customer at ``email``, and the indexes of the mails it sent.

    Its confirmation carries the private link too: the portal's mails are the ones after it.
    """
    client, key = stack.client, stack.organizer_key
    event = new_event(client, key)
    body = booking_body("Mustermann", quantity)
    body["customer"] = {**body["customer"], "email": email}
    reply = client.call("POST", f"/events/{event['event_id']}/bookings", key, body)
    assert reply.status == 201, reply.body
    order: dict[str, Any] = reply.json()
    confirmation = wait_for(
        lambda: [m for m in mails_to(stack, email) if order["order_number"] in m["subject"]],
        "the booking confirmation",
    )
    return order, {m["index"] for m in confirmation}


def portal_mails(stack: LocalStack, email: str, before: set[int]) -> list[dict[str, Any]]:
    return [m for m in mails_to(stack, email) if m["index"] not in before and "/o/" in m["text"]]


def private_link(mail: dict[str, Any]) -> str:
    found = re.search(r"https?://[^\s<>\"']+/o/[^\s<>\"']+", mail["text"])
    assert found, mail["text"]
    return found.group(0).rstrip(".,;)")


def assert_short_lived_redirect(page: Page, url: str) -> str:
    """``url`` redirects to a presigned download valid for at most five minutes; its Location."""
    reply = page.request.get(url, max_redirects=0)
    assert reply.status in (302, 303, 307), (reply.status, reply.text()[:300])
    location = reply.headers["location"]
    query = dict(parse_qsl(urlsplit(location).query))
    assert 0 < int(query["X-Amz-Expires"]) <= PRESIGNED_SECONDS, location
    return location


def fetch_pdf(page: Page, url: str) -> bytes:
    download: APIResponse = page.request.get(url)
    assert download.status == 200
    data = download.body()
    assert data.startswith(b"%PDF-")
    return data


def test_a_customer_gets_the_link_by_mail_and_downloads_the_tickets(
    local_stack: LocalStack,
    page: Page,
    artifacts: Path,
    console_errors: list[str],
) -> None:
    stack = local_stack
    email = unique_address("main")
    order, before = book(stack, email, 2)
    number = order["order_number"]
    holder = f"{order['customer']['first_name']} {order['customer']['last_name']}"

    # the portal, on a phone
    response = page.goto(f"{stack.client.base_url}/portal")
    assert response is not None
    assert response.status == 200
    assert response.headers["content-security-policy"] == page_policy(
        "portal", CONTENT_SECURITY_POLICY
    )
    assert_fits_the_phone(page)
    fill_in_german(page, number, email)
    expect(page.get_by_role("status")).to_have_text(NEUTRAL_DE)
    page.screenshot(path=str(artifacts / "portal.png"), full_page=True)

    # the mail goes to the order's own address and carries the order's private link
    [mail] = wait_for(lambda: portal_mails(stack, email, before), "the portal's mail")
    link = private_link(mail)
    assert link == order["self_service_url"]

    # the order page
    response = page.goto(link)
    assert response is not None
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store, private"
    assert response.headers["x-robots-tag"] == "noindex"
    assert response.headers["content-security-policy"] == page_policy(
        "order", CONTENT_SECURITY_POLICY
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("INTERFORST 2027")
    expect(page.locator("#order-number")).to_have_text(number)
    expect(page.get_by_text("12.07.2027, 09:00 Uhr \u2013 16.07.2027, 18:00 Uhr")).to_be_visible()
    tickets = page.locator(".ticket")
    expect(tickets).to_have_count(2)
    for index in range(2):
        expect(tickets.nth(index)).to_contain_text(holder)
        expect(tickets.nth(index)).to_contain_text("Tageskarte")
    assert_fits_the_phone(page)
    page.screenshot(path=str(artifacts / "order.png"), full_page=True)

    # one ticket: a redirect to a five-minute download, whose QR code is this order's ticket
    first = page.get_by_role("link", name="Ticket herunterladen", exact=True).first
    href = urljoin(page.url, first.get_attribute("href") or "")
    location = assert_short_lived_redirect(page, href)
    ticket_pdf = fetch_pdf(page, location)
    [code] = decode_qr_codes(ticket_pdf)
    assert code.startswith(number)
    with page.expect_download() as started:
        first.click()
    download = started.value
    assert "X-Amz-Expires=" in download.url
    downloaded = Path(download.path()).read_bytes()
    assert downloaded.startswith(b"%PDF-")
    assert decode_qr_codes(downloaded)[0].startswith(number)

    # all tickets in one PDF: a page and a QR code each
    everything = page.get_by_role("link", name="Alle Tickets herunterladen (eine PDF-Datei)")
    href = urljoin(page.url, everything.get_attribute("href") or "")
    all_pdf = fetch_pdf(page, assert_short_lived_redirect(page, href))
    assert page_count(all_pdf) == 2
    codes = [decode_qr_codes(all_pdf, page=index) for index in (0, 1)]
    assert all(len(found) == 1 and found[0].startswith(number) for found in codes), codes
    assert codes[0] != codes[1]
    assert code in {found[0] for found in codes}

    # the invoice of this priced (open) order
    invoice = page.get_by_role("link", name="Rechnung herunterladen (PDF)")
    href = urljoin(page.url, invoice.get_attribute("href") or "")
    invoice_pdf = fetch_pdf(page, assert_short_lived_redirect(page, href))
    assert number in pdf_text(invoice_pdf)
    assert console_errors == []


def test_a_wrong_address_gets_the_same_answer_and_no_mail(
    local_stack: LocalStack,
    page: Page,
) -> None:
    stack = local_stack
    email = unique_address("owner")
    wrong = unique_address("stranger")
    order, before = book(stack, email, 1)

    page.goto(f"{stack.client.base_url}/portal?lang=en")
    page.get_by_label("Order number", exact=True).fill(order["order_number"])
    page.get_by_label("E-mail address", exact=True).fill(wrong)
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("status")).to_have_text(NEUTRAL_EN)

    # a well-formed number that belongs to no order: the very same answer
    page.get_by_label("Order number", exact=True).fill("99XX-010199-000000")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("status")).to_have_text(NEUTRAL_EN)

    time.sleep(QUIET_SECONDS)
    assert mails_to(stack, wrong) == []
    assert portal_mails(stack, email, before) == []


def test_a_wrong_secret_shows_the_not_found_page(
    local_stack: LocalStack,
    page: Page,
    artifacts: Path,
) -> None:
    stack = local_stack
    order, _ = book(stack, unique_address("secret"), 1)
    number = order["order_number"]
    right = urlsplit(order["self_service_url"]).path.rsplit("/", 1)[1]
    wrong = ("a" if right[0] != "a" else "b") + right[1:]

    response = page.goto(f"{stack.client.base_url}/o/{number}/{wrong}")
    assert response is not None
    assert response.status == 404
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store, private"
    expect(page.get_by_role("heading", name="Bestellung nicht gefunden")).to_be_visible()
    assert number not in page.content()
    page.screenshot(path=str(artifacts / "not-found.png"), full_page=True)

    # an unknown order looks exactly the same, byte for byte
    wrong_secret = page.request.get(f"{stack.client.base_url}/o/{number}/{wrong}")
    unknown = page.request.get(f"{stack.client.base_url}/o/99XX-010199-000000/{right}")
    assert (wrong_secret.status, unknown.status) == (404, 404)
    assert wrong_secret.body() == unknown.body()
    # and the downloads behind a wrong secret are refused as well
    for suffix in ("tickets.pdf", "invoice"):
        refused = page.request.get(
            f"{stack.client.base_url}/o/{number}/{wrong}/{suffix}", max_redirects=0
        )
        assert refused.status == 404, suffix

    page.get_by_role("link", name="Link neu anfordern").click()
    expect(page.get_by_role("button", name="Link zusenden")).to_be_visible()


def test_a_fourth_request_within_a_day_sends_no_fourth_mail(
    local_stack: LocalStack,
) -> None:
    stack = local_stack
    email = unique_address("limit")
    order, before = book(stack, email, 1)
    # its own loopback address: the browser tests' requests do not count against it
    client = stack.client.from_address("127.0.0.77")
    request = {"order_number": order["order_number"], "email": email}

    for attempt in range(MAX_PORTAL_MAILS + 1):
        reply = client.call("POST", "/portal/requests", body=request)
        assert reply.status == 202, (attempt, reply.body)
        assert reply.json() == {"status": "accepted"}  # the same answer, mail or no mail

    wait_for(
        lambda: len(portal_mails(stack, email, before)) >= MAX_PORTAL_MAILS or None,
        f"{MAX_PORTAL_MAILS} portal mails",
    )
    time.sleep(QUIET_SECONDS)
    assert len(portal_mails(stack, email, before)) == MAX_PORTAL_MAILS


@pytest.mark.slow
def test_the_holder_switches_reminders_off_on_the_order_page(
    page: Page, local_stack: LocalStack
) -> None:
    """Seed 003: reminders are on by default; the holder switches them off with the page's
    form, and the order records the change."""
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key)
    order = client.call(
        "POST", f"/events/{event['event_id']}/bookings", key, booking_body("Ruhig")
    ).json()
    page.goto(order["self_service_url"])
    label = "Erinnern Sie mich am Tag vor der Veranstaltung per E-Mail."
    expect(page.get_by_label(label)).to_be_checked()
    page.get_by_label(label).uncheck()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(order["self_service_url"])
    expect(page.get_by_label(label)).not_to_be_checked()
    detail = client.call("GET", f"/orders/{order['order_number']}", key).json()
    assert detail["reminders"] is False
    assert [c["reminders"] for c in detail["consent_changes"]] == [False]

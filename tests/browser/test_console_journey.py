"""Issue 13's "Done means", in Chromium against the local stack: one journey through the
console of each kind of user, each in a browser of their own (a Playwright context).

The demo organizer's admin signs in with the link from /_local/outbox and invites an
exhibitor's contact on the event's exhibitors page; the contact signs in, orders 1,000
vouchers, watches the bar reach 100 %, downloads the Excel file (1,000 codes); a visitor,
Jürgen Größmann, registers one code on /redeem; the exhibitor sees the redemption and the
statement; the organizer's staff types "Gross" into "Bestellung suchen", opens the order,
resends its mail to a corrected address and checks in all its positions; a second
organizer's staff sees none of it; a sign-in link used twice, or in another browser, is
refused; a form posted without its CSRF token is refused (the sign-in form too). Every page
on the way passes axe-core.
"""

from __future__ import annotations

import io
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.test_console_in_chromium import sign_in_in_the_browser
from tests.e2e.console import outbox_size, sign_in_link
from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import new_event, new_organizer

pytestmark = pytest.mark.slow

VOUCHERS = 1000


@pytest.fixture
def browsers(chromium: Browser) -> Iterator[Any]:
    """A new browser (context) per person, each with its console errors recorded."""
    opened: list[BrowserContext] = []
    errors: list[str] = []

    def new(locale: str = "de-DE") -> Page:
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        context.set_default_timeout(15_000)
        opened.append(context)
        tab = context.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(f"uncaught: {e.message}"))
        return tab

    new.errors = errors  # type: ignore[attr-defined]
    try:
        yield new
    finally:
        for context in opened:
            context.close()


def mails_to(stack: LocalStack, address: str) -> list[dict[str, Any]]:
    mails: list[dict[str, Any]] = stack.client.call("GET", "/_local/outbox").json()
    return [m for m in mails if address in m["to"]]


def wait_for_mail(stack: LocalStack, address: str, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(mails_to(stack, address)) < count:
        assert time.monotonic() < deadline, f"no mail reached {address}"
        time.sleep(0.3)


def figure(table: Locator, name: str) -> Locator:
    """The number in the statement's row ``name``."""
    return table.get_by_role("row", name=re.compile(f"^{name}")).get_by_role("cell")


def test_done_means(local_stack: LocalStack, browsers: Any, artifacts: Path) -> None:
    base = local_stack.client.base_url
    # made with the organizer's key (the events pages are not what this journey is about)
    event = new_event(
        local_stack.client,
        local_stack.organizer_key,
        name=f"Interforst {secrets.token_hex(3)}",
        starts_at="2030-07-12T09:00:00+02:00",
        ends_at="2030-07-16T18:00:00+02:00",
    )
    event_id = event["event_id"]

    # 1. the demo organizer's admin signs in with the link from the outbox
    admin = browsers()
    sign_in_in_the_browser(admin, local_stack, local_stack.organizer_email)
    assert_accessible(admin)

    # 2. ... and invites an exhibitor's contact on the event's exhibitors page
    contact = f"stand-{secrets.token_hex(4)}@forst.example"
    admin.get_by_role("navigation", name="Bereiche").get_by_role(
        "link", name="Veranstaltungen"
    ).click()
    admin.get_by_role("link", name=event["name"], exact=True).click()
    admin.get_by_role("link", name="Aussteller", exact=True).click()
    assert admin.url == f"{base}/console/events/{event_id}/exhibitors"
    admin.get_by_label("Name des Ausstellers").fill("Forsttechnik Größ")
    admin.get_by_label("E-Mail-Adresse des Ansprechpartners").fill(contact)
    admin.get_by_role("button", name="Aussteller anlegen und einladen").click()
    expect(admin.get_by_role("status").first).to_contain_text(f"{contact} erhält den Schlüssel")
    expect(admin.get_by_role("rowheader", name=re.compile("Forsttechnik Größ"))).to_be_visible()
    assert_accessible(admin)

    # 3. the contact signs in in a browser of their own and orders 1,000 vouchers
    exhibitor = browsers()
    sign_in_in_the_browser(exhibitor, local_stack, contact)
    exhibitor.get_by_role("navigation", name="Bereiche").get_by_role(
        "link", name="Gutscheine bestellen"
    ).click()
    exhibitor.get_by_label("Anzahl").fill(str(VOUCHERS))
    exhibitor.get_by_label("Bezeichnung").fill("Messe-Mailing")
    assert_accessible(exhibitor)
    exhibitor.get_by_role("button", name="Gutscheine bestellen").click()
    expect(exhibitor.get_by_role("status").first).to_contain_text("1.000 Gutscheine bestellt")

    # 4. ... watches the progress bar reach 100 % and downloads the Excel file
    bar = exhibitor.get_by_role("progressbar", name="Fortschritt")
    expect(bar).to_have_attribute("value", "100", timeout=90_000)
    expect(exhibitor.locator("[data-progress-text]")).to_contain_text("100 %")
    assert_accessible(exhibitor)
    with exhibitor.expect_download() as downloading:
        exhibitor.get_by_role("link", name="Excel-Datei herunterladen").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(downloading.value.path()).read_bytes()))
    sheet = book.active
    assert sheet is not None
    codes = [str(row[0].value) for row in sheet.iter_rows(min_row=2) if row[0].value]
    assert len(codes) == len(set(codes)) == VOUCHERS

    # 5. a visitor registers one code on /redeem, in a third browser
    visitor = browsers()
    visitor.goto(f"{base}/redeem?code={codes[0]}")
    visitor_mail = f"juergen-{secrets.token_hex(4)}@example.org"
    visitor.get_by_label("Vorname", exact=True).fill("Jürgen")
    visitor.get_by_label("Nachname", exact=True).fill("Größmann")
    visitor.get_by_label("E-Mail-Adresse", exact=True).fill(visitor_mail)
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Jetzt registrieren").click()
    outcome = visitor.get_by_role("status")
    expect(outcome.get_by_role("link", name="Ticket und Bestellung ansehen")).to_be_visible()
    own_page = outcome.get_by_role("link", name="Ticket und Bestellung ansehen").get_attribute(
        "href"
    )
    assert own_page is not None
    number = re.search(r"/o/([^/]+)/", own_page)
    assert number is not None
    order_number = number.group(1)
    assert_accessible(visitor)
    wait_for_mail(local_stack, visitor_mail, 1)

    # 6. the exhibitor sees the redemption and the statement
    sections = exhibitor.get_by_role("navigation", name="Bereiche")
    sections.get_by_role("link", name="Wer eingelöst hat").click()
    expect(exhibitor.get_by_role("rowheader", name="Jürgen Größmann")).to_be_visible()
    assert_accessible(exhibitor)
    sections.get_by_role("link", name="Abrechnung").click()
    figures = exhibitor.locator("table.figures")
    expect(figure(figures, "Ausgegeben")).to_have_text("1.000")
    expect(figure(figures, "Eingelöst")).to_have_text("1")
    assert_accessible(exhibitor)

    # 7. the organizer's staff find the order by the last name typed without its umlaut
    admin.get_by_role("navigation", name="Bereiche").get_by_role(
        "link", name="Bestellung suchen"
    ).click()
    admin.get_by_label("Bestellnummer oder Nachname").press_sequentially("Gross", delay=60)
    found = admin.get_by_role("link", name=order_number)
    expect(found).to_be_visible()
    assert_accessible(admin)
    found.click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text(order_number)
    assert_accessible(admin)

    # 8. ... resend its mail to a corrected address
    corrected = f"juergen.grossmann-{secrets.token_hex(4)}@example.org"
    admin.get_by_label("Korrigierte E-Mail-Adresse (optional)").fill(corrected)
    admin.get_by_role("button", name="Mail erneut versenden").click()
    expect(admin.get_by_role("status").first).to_contain_text(corrected)
    wait_for_mail(local_stack, corrected, 1)

    # 9. ... and check in all its positions
    admin.get_by_role("button", name="Alle einchecken").click()
    expect(admin.get_by_role("status").first).to_contain_text("eingecheckt")
    assert_accessible(admin)
    sections.get_by_role("link", name="Abrechnung").click()  # the exhibitor: used now
    expect(figure(figures, "Genutzt")).to_have_text("1")

    assert browsers.errors == []  # so far no CSP violation, every script request answered

    # 10. a form posted without its CSRF token is refused (the hidden field taken away)
    admin.evaluate("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")
    admin.get_by_label("Korrigierte E-Mail-Adresse (optional)").fill("someone@else.example")
    with admin.expect_response(re.compile(r"/resend$")) as posted:
        admin.get_by_role("button", name="Mail erneut versenden").click()
    assert posted.value.status == 403
    expect(admin.get_by_text("Das Formular ist abgelaufen")).to_be_visible()
    assert mails_to(local_stack, "someone@else.example") == []

    # 11. a second organizer's staff see none of it; their sign-in link: once, this browser
    name = f"zweite-{secrets.token_hex(3)}"
    new_organizer(local_stack, name)
    second_admin = f"{name}@example.org"
    second = browsers()
    second.goto(f"{base}/console/sign-in")
    before = outbox_size(local_stack)
    second.get_by_label("E-Mail-Adresse").fill(second_admin)
    second.get_by_role("button", name="Anmeldelink senden").click()
    link = f"{base}{sign_in_link(local_stack, second_admin, before)}"
    elsewhere = browsers()  # the link opened in another browser: refused, and not used up
    refused = elsewhere.goto(link)
    assert refused is not None
    assert refused.status == 403
    expect(elsewhere.get_by_text("in einem anderen Browser angefordert")).to_be_visible()
    assert_accessible(elsewhere)
    second.goto(link)
    assert second.url == f"{base}/console"
    again = second.context.new_page().goto(link)  # the link again, after it signed in
    assert again is not None
    assert again.status == 404
    for path in (
        f"/console/orders/{order_number}",
        f"/console/events/{event_id}",
        f"/console/events/{event_id}/exhibitors",
        f"/console/vouchers/{codes[0]}",
    ):
        answer = second.goto(f"{base}{path}")
        assert answer is not None
        assert answer.status == 404, path
    second.goto(f"{base}/console/orders?q=Gross")
    expect(second.get_by_role("link", name=order_number)).to_have_count(0)

    # 12. the sign-in form itself: posted without the token of its browser, refused
    forged = elsewhere.context.request.post(
        f"{base}/console/sign-in", form={"email": local_stack.organizer_email}
    )
    assert forged.status == 403

    refusals = re.compile(r"^Failed to load resource: .* status of 40[34] ")
    assert [e for e in browsers.errors if not refusals.match(e)] == []  # the refusals only
    admin.screenshot(path=str(artifacts / "console-journey-order-de.png"), full_page=True)

"""The booking form of seed 001 ("Buchung erstellen") in headless Chromium through the local
stack (issue 13): the demo admin opens it from the event's page, fills the customer in with
their own data by the button (no script: the form comes back filled), adds the address,
books, and lands on the order's page, where the order is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible
from tests.browser.test_console_in_chromium import sign_in_in_the_browser
from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import new_event

pytestmark = pytest.mark.slow


def test_the_admin_books_with_my_data_and_the_order_appears(
    local_stack: LocalStack, page: Page, artifacts: Path, console_errors: list[str]
) -> None:
    event = new_event(local_stack.client, local_stack.organizer_key, name="Browser-Buchung")
    sign_in_in_the_browser(page, local_stack, local_stack.organizer_email)
    base = local_stack.client.base_url

    page.goto(f"{base}/console/events")
    page.get_by_role("link", name="Browser-Buchung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Browser-Buchung")
    assert_accessible(page, "the event's page")
    page.get_by_role("link", name="Ticket buchen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buchung erstellen")

    page.get_by_label("Anzahl").fill("2")
    page.get_by_role("button", name="Mit meinen Daten befüllen").click()
    expect(page.get_by_label("Vorname")).not_to_have_value("")
    expect(page.get_by_label("Anzahl")).to_have_value("2")  # what was typed stays
    last_name = page.get_by_label("Nachname").input_value()
    assert last_name
    customer = page.get_by_role("group", name="Kundendaten")
    expect(customer.get_by_label("E-Mail")).to_have_value(local_stack.organizer_email)

    assert_accessible(page, "the booking form, filled in")

    page.get_by_label("Straße & Nr.").fill("Hauptstraße 5")
    page.get_by_label("PLZ").fill("80331")
    page.get_by_label("Ort", exact=True).fill("München")
    page.get_by_label("Zahlung").select_option("cash")
    page.get_by_label("Versand").select_option("email")
    page.screenshot(path=str(artifacts / "console-booking-form-de.png"), full_page=True)
    expect(page.get_by_role("button", name="Speichern")).to_have_count(1)
    # Enter in a field sends the form with its default button: it books (never "fill in")
    page.get_by_label("Ort", exact=True).press("Enter")

    assert re.search(r"/console/orders/\d{2}[A-Z]{2}-\d{6}-\d{6}$", page.url), page.url
    expect(page.get_by_role("status")).to_contain_text("Buchung getätigt!")
    number = page.url.rsplit("/", 1)[1]
    expect(page.get_by_text(number).first).to_be_visible()
    order = local_stack.client.call("GET", f"/orders/{number}", local_stack.organizer_key).json()
    assert order["quantity"] == 2
    assert order["customer"]["last_name"] == last_name
    assert order["event_id"] == event["event_id"]
    assert console_errors == []

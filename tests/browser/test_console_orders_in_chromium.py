"""The organizer's orders side in headless Chromium through the local stack (issue 13): the
demo organizer's admin types a last name without its umlaut into "Bestellung suchen", sees
the order appear as they type (the page's script, under the console's CSP), opens it and
checks in all its positions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Page, expect

from tests.browser.test_console_in_chromium import sign_in_in_the_browser
from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import booking_body, new_event

pytestmark = pytest.mark.slow


def test_staff_type_a_name_see_the_order_and_check_in_all(
    local_stack: LocalStack, page: Page, artifacts: Path, console_errors: list[str]
) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key, capacity=10)
    body = booking_body("Müller", quantity=2)
    body["customer"] |= {"first_name": "Jürgen"}
    booked = client.call("POST", f"/events/{event['event_id']}/bookings", key, body)
    assert booked.status == 201, booked.body
    number = booked.json()["order_number"]

    sign_in_in_the_browser(page, local_stack, local_stack.organizer_email)
    page.get_by_role("navigation", name="Bereiche").get_by_role(
        "link", name="Bestellung suchen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bestellung suchen")
    search_url = page.url

    # typed, not submitted: the script fetches the list as the person types
    page.get_by_label("Bestellnummer oder Nachname").press_sequentially("Mull", delay=60)
    found = page.get_by_role("link", name=number)
    expect(found).to_be_visible()
    assert page.url.startswith(search_url)  # no form was submitted: the page stayed
    assert "q=Mull" in page.url  # the address keeps the query for a reload
    expect(page.get_by_role("cell", name="Jürgen Müller").first).to_be_visible()
    page.screenshot(path=str(artifacts / "console-orders-search-de.png"), full_page=True)

    found.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bestelldetails für {number}")
    expect(page.get_by_text("noch nicht/nicht erforderlich")).to_have_count(2)
    page.get_by_role("button", name="Alle einchecken").click()
    expect(page.get_by_role("status")).to_have_text("2 Ticket(s) eingecheckt.")
    expect(page.get_by_text("noch nicht/nicht erforderlich")).to_have_count(0)
    times = page.locator("td.check-in")
    expect(times).to_have_count(2)
    for cell in times.all():
        assert re.search(r"\d", cell.inner_text())
    expect(page.get_by_role("cell", name="Alle eingecheckt (2 Ticket(s))")).to_be_visible()
    page.screenshot(path=str(artifacts / "console-order-checked-in-de.png"), full_page=True)
    assert console_errors == []

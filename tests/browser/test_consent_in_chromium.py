"""The order page's mail switches and the double opt-in in headless Chromium, through the
whole platform (``ticketing-local``, issue 15): reminders change at once; marketing waits for
the confirmation mail's link, whose page has one button."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import Page, expect

from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import booking_body, new_event

pytestmark = pytest.mark.slow

REMINDERS = "Remind me by e-mail the day before the event."
MARKETING = (
    "News and offers from the organizer by e-mail (you confirm through a link we e-mail you)."
)


def mails_to(stack: LocalStack, address: str, timeout: float = 20, count: int = 1) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [
            m for m in stack.client.call("GET", "/_local/outbox").json() if m["to"] == [address]
        ]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{count} mails to {address} did not arrive")


def consent_of(stack: LocalStack, address: str) -> Any:
    return stack.client.call(
        "GET", f"/customers/consents?email={address}", stack.organizer_key
    ).json()


def test_the_holder_switches_mail_on_the_order_page_and_confirms_marketing_by_the_link(
    page: Page, local_stack: LocalStack
) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    address = f"browser-{uuid.uuid4().hex[:8]}@example.org"
    event = new_event(client, key, language="en")
    body = booking_body("Switches")
    body["customer"]["email"] = address
    order = client.call("POST", f"/events/{event['event_id']}/bookings", key, body).json()
    mails_to(local_stack, address)  # the confirmation

    page.goto(order["self_service_url"] + "?lang=en")
    expect(page.get_by_label(REMINDERS)).to_be_checked()
    expect(page.get_by_label(MARKETING)).not_to_be_checked()
    page.get_by_label(REMINDERS).uncheck()
    page.get_by_label(MARKETING).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    # reminders off at once; marketing still off until the link's button is pressed
    page.goto(order["self_service_url"] + "?lang=en")
    expect(page.get_by_label(REMINDERS)).not_to_be_checked()
    expect(page.get_by_label(MARKETING)).not_to_be_checked()
    assert consent_of(local_stack, address)["marketing"] is False

    mail = mails_to(local_stack, address, count=2)[-1]
    link = re.search(r"https?://\S*/consent/confirm/\S+", mail["text"])
    assert link, mail["text"]
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm news and offers")
    assert consent_of(local_stack, address)["marketing"] is False  # opening changes nothing
    page.get_by_role("button", name="Yes, confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmed")
    assert consent_of(local_stack, address)["marketing"] is True

    page.goto(order["self_service_url"] + "?lang=en")
    expect(page.get_by_label(MARKETING)).to_be_checked()
    expect(page.get_by_label(REMINDERS)).not_to_be_checked()

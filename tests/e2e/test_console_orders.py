"""Issue 13, the organizer's orders side, through the local stack: staff find an order by the
last name typed without umlauts, resend its mail to a corrected address, check in all its
positions, and read both in its activity log; a second organizer's staff sees none of it."""

from __future__ import annotations

import html
import io
import re
import time
import urllib.parse
from typing import Any

import pytest

from tests.e2e.console import Browser, sign_in
from tests.e2e.stack import LocalStack, mail_to
from tests.e2e.test_foundation import booking_body, new_event, new_organizer
from tests.pdf_reading import pdf_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def admin(local_stack: LocalStack) -> Browser:
    return sign_in(local_stack, local_stack.organizer_email, "127.0.0.50")


@pytest.fixture(scope="module")
def booked(local_stack: LocalStack) -> dict[str, Any]:
    """An event and an order for Jürgen Müller, booked with the organizer's key."""
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key, capacity=20)
    body = booking_body("Müller", quantity=2)
    body["customer"] |= {"first_name": "Jürgen", "email": "juergen.mueller@example.org"}
    reply = client.call("POST", f"/events/{event['event_id']}/bookings", key, body)
    assert reply.status == 201, reply.body
    return {"event": event, "order": reply.json()}


def _mails_to(stack: LocalStack, address: str, after: int, timeout: float = 60) -> dict[str, Any]:
    """The first mail to ``address`` after the first ``after`` of the outbox."""
    return mail_to(stack, address, after=after, timeout=timeout)


def test_staff_find_resend_check_in_and_read_the_log(
    local_stack: LocalStack, admin: Browser, booked: dict[str, Any]
) -> None:
    number = booked["order"]["order_number"]
    event_id = booked["event"]["event_id"]

    # the home page lists the event, its dashboard shows the figures
    assert f"/console/events/{event_id}/dashboard" in admin.text("/console")
    dashboard = admin.text(f"/console/events/{event_id}/dashboard")
    assert "2 von 20" in dashboard

    # typed as the server searches: "Mull" finds "Müller"
    found = admin.text("/console/orders?q=Mull")
    assert f'href="/console/orders/{number}"' in found
    fragment = admin.text("/console/orders/found?q=mull")
    assert number in fragment

    # the booking list and its Excel file
    assert f'href="/console/orders/{number}"' in admin.text(f"/console/events/{event_id}/orders")
    xlsx = admin.get(f"/console/events/{event_id}/orders.xlsx")
    assert xlsx.status == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.body)).active
    assert number in [str(c.value) for row in sheet.iter_rows() for c in row]

    detail_path = f"/console/orders/{number}"
    detail = admin.text(detail_path)
    assert "Jürgen Müller" in detail
    assert "noch nicht/nicht erforderlich" in detail

    # resend to a corrected address: the mail arrives there
    before = len(local_stack.client.call("GET", "/_local/outbox").json())
    corrected = "j.mueller@example.net"
    resent = admin.post(f"{detail_path}/resend", {"email": corrected}, csrf_from=detail_path)
    assert resent.status == 303, resent.body[:500]
    assert resent.headers["Location"] == detail_path
    mail = _mails_to(local_stack, corrected, before)
    assert number in mail["text"]
    notice = admin.text(detail_path)
    assert f"Die Mail wurde erneut an {corrected} versandt." in html.unescape(notice)

    # check in all: the detail shows the times
    checked = admin.post(f"{detail_path}/checkins", {}, csrf_from=detail_path)
    assert checked.status == 303, checked.body[:500]
    after = html.unescape(admin.text(detail_path))
    assert "noch nicht/nicht erforderlich" not in after
    assert len(re.findall(r'<td class="check-in">\d', after)) == 2
    # the dashboard counts them (the event's check-in counters), shown without asking (issue 13)
    assert "2 von 2 Tickets" in admin.text(f"/console/events/{event_id}/dashboard")

    # the activity log names both actions and who did them
    assert f"Mail erneut versandt an {corrected}" in after
    assert "Alle eingecheckt (2 Ticket(s))" in after
    log = after.split("Verlauf der Bestellung", 1)[1]
    assert log.count(local_stack.organizer_email) == 2

    # the invoice and the direct links come through the console too
    links = admin.get(f"{detail_path}/links.xlsx")
    assert links.status == 200
    assert links.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    invoice = admin.get(f"{detail_path}/invoice")
    assert invoice.status == 200, invoice.body[:500]
    assert invoice.headers["Content-Type"] == "application/pdf"
    assert number in pdf_text(invoice.body)

    # mark paid; a checked-in ticket keeps its name (409 page, in German)
    paid = admin.post(f"{detail_path}/payment", {}, csrf_from=detail_path)
    assert paid.status == 303
    assert "Als bezahlt markiert" in admin.text(detail_path)
    position = re.findall(r'/positions/([^/"]+)/name', detail)[0]
    kept = admin.post(
        f"{detail_path}/positions/{position}/name",
        {"first_name": "Anna", "last_name": "Meier"},
        csrf_from=detail_path,
    )
    assert kept.status == 409


def test_a_second_organizers_staff_sees_none_of_it(
    local_stack: LocalStack, booked: dict[str, Any]
) -> None:
    number = booked["order"]["order_number"]
    event_id = booked["event"]["event_id"]
    name = f"rival{int(time.time() * 1000) % 10**8}"
    new_organizer(local_stack, name)
    rival = sign_in(local_stack, f"{name}@example.org", "127.0.0.51")
    for path in (
        f"/console/orders/{number}",
        f"/console/orders/{number}/invoice",
        f"/console/orders/{number}/links.xlsx",
        f"/console/events/{event_id}/dashboard",
        f"/console/events/{event_id}/orders",
        f"/console/events/{event_id}/orders.xlsx",
    ):
        assert rival.get(path).status == 404, path
    for query in ("Mull", number):
        page = rival.text("/console/orders?" + urllib.parse.urlencode({"q": query}))
        assert f'href="/console/orders/{number}"' not in page
        assert "Keine Bestellung gefunden" in html.unescape(page)
    refused = rival.post(f"/console/orders/{number}/checkins", {}, csrf_from="/console/orders")
    assert refused.status == 404

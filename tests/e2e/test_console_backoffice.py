"""The organizer's back office through the local stack (issue 13, seed 001): the demo admin
creates an event through the form, books two tickets through "Buchung erstellen" (the same
form sent twice books once), adds an exhibitor (its contact is mailed and signs in), extends
a voucher of a batch an exhibitor ordered with its API key; the reviewer onboards an
organizer whose admin signs in and sees nothing of the demo organizer."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.console import Browser, outbox_size, sign_in
from tests.e2e.stack import LocalStack
from tests.e2e.stack import mail_to as outbox_mail_to
from tests.e2e.test_vouchers import codes_of, ready_batch

pytestmark = pytest.mark.slow

KEY = re.compile(r'name="form_key" value="([^"]+)"')


@pytest.fixture(scope="module")
def admin(local_stack: LocalStack) -> Browser:
    return sign_in(local_stack, local_stack.organizer_email, "127.0.0.50")


@pytest.fixture(scope="module")
def event_id(admin: Browser) -> str:
    form = admin.text("/console/events/new")
    key = KEY.search(form)
    assert key
    made = admin.post(
        "/console/events/new",
        {
            "form_key": key.group(1),
            "name": "Backoffice-Messe",
            "venue": "Halle 3",
            "starts_at": "2031-03-01T09:00",
            "ends_at": "2031-03-03T18:00",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "capacity": "50",
            "language": "de",
            "option_0_name": "Normalpreis",
            "option_0_price": "25.00",
            "option_0_tax_rate": "7",
            "option_1_name": "Besuchergutschein",
            "option_1_price": "12.00",
            "option_1_tax_rate": "19",
            "voucher_option": "1",
        },
        csrf_from="/console/events/new",
    )
    assert made.status == 303, made.body[:2000]
    location = made.headers["Location"]
    assert re.fullmatch(r"/console/events/evt_\w+", location)
    return location.rsplit("/", 1)[1]


def mail_to(stack: LocalStack, address: str, after: int, saying: str) -> dict[str, Any]:
    """The first mail to ``address`` (after ``after`` mails) whose text holds ``saying``."""
    return outbox_mail_to(stack, address, after=after, timeout=30, text=saying)


def test_the_event_made_through_the_form_is_listed_with_its_activity(
    admin: Browser, event_id: str, local_stack: LocalStack
) -> None:
    page = admin.text(f"/console/events/{event_id}")
    assert "Backoffice-Messe" in page
    assert "Veranstaltung „Backoffice-Messe“ angelegt" in page
    assert f'href="/console/events/{event_id}"' in admin.text("/console/events")
    api = local_stack.client.call("GET", f"/events/{event_id}", local_stack.organizer_key).json()
    assert api["voucher_price_option"] == "besuchergutschein"
    assert api["starts_at"] == "2031-03-01T09:00:00+01:00"  # in the event's zone


def test_two_tickets_are_booked_through_the_form_once_though_it_is_sent_twice(
    admin: Browser, event_id: str, local_stack: LocalStack
) -> None:
    path = f"/console/events/{event_id}/bookings/new"
    form = admin.text(path)
    key = KEY.search(form)
    assert key
    fields = {
        "form_key": key.group(1),
        "submitter.company": "Demo GmbH",
        "submitter.email": local_stack.organizer_email,
        "customer.first_name": "Jürgen",
        "customer.last_name": "Größmann",
        "customer.street": "Hauptstraße 5",
        "customer.zip": "80331",
        "customer.city": "München",
        "customer.email": "juergen.backoffice@example.org",
        "quantity": "2",
        "price_option": "normalpreis",
        "payment": "transfer",
        "delivery": "email",
        "show_price": "on",
    }
    first = admin.post(path, fields, csrf_from=path)
    assert first.status == 303, first.body[:2000]
    location = first.headers["Location"]
    second = admin.post(path, fields, csrf_from=path)
    assert second.status == 303
    assert second.headers["Location"] == location
    number = location.rsplit("/", 1)[1]
    order = local_stack.client.call("GET", f"/orders/{number}", local_stack.organizer_key).json()
    assert order["quantity"] == 2
    event = local_stack.client.call("GET", f"/events/{event_id}", local_stack.organizer_key)
    assert event.json()["sold"] == 2  # booked once
    # the second submit's notice: the first booking stands
    assert f"Es gilt die Buchung {number}." in admin.text(location)
    assert f"Buchung {number} erstellt" in admin.text(f"/console/events/{event_id}")
    bad = admin.post(path, {**fields, "form_key": "x" * 30, "customer.zip": "1"}, csrf_from=path)
    assert bad.status == 422
    assert 'id="f-customer-zip-error"' in bad.body.decode()


def test_an_exhibitors_contact_is_mailed_and_signs_in(
    admin: Browser, event_id: str, local_stack: LocalStack
) -> None:
    before = outbox_size(local_stack)
    address = "kontakt.backoffice@aussteller.example"
    made = admin.post(
        f"/console/events/{event_id}/exhibitors",
        {"name": "Aussteller Backoffice", "email": address},
        csrf_from=f"/console/events/{event_id}/exhibitors",
    )
    assert made.status == 303, made.body[:2000]
    mail_to(local_stack, address, before, "/console/sign-in")  # the console's invitation
    contact = sign_in(local_stack, address, "127.0.0.51")
    assert "Aussteller Backoffice" in contact.text("/console")
    listed = admin.text(f"/console/events/{event_id}/exhibitors")
    assert "Aussteller Backoffice" in listed
    excel = admin.get(f"/console/events/{event_id}/statements.xlsx")
    assert excel.status == 200
    assert excel.body[:2] == b"PK"


def test_a_voucher_of_a_batch_ordered_with_the_api_is_extended_in_the_console(
    admin: Browser, event_id: str, local_stack: LocalStack
) -> None:
    client = local_stack.client
    exhibitor = client.call(
        "POST",
        "/exhibitors",
        local_stack.organizer_key,
        {
            "name": "API-Aussteller",
            "email": "api.backoffice@aussteller.example",
            "event_id": event_id,
        },
    ).json()
    [code] = codes_of(ready_batch(client, exhibitor["api_key"], event_id, 1))
    page = admin.text(f"/console/vouchers/{code}")
    assert "API-Aussteller" in page
    extended = admin.post(
        f"/console/vouchers/{code}/validity",
        {"valid_until": "2031-03-02"},
        csrf_from=f"/console/vouchers/{code}",
    )
    assert extended.status == 303, extended.body[:2000]
    assert f"Der Gutschein {code} gilt jetzt bis" in admin.text(f"/console/vouchers/{code}")
    assert f"Gutschein {code} verlängert" in admin.text(f"/console/events/{event_id}")


def test_the_reviewer_onboards_an_organizer_whose_admin_sees_nothing_of_the_demo(
    admin: Browser, event_id: str, local_stack: LocalStack
) -> None:
    reviewer = sign_in(local_stack, local_stack.reviewer_email, "127.0.0.52")
    address = "chefin.backoffice@neu.example"
    made = reviewer.post(
        "/console/organizers",
        {"name": "Neuer Veranstalter", "email": address, "language": "de"},
        csrf_from="/console/organizers",
    )
    assert made.status == 303, made.body[:2000]
    page = reviewer.text(made.headers["Location"])
    assert "Neuer Veranstalter" in page
    assert address in page
    newcomer = sign_in(local_stack, address, "127.0.0.53")
    assert "Backoffice-Messe" not in newcomer.text("/console/events")
    for path in (
        f"/console/events/{event_id}",
        f"/console/events/{event_id}/bookings/new",
        f"/console/events/{event_id}/exhibitors",
    ):
        assert newcomer.get(path).status == 404, path

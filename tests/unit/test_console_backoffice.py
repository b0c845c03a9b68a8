"""The organizer's back office in the console on fakes (issue 13, seed 001): events, the
booking form ("Buchung erstellen", "fill in with my data", a double submit books once), a
voucher's page and its extension, exhibitors and their statements, the organizer's
settings, and the reviewer's onboarding; another tenant sees none of it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.fakes import samples
from tests.fakes.clock import FixedClock
from tests.fakes.people import fake_console_stores
from tests.unit.test_console_pages import request, signed_in
from ticketing.domain.people import StaffInvitation, StaffRole, User
from ticketing.domain.voucher_codes import new_code
from ticketing.services import staff
from ticketing.settings import scoped_environment

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ORG = samples.ORGANIZER_ID
KEY = re.compile(r'name="form_key" value="([^"]+)"')


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    with scoped_environment({"PUBLIC_BASE_URL": "https://tickets.example"}):
        yield


@pytest.fixture
def stores() -> Any:
    stores = fake_console_stores(FixedClock(NOW))
    stores.access.add_party(samples.an_organizer(), None)
    return stores


@pytest.fixture
def admin(stores: Any) -> User:
    return staff.add_first_admin(
        stores.people, stores.clock, ORG, "ada@example.org", "Ada Lovelace"
    )


@pytest.fixture
def cookies(stores: Any, admin: User) -> dict[str, str]:
    return signed_in(stores, admin)


@pytest.fixture
def fair(stores: Any) -> Any:
    event = samples.a_fair()
    stores.events.add(event)
    return event


def csrf_of(stores: Any, cookies: dict[str, str]) -> str:
    page = request(stores, "GET", "/console", cookies=cookies)["body"]
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def post(stores: Any, cookies: dict[str, str], path: str, form: dict[str, str]) -> dict[str, Any]:
    body = urlencode({**form, "csrf": csrf_of(stores, cookies)})
    return request(stores, "POST", path, body, cookies=cookies)


def get(stores: Any, cookies: dict[str, str], path: str) -> dict[str, Any]:
    return request(stores, "GET", path, cookies=cookies)


def booking(event_id: str, key: str, **more: str) -> dict[str, str]:
    return {
        "form_key": key,
        "submitter.company": "Messe München",
        "submitter.email": "ada@example.org",
        "customer.first_name": "Jürgen",
        "customer.last_name": "Größmann",
        "customer.street": "Messegelände 1",
        "customer.zip": "81823",
        "customer.city": "München",
        "customer.email": "juergen@example.org",
        "quantity": "2",
        "price_option": "day",
        "payment": "cash",
        "delivery": "email",
        "show_price": "on",
        **more,
    }


def test_an_event_is_created_through_the_form_and_its_page_shows_the_activity(
    stores: Any, cookies: dict[str, str]
) -> None:
    form = get(stores, cookies, "/console/events/new")
    assert form["statusCode"] == 200
    key = KEY.search(form["body"])
    assert key
    fields = {
        "form_key": key.group(1),
        "name": "Sommerfest",
        "venue": "Stadtpark",
        "starts_at": "2027-07-01T18:00",
        "ends_at": "2027-07-01T23:00",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "capacity": "200",
        "language": "de",
        "option_0_name": "Normalpreis",
        "option_0_price": "25.00",
        "option_0_tax_rate": "7",
        "option_1_name": "Ermäßigt",
        "option_1_price": "15.00",
        "option_1_tax_rate": "7",
        "voucher_option": "0",
    }
    made = post(stores, cookies, "/console/events/new", fields)
    assert made["statusCode"] == 303, made["body"][:2000]
    location = made["headers"]["Location"]
    again = post(stores, cookies, "/console/events/new", fields)  # the same form sent twice
    assert again["headers"]["Location"] == location
    event_id = location.rsplit("/", 1)[1]
    event = stores.events.get(event_id)
    assert event.starts_at == datetime(2027, 7, 1, 16, 0, tzinfo=UTC)
    assert [o.id for o in event.price_options] == ["normalpreis", "ermaessigt"]
    assert event.voucher_price_option == "normalpreis"
    page = get(stores, cookies, location)["body"]
    assert "Sommerfest" in page
    assert "Ada Lovelace" in page
    assert page.count("Veranstaltung „Sommerfest“ angelegt") == 1  # recorded once
    listed = get(stores, cookies, "/console/events")["body"]
    assert f'href="/console/events/{event_id}"' in listed


def test_a_bad_event_gets_the_form_back_with_the_messages_next_to_the_fields(
    stores: Any, cookies: dict[str, str]
) -> None:
    bad = post(
        stores,
        cookies,
        "/console/events/new",
        {
            "name": "X",
            "currency": "Euro",
            "timezone": "Mars/Olympus",
            "capacity": "0",
            "option_1_name": "Kinder",
            "option_1_price": "abc",
        },
    )
    assert bad["statusCode"] == 422
    body = bad["body"]
    for field in ("f-venue", "f-currency", "f-timezone", "f-capacity", "f-option-1-price"):
        assert f'id="{field}-error"' in body, field
    assert 'aria-invalid="true"' in body
    assert 'value="Kinder"' in body  # what was typed stays


def test_the_booking_form_fills_in_my_data_and_books_once_when_sent_twice(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    path = f"/console/events/{fair.event_id}/bookings/new"
    form = get(stores, cookies, path)
    assert form["statusCode"] == 200
    assert "Buchung erstellen" in form["body"]
    assert 'value="ada@example.org"' in form["body"]
    key = KEY.search(form["body"])
    assert key
    filled = post(stores, cookies, path, {"form_key": key.group(1), "fill": "1", "quantity": "3"})
    assert filled["statusCode"] == 200
    assert 'value="Ada"' in filled["body"]
    assert 'value="Lovelace"' in filled["body"]
    assert 'value="3"' in filled["body"]
    assert key.group(1) in filled["body"]

    fields = booking(fair.event_id, key.group(1))
    first = post(stores, cookies, path, fields)
    assert first["statusCode"] == 303, first["body"][:3000]
    location = first["headers"]["Location"]
    assert re.fullmatch(r"/console/orders/\d{2}[A-Z]{2}-\d{6}-\d{6}", location)
    second = post(stores, cookies, path, fields)
    assert second["headers"]["Location"] == location
    number = location.rsplit("/", 1)[1]
    order = stores.orders.get(number)
    assert order.quantity == 2
    assert order.payment == "cash"
    assert order.show_price
    assert stores.events.get(fair.event_id).sold == 2  # booked once
    [entry] = stores.activity.of("ORDER", number)
    assert entry.who == "Ada Lovelace <ada@example.org>"
    assert [a.message_id for a in stores.activity.of("EVENT", fair.event_id)] == [
        "activity.event.booked"
    ]


def test_a_bad_booking_says_what_is_wrong_in_the_users_language(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    path = f"/console/events/{fair.event_id}/bookings/new"
    fields = booking(
        fair.event_id, "k" * 20, **{"customer.zip": "1", "payment": "", "quantity": "0"}
    )
    bad = post(stores, cookies, path, fields)
    assert bad["statusCode"] == 422
    body = bad["body"]
    for field in ("f-customer-zip", "f-payment", "f-quantity"):
        assert f'id="{field}-error"' in body, field
    assert "Postleitzahl" in body or "PLZ" in body
    sold_out = post(stores, cookies, path, booking(fair.event_id, "s" * 20, quantity="500"))
    assert sold_out["statusCode"] == 409
    assert 'id="f-quantity-error"' in sold_out["body"]
    assert stores.events.get(fair.event_id).sold == 0


def a_voucher(stores: Any, fair: Any) -> tuple[Any, str]:
    exhibitor = samples.an_exhibitor(fair)
    stores.access.add_party(exhibitor, None)
    batches = stores.visitor_vouchers.batches
    batch = samples.a_batch(fair, exhibitor.exhibitor_id, 1, None, created_at=NOW)
    batches.add_batch(batch)
    code = new_code()
    batches.write_codes(batch, 0, [code])
    batches.finish_batch(batch, NOW)
    return exhibitor, code


def test_a_voucher_page_shows_its_validity_and_extends_it(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    exhibitor, code = a_voucher(stores, fair)
    page = get(stores, cookies, f"/console/vouchers/{code}")
    assert page["statusCode"] == 200, page["body"][:2000]
    assert exhibitor.name in page["body"]
    assert "ausgegeben" in page["body"]
    found = request(
        stores, "GET", "/console/vouchers", cookies=cookies, query={"code": code.lower()}
    )
    assert found["headers"]["Location"] == f"/console/vouchers/{code}"
    past = post(
        stores, cookies, f"/console/vouchers/{code}/validity", {"valid_until": "2020-01-01"}
    )
    assert past["statusCode"] == 422
    assert "Vergangenheit" in past["body"]
    beyond = post(
        stores, cookies, f"/console/vouchers/{code}/validity", {"valid_until": "2031-01-01"}
    )
    assert beyond["statusCode"] == 422
    assert "Ende der Veranstaltung" in beyond["body"]
    done = post(
        stores,
        cookies,
        f"/console/vouchers/{code}/validity",
        {"valid_until": "2031-01-01", "beyond_event_end": "on"},
    )
    assert done["statusCode"] == 303
    voucher = stores.visitor_vouchers.vouchers.get_voucher(code)
    assert voucher.valid_until == datetime(2031, 1, 1, 23, 0, tzinfo=UTC)  # the day whole
    [entry] = stores.activity.of("EVENT", fair.event_id)
    assert entry.message_id == "activity.event.voucher_extended"
    assert "Frühere Änderungen" in get(stores, cookies, f"/console/vouchers/{code}")["body"]


def test_exhibitors_are_added_invited_cancelled_and_their_statements_downloaded(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    path = f"/console/events/{fair.event_id}/exhibitors"
    bad = post(stores, cookies, path, {"name": "Waldbau", "email": "nope"})
    assert bad["statusCode"] == 422
    assert 'id="f-email-error"' in bad["body"]
    made = post(stores, cookies, path, {"name": "Waldbau Schmidt", "email": "info@waldbau.example"})
    assert made["statusCode"] == 303
    contact = stores.people.find_by_email("info@waldbau.example")
    assert contact is not None
    assert contact.kind.value == "exhibitor"
    invited = [m for m in stores.mail.requests if m.template == "console_invitation"]
    assert [m.to for m in invited] == [["info@waldbau.example"]]
    page = get(stores, cookies, path)["body"]
    assert "Waldbau Schmidt" in page
    assert "info@waldbau.example" in page
    [exhibitor] = [e for e in stores.access.list_exhibitors(ORG) if e.name == "Waldbau Schmidt"]
    cancelled = post(stores, cookies, f"/console/exhibitors/{exhibitor.exhibitor_id}/cancel", {})
    assert cancelled["statusCode"] == 303
    assert stores.access.get_exhibitor(exhibitor.exhibitor_id).cancelled_at is not None
    again = post(stores, cookies, f"/console/exhibitors/{exhibitor.exhibitor_id}/cancel", {})
    assert again["statusCode"] == 303  # said so, no error page
    messages = [a.message_id for a in stores.activity.of("EVENT", fair.event_id)]
    assert messages == ["activity.event.exhibitor_added", "activity.event.exhibitor_cancelled"]

    import base64

    import openpyxl

    excel = get(stores, cookies, f"/console/events/{fair.event_id}/statements.xlsx")
    assert excel["statusCode"] == 200
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(excel["body"])))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "Waldbau Schmidt" in cells


def test_the_organizers_settings_are_saved_by_an_admin_only(
    stores: Any, cookies: dict[str, str], admin: User
) -> None:
    page = get(stores, cookies, "/console/settings")
    assert page["statusCode"] == 200
    saved = post(
        stores,
        cookies,
        "/console/settings",
        {
            "name": "Messe München",
            "language": "de",
            "city": "München",
            "vat_id": "DE123456789",
            "payment_days": "21",
        },
    )
    assert saved["statusCode"] == 303, saved["body"][:2000]
    organizer = stores.access.get_organizer(ORG)
    assert (organizer.city, organizer.vat_id, organizer.payment_days) == (
        "München",
        "DE123456789",
        21,
    )
    bad = post(stores, cookies, "/console/settings", {"name": "M", "website": "not a link"})
    assert bad["statusCode"] == 422
    assert 'id="f-website-error"' in bad["body"]
    colleague = staff.invite_staff(
        stores.staff_desk,
        samples.organizer_of(samples.a_fair()),
        admin,
        StaffInvitation(email="bob@example.org", name="Bob", role=StaffRole.STAFF, language="de"),
    )
    theirs = signed_in(stores, colleague)
    assert get(stores, theirs, "/console/settings")["statusCode"] == 403


def test_the_reviewer_onboards_an_organizer_whose_address_becomes_its_admin(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    reviewer = staff.add_reviewer(stores.people, stores.clock, "rita@platform.example", "Rita")
    theirs = signed_in(stores, reviewer)
    bad = post(stores, theirs, "/console/organizers", {"name": "Neu", "email": "kein"})
    assert bad["statusCode"] == 422
    assert 'id="f-email-error"' in bad["body"]
    made = post(
        stores,
        theirs,
        "/console/organizers",
        {"name": "Stadtfest GmbH", "email": "chefin@stadtfest.example", "language": "de"},
    )
    assert made["statusCode"] == 303
    location = made["headers"]["Location"]
    admin = stores.people.find_by_email("chefin@stadtfest.example")
    assert admin is not None
    assert admin.is_admin
    assert location.endswith(admin.organizer_id)
    page = get(stores, theirs, location)["body"]
    assert "Stadtfest GmbH" in page
    assert "chefin@stadtfest.example" in page
    demo = get(stores, theirs, f"/console/organizers/{ORG}")["body"]
    assert "Ada Lovelace" in demo  # its staff, and its one event
    assert re.search(r"<dd>1</dd>", demo)
    assert get(stores, cookies, "/console/organizers")["statusCode"] == 403  # staff: not theirs

    newcomer = signed_in(stores, admin)
    assert get(stores, newcomer, f"/console/events/{fair.event_id}")["statusCode"] == 404
    assert "INTERFORST" not in get(stores, newcomer, "/console/events")["body"]


def test_another_tenants_objects_answer_as_missing(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    _, code = a_voucher(stores, fair)
    other = staff.add_first_admin(
        stores.people, stores.clock, "org_other", "eve@example.org", "Eve"
    )
    theirs = signed_in(stores, other)
    for path in (
        f"/console/events/{fair.event_id}",
        f"/console/events/{fair.event_id}/bookings/new",
        f"/console/events/{fair.event_id}/exhibitors",
        f"/console/events/{fair.event_id}/statements.xlsx",
        f"/console/vouchers/{code}",
    ):
        assert get(stores, theirs, path)["statusCode"] == 404, path
    path = f"/console/events/{fair.event_id}/bookings/new"
    assert post(stores, theirs, path, booking(fair.event_id, "e" * 20))["statusCode"] == 404
    ext = post(stores, theirs, f"/console/vouchers/{code}/validity", {"valid_until": "2030-07-10"})
    assert ext["statusCode"] == 404
    assert stores.events.get(fair.event_id).sold == 0

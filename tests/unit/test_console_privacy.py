"""A person's data in the console on fakes (seed 002): the organizer exports an address,
erases the person only after the second form's box is ticked, follows the erasure, and sets
an event's retention and legal hold; another tenant sees none of it."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from tests.fakes import samples
from tests.unit import worlds
from tests.unit.test_console_backoffice import KEY, NOW, ORG, booking, get, post  # noqa: F401
from tests.unit.test_console_pages import signed_in
from ticketing.domain.erasure import ERASED
from ticketing.services import staff
from ticketing.services.erasure import run_erasure

EMAIL = "juergen@example.org"


# the signed-in organizer's world (tests.unit.worlds), under the names its tests ask for
environment = worlds.environment
stores = worlds.organizer_stores
cookies = worlds.organizer_cookies
fair = worlds.organizer_fair


def booked(stores: Any, cookies: dict[str, str], fair: Any) -> str:
    path = f"/console/events/{fair.event_id}/bookings/new"
    key = KEY.search(get(stores, cookies, path)["body"])
    assert key
    done = post(stores, cookies, path, booking(fair.event_id, key.group(1)))
    assert done["statusCode"] == 303, done["body"][:2000]
    return str(done["headers"]["Location"].rsplit("/", 1)[1])


def test_a_person_is_exported_then_erased_after_the_second_form(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    number = booked(stores, cookies, fair)
    assert "Datenschutz" in get(stores, cookies, "/console/privacy")["body"]

    exported = post(stores, cookies, "/console/privacy/export", {"email": EMAIL, "format": "json"})
    assert exported["statusCode"] == 200
    found = json.loads(base64.b64decode(exported["body"]))
    assert [o["order_number"] for o in found["orders"]] == [number]

    confirm = post(stores, cookies, "/console/privacy/erase", {"email": EMAIL})
    assert confirm["statusCode"] == 200
    assert "Löschung bestätigen" in confirm["body"]
    unticked = post(stores, cookies, "/console/privacy/erase/confirmed", {"email": EMAIL})
    assert unticked["statusCode"] == 422
    assert stores.orders.get(number).customer.email == EMAIL  # nothing happened yet

    started = post(
        stores, cookies, "/console/privacy/erase/confirmed", {"email": EMAIL, "confirm": "on"}
    )
    assert started["statusCode"] == 303
    location = started["headers"]["Location"]
    erasure_id = location.rsplit("/", 1)[1]
    run_erasure(stores.privacy.erasure, erasure_id)
    page = get(stores, cookies, location)["body"]
    assert "Erledigt" in page
    assert re.search(r"Bestellungen</th><td>1<", page)
    order = stores.orders.get(number)
    assert order.customer.email is None
    assert order.customer.last_name == ERASED


def test_a_bad_address_comes_back_at_its_field(stores: Any, cookies: dict[str, str]) -> None:
    refused = post(stores, cookies, "/console/privacy/export", {"email": "no address"})
    assert refused["statusCode"] == 422
    assert "gültige E-Mail-Adresse" in refused["body"]


def test_retention_and_legal_hold_are_set_on_the_event(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    path = f"/console/events/{fair.event_id}/retention"
    assert 'value="90"' in get(stores, cookies, path)["body"]
    assert "/retention" in get(stores, cookies, f"/console/events/{fair.event_id}")["body"]
    assert post(stores, cookies, path, {"retention_days": "0"})["statusCode"] == 422
    saved = post(stores, cookies, path, {"retention_days": "30", "legal_hold": "on"})
    assert saved["statusCode"] == 303
    event = stores.events.get(fair.event_id)
    assert (event.retention_days, event.legal_hold) == (30, True)
    assert "activity.event.retention" in [
        a.message_id for a in stores.activity.of("EVENT", fair.event_id)
    ]


def test_another_organizers_staff_see_no_erasure_nor_event(
    stores: Any, cookies: dict[str, str], fair: Any
) -> None:
    booked(stores, cookies, fair)
    started = post(
        stores, cookies, "/console/privacy/erase/confirmed", {"email": EMAIL, "confirm": "on"}
    )
    location = started["headers"]["Location"]
    other = samples.an_organizer("org_other0000000000")
    stores.access.add_party(other, None)
    intruder = staff.add_first_admin(
        stores.people, stores.clock, other.organizer_id, "eve@example.org", "Eve"
    )
    theirs = signed_in(stores, intruder)
    assert get(stores, theirs, location)["statusCode"] == 404
    assert get(stores, theirs, f"/console/events/{fair.event_id}/retention")["statusCode"] == 404

"""The console's erasure acts once (issue 17): the confirmation form carries a one-time key,
sent as the erasure's Idempotency-Key, so a double submit starts one erasure, not two; the
same key with another address is a new form, and an unticked box keeps the form's key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.clock import FixedClock
from tests.fakes.people import fake_console_stores
from tests.unit.test_console_backoffice import KEY, NOW, ORG, booking, get, post
from tests.unit.test_console_pages import signed_in
from ticketing.services import staff
from ticketing.settings import scoped_environment

EMAIL = "juergen@example.org"
CONFIRMED = "/console/privacy/erase/confirmed"


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    with scoped_environment({"PUBLIC_BASE_URL": "https://tickets.example"}):
        yield


@pytest.fixture
def stores() -> Any:
    made = fake_console_stores(FixedClock(NOW))
    made.access.add_party(samples.an_organizer(), None)
    event = samples.a_fair()
    made.events.add(event)
    admin = staff.add_first_admin(made.people, made.clock, ORG, "ada@example.org", "Ada")
    made.cookies = signed_in(made, admin)
    path = f"/console/events/{event.event_id}/bookings/new"
    key = KEY.search(get(made, made.cookies, path)["body"])
    assert key
    assert (
        post(made, made.cookies, path, booking(event.event_id, key.group(1)))["statusCode"] == 303
    )
    return made


def form_key(stores: Any, email: str = EMAIL) -> str:
    """The key of a fresh confirmation form for ``email``."""
    confirm = post(stores, stores.cookies, "/console/privacy/erase", {"email": email})
    assert confirm["statusCode"] == 200
    found = KEY.search(confirm["body"])
    assert found, confirm["body"][:2000]
    return found.group(1)


def test_a_double_submit_of_the_confirmation_starts_one_erasure(stores: Any) -> None:
    key = form_key(stores)
    form = {"email": EMAIL, "confirm": "on", "form_key": key}

    first = post(stores, stores.cookies, CONFIRMED, form)
    second = post(stores, stores.cookies, CONFIRMED, form)

    assert (first["statusCode"], second["statusCode"]) == (303, 303)
    assert first["headers"]["Location"] == second["headers"]["Location"]
    erasures = stores.privacy.erasure.erasures.erasures
    assert len(erasures) == 1
    # the one erasure (queued again while it waits: running it twice is idempotent)
    assert set(stores.privacy.erasure.queue.sent) == set(erasures)


def test_two_forms_are_two_erasures(stores: Any) -> None:
    for _ in range(2):
        form = {"email": EMAIL, "confirm": "on", "form_key": form_key(stores)}
        assert post(stores, stores.cookies, CONFIRMED, form)["statusCode"] == 303

    assert len(stores.privacy.erasure.erasures.erasures) == 2


def test_an_unticked_box_keeps_the_key_and_a_used_key_with_another_address_is_refused(
    stores: Any,
) -> None:
    key = form_key(stores)
    unticked = post(stores, stores.cookies, CONFIRMED, {"email": EMAIL, "form_key": key})
    assert unticked["statusCode"] == 422
    assert f'value="{key}"' in unticked["body"]
    started = post(
        stores, stores.cookies, CONFIRMED, {"email": EMAIL, "confirm": "on", "form_key": key}
    )
    assert started["statusCode"] == 303

    other = {"email": "someone.else@example.org", "confirm": "on", "form_key": key}
    refused = post(stores, stores.cookies, CONFIRMED, other)

    assert refused["statusCode"] == 422
    fresh = KEY.search(refused["body"])
    assert fresh
    assert fresh.group(1) != key
    assert len(stores.privacy.erasure.erasures.erasures) == 1

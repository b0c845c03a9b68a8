"""A customer's consent on their order in the console (issue 15 item 7): its state and history,
the mail withheld from the order with why, and the organizer's change on the customer's
request (PUT /customers/consents's use case, channel ``organizer``, CSRF, an activity entry)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.fakes.platform import FakePlatform
from tests.unit.test_console_orders import World, world_of
from tests.unit.test_console_pages import request
from ticketing.domain.consent import address_key
from ticketing.services.ports_mail import WithheldMail
from ticketing.settings import scoped_environment


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    with scoped_environment({"PUBLIC_BASE_URL": "https://tickets.example"}):
        yield


@pytest.fixture
def world() -> World:
    return world_of(FakePlatform())


def test_the_order_shows_consent_its_history_and_the_withheld_mail(world: World) -> None:
    order = world.book()
    consents = world.stores.notifications.consents
    address = address_key(order.mail_recipient)
    now = world.stores.clock.now()
    consents.change(order.organizer_id, address, "marketing", True, now, "double_opt_in")
    later = now + timedelta(days=1)
    consents.change(order.organizer_id, address, "marketing", False, later, "one_click")
    world.stores.notifications.withheld.record(
        WithheldMail(
            request_id="ntf-1",
            template="notification",
            mail_class="marketing",
            address=address,
            outcome="no_consent",
            reason="marketing",
            at=later,
            order_number=order.order_number,
        )
    )
    body = world.get(f"/console/orders/{order.order_number}")["body"]
    assert 'id="consent-reminders">erteilt<' in body
    assert 'id="consent-marketing">nicht erteilt<' in body
    assert "Bestätigungslink (Double-Opt-In)" in body
    assert "Abmeldung im Mailprogramm (ein Klick)" in body
    assert 'id="withheld-mails"' in body
    assert "keine Einwilligung zu Werbung" in body


def test_the_organizer_changes_consent_on_request_recorded_as_such(world: World) -> None:
    order = world.book()
    path = f"/console/orders/{order.order_number}"
    done = world.post(f"{path}/consent", "reminders=off&marketing=", csrf_from=path)
    assert done["statusCode"] == 303
    assert done["headers"]["Location"] == path
    state = world.stores.notifications.consents.get(
        order.organizer_id, address_key(order.mail_recipient)
    )
    assert (state.reminders, state.marketing) == (False, False)
    assert [(e.what, e.value, e.channel) for e in state.history] == [
        ("reminders", False, "organizer")
    ]
    after = world.get(path)["body"]
    assert 'id="consent-reminders">nicht erteilt<' in after
    assert "Veranstalter auf Wunsch des Kunden" in after
    assert "Einwilligung auf Kundenwunsch geändert: reminders=off" in after
    log = world.stores.activity.of("ORDER", order.order_number)
    assert [a.message_id for a in log] == ["activity.order.consent"]


def test_a_change_without_csrf_or_from_another_tenant_changes_nothing(world: World) -> None:
    order = world.book()
    path = f"/console/orders/{order.order_number}/consent"
    forged = request(world.stores, "POST", path, "marketing=on", cookies=world.cookies)
    assert forged["statusCode"] == 403
    other = world_of(world.platform, "org_other0000000000")
    refused = other.post(path, "marketing=on", csrf_from="/console/orders")
    assert refused["statusCode"] == 404
    state = world.stores.notifications.consents.get(
        order.organizer_id, address_key(order.mail_recipient)
    )
    assert state.history == []
    assert world.stores.activity.of("ORDER", order.order_number) == []
    nothing = world.post(path, "reminders=&marketing=", csrf_from=path.rsplit("/", 1)[0])
    assert nothing["statusCode"] == 422
    assert "Wählen Sie Erinnerungen oder Werbung" in nothing["body"]

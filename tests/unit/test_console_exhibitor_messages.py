"""The exhibitor's messages to its registrants in the console (issue 16 items 5 and 6) on
fakes: the page lists them with their review state and the reviewer's question, a new one is
previewed (nothing stored) and submitted for review; after the reviewer asks back the
exhibitor changes it and submits it again; another exhibitor finds nothing; the event's home
page links to it and the batch's page shows its counts."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit import test_console_invitations as console_invitations
from tests.unit import worlds
from tests.unit.services.given import issued_vouchers
from tests.unit.test_console_pages import request, set_cookies, signed_in
from ticketing.domain.events import Event
from ticketing.domain.identity import Principal, Role
from ticketing.domain.parties import Exhibitor
from ticketing.domain.visitor_vouchers import RegistrationForm
from ticketing.services import notifications, staff
from ticketing.services.visitor_vouchers.registration import register
from ticketing.settings import scoped_environment

BASE = "/console/exhibitor/messages"
REVIEWER = Principal(Role.REVIEWER, "rev_1", None, "key_reviewer")


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    variables = {"PUBLIC_BASE_URL": "https://tickets.example", "REVIEW_MAIL": "r@example.com"}
    with scoped_environment(variables):
        yield


# the signed-in exhibitor's world (tests.unit.worlds); this page's fair also holds its organizer
platform = worlds.platform
stores = worlds.exhibitor_stores
exhibitor = worlds.exhibitor
csrf_of = worlds.csrf_of
post = console_invitations.post


@pytest.fixture
def fair(platform: FakePlatform) -> Event:
    platform.db.parties[samples.an_organizer().organizer_id] = samples.an_organizer()
    event = samples.a_fair()
    platform.events.add(event)
    return event


def contact_cookies(stores: Any, exhibitor: Exhibitor) -> dict[str, str]:
    user = staff.exhibitor_contact(stores.people, exhibitor)
    assert user is not None
    return signed_in(stores, user)


def registrants(platform: FakePlatform, fair: Event, exhibitor: Exhibitor) -> Any:
    """Three codes registered, the first two agreeing that the exhibitor may write."""
    batch, codes = issued_vouchers(platform, fair, exhibitor, 4)
    for i, code in enumerate(codes[:3]):
        form = RegistrationForm(
            first_name=f"Vera{i}",
            last_name="Besucher",
            email=f"v{i}@example.org",
            contact_consent=i < 2,
        )
        register(platform.registration_desk(), "203.0.113.9", code, form, lambda _: None)
    return batch


def text(body: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", body))


def test_the_exhibitor_previews_submits_is_asked_back_changes_and_submits_again(
    platform: FakePlatform, stores: Any, fair: Event, exhibitor: Exhibitor
) -> None:
    registrants(platform, fair, exhibitor)
    cookies = contact_cookies(stores, exhibitor)

    page = request(stores, "GET", BASE, cookies=cookies, query={"lang": "en"})
    assert page["statusCode"] == 200
    assert 'data-consenting="2"' in page["body"]
    assert "You have not written to your registrants yet." in text(page["body"])
    assert f'href="{BASE}"' in page["body"]  # in the navigation

    typed = {"subject": "Wir sehen uns", "body": "Besuchen Sie uns an **Stand 12**."}
    shown = post(stores, BASE, cookies, action="preview", kind="information", **typed)
    assert shown["statusCode"] == 200
    assert "Stand 12" in shown["body"]
    assert "data-preview-text" in shown["body"]
    assert stores.notifications.store.of_event(fair.event_id) == []  # nothing stored

    sent = post(stores, BASE, cookies, action="submit", kind="information", **typed)
    assert sent["statusCode"] == 303, sent["body"][:2000]
    [message] = stores.notifications.store.of_event(fair.event_id)
    nid = message.notification_id
    assert sent["headers"]["Location"] == f"{BASE}/{nid}"
    assert (message.state, message.exhibitor_id) == ("submitted", exhibitor.exhibitor_id)
    submitted = request(
        stores, "GET", f"{BASE}/{nid}", cookies=cookies | set_cookies(sent), query={"lang": "en"}
    )
    assert '"Wir sehen uns" was submitted for review.' in text(submitted["body"])
    assert "data-locked" in submitted["body"]  # waiting for the review: no form to change it
    assert 'name="action" value="save"' not in submitted["body"]

    desk = stores.notifications.desk(stores)
    notifications.ask(desk, REVIEWER, nid, "Welche Halle?")
    listed = request(stores, "GET", BASE, cookies=cookies, query={"lang": "en"})["body"]
    assert f'data-message="{nid}" data-state="question"' in listed
    assert "Welche Halle?" in listed
    detail = request(stores, "GET", f"{BASE}/{nid}", cookies=cookies)["body"]
    assert 'id="message-question">Welche Halle?' in detail
    assert 'name="action" value="submit"' in detail

    preview = post(
        stores, f"{BASE}/{nid}", cookies, action="preview", subject="Halle B", body="Halle **B**"
    )
    assert preview["statusCode"] == 200
    assert "Halle B" in preview["body"]
    unchanged = stores.notifications.store.get(nid)
    assert unchanged is not None
    assert unchanged.subject == "Wir sehen uns"

    again = post(
        stores,
        f"{BASE}/{nid}",
        cookies,
        action="submit",
        subject="Halle B, Stand 12",
        body="Sie finden uns in Halle B.",
        kind="information",
    )
    assert again["statusCode"] == 303, again["body"][:2000]
    found = stores.notifications.store.get(nid)
    assert found is not None
    assert (found.state, found.subject, found.body) == (
        "submitted",
        "Halle B, Stand 12",
        "Sie finden uns in Halle B.",
    )
    told = [r for r in stores.mail.requests if r.template == "notification_submitted"]
    assert len(told) == 2  # the reviewers heard of it twice: written, and again
    activity = [e.message_id for e in stores.activity.of("EVENT", fair.event_id)]
    assert activity.count("activity.event.notification_submitted") == 2

    # submitted again: a second change is refused with the page, not a 500
    late = post(stores, f"{BASE}/{nid}", cookies, action="save", subject="Zu spät", body="x")
    assert late["statusCode"] == 409
    assert '<p class="problem" role="alert">' in late["body"]  # says why, on the page
    assert "data-locked" in late["body"]


def test_a_bad_message_is_named_on_the_page_and_links_elsewhere_are_refused(
    platform: FakePlatform, stores: Any, fair: Event, exhibitor: Exhibitor
) -> None:
    cookies = contact_cookies(stores, exhibitor)
    empty = post(stores, BASE, cookies, action="submit", subject="", body="")
    assert empty["statusCode"] == 422
    assert 'aria-invalid="true"' in empty["body"]
    linked = post(
        stores,
        BASE,
        cookies,
        action="submit",
        subject="Angebot",
        body="Unser Shop: https://shop.example/x",
        kind="information",
    )
    assert linked["statusCode"] == 422
    assert "shop.example" in text(linked["body"])
    assert stores.notifications.store.of_event(fair.event_id) == []

    # a double click sends the form twice with its key: one message
    twice = {"action": "submit", "subject": "Hallo", "body": "Besuchen Sie uns", "once": "k-1"}
    assert post(stores, BASE, cookies, **twice)["statusCode"] == 303
    assert post(stores, BASE, cookies, **twice)["statusCode"] == 303
    assert len(stores.notifications.store.of_event(fair.event_id)) == 1
    reused = post(stores, BASE, cookies, **{**twice, "body": "Anders"})
    assert reused["statusCode"] == 422  # the key of another text: said above the form
    assert '<p class="problem" role="alert">' in reused["body"]


def test_another_exhibitor_finds_none_of_the_messages(
    platform: FakePlatform, stores: Any, fair: Event, exhibitor: Exhibitor
) -> None:
    cookies = contact_cookies(stores, exhibitor)
    sent = post(stores, BASE, cookies, action="submit", subject="Hallo", body="Besuchen Sie uns")
    assert sent["statusCode"] == 303
    [message] = stores.notifications.store.of_event(fair.event_id)
    notifications.ask(stores.notifications.desk(stores), REVIEWER, message.notification_id, "?")

    other = samples.an_exhibitor(fair, name="Andere GmbH").model_copy(
        update={"email": "messe@andere.example"}
    )
    platform.access.add_party(other, None)
    theirs = contact_cookies(stores, other)
    path = f"{BASE}/{message.notification_id}"
    assert request(stores, "GET", path, cookies=theirs)["statusCode"] == 404
    listed = request(stores, "GET", BASE, cookies=theirs)["body"]
    assert message.notification_id not in listed
    forged = request(
        stores,
        "POST",
        path,
        urlencode({"csrf": csrf_of(listed), "action": "save", "subject": "Meins", "body": "x"}),
        cookies=theirs,
    )
    assert forged["statusCode"] == 404
    still = stores.notifications.store.get(message.notification_id)
    assert still is not None
    assert still.subject == "Hallo"


def test_the_home_page_links_the_messages_and_the_batch_page_shows_its_counts(
    platform: FakePlatform, stores: Any, fair: Event, exhibitor: Exhibitor
) -> None:
    batch = registrants(platform, fair, exhibitor)
    cookies = contact_cookies(stores, exhibitor)
    home = request(stores, "GET", "/console", cookies=cookies, query={"lang": "de"})["body"]
    assert f'<a href="{BASE}">Registrierte anschreiben</a>' in home

    page = request(stores, "GET", f"/console/exhibitor/batches/{batch.batch_id}", cookies=cookies)
    assert page["statusCode"] == 200
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page["body"]))
    assert counts == {"codes": "4", "assigned": "0", "invited": "0", "registered": "3", "used": "0"}
    assert f'href="/console/exhibitor/invitations/{batch.batch_id}"' in page["body"]

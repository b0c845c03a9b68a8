"""Notifications in the console on the fakes (issue 15 item 7): the organizer writes, previews
and submits a message per event; the reviewer approves, rejects or asks back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.fakes.clock import FixedClock
from tests.fakes.people import fake_console_stores
from tests.fakes.samples import a_fair, an_order, an_organizer
from tests.unit.test_console_pages import request, signed_in
from ticketing.services import staff
from ticketing.settings import scoped_environment

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    variables = {"PUBLIC_BASE_URL": "https://tickets.example", "REVIEW_MAIL": "r@example.com"}
    with scoped_environment(variables):
        yield


class Console:
    def __init__(self) -> None:
        self.stores = fake_console_stores(FixedClock(NOW))
        db = self.stores.access.db
        organizer = an_organizer()
        db.parties[organizer.organizer_id] = organizer
        self.fair = a_fair()
        self.stores.events.add(self.fair)
        order = an_order(self.fair, number="01DE-040526-000001", last_name="Adler")
        db.orders[order.order_number] = order
        people, clock = self.stores.people, self.stores.clock
        admin = staff.add_first_admin(people, clock, organizer.organizer_id, "ada@x.org", "Ada")
        self.admin = signed_in(self.stores, admin)
        other = staff.add_first_admin(people, clock, "org_other", "oscar@x.org", "Oscar")
        self.other = signed_in(self.stores, other)
        self.reviewer = signed_in(
            self.stores, staff.add_reviewer(people, clock, "rita@x.org", "Rita")
        )

    def get(self, who: dict[str, str], path: str) -> dict[str, Any]:
        return request(self.stores, "GET", path, cookies=who)

    def post(self, who: dict[str, str], path: str, form: dict[str, str], page: str) -> Any:
        shown = self.get(who, page)
        token = re.search(r'name="csrf" value="([^"]+)"', shown["body"])
        assert token is not None, shown["body"][:500]
        body = urlencode({**form, "csrf": token.group(1)})
        return request(self.stores, "POST", path, body, cookies=who)


def test_organizer_writes_previews_submits_and_the_reviewer_approves() -> None:
    console = Console()
    event_page = f"/console/events/{console.fair.event_id}/messages"
    assert console.fair.name in console.get(console.admin, "/console/messages")["body"]
    refused = console.post(console.admin, event_page, {"subject": "a\nb", "body": "x"}, event_page)
    assert refused["statusCode"] == 422
    assert 'aria-invalid="true"' in refused["body"]
    made = console.post(
        console.admin,
        event_page,
        {"subject": "Einlass", "body": "Bitte **pünktlich**. <script>x</script>"},
        event_page,
    )
    assert made["statusCode"] == 303
    detail = made["headers"]["Location"]
    page = console.get(console.admin, detail)["body"]
    assert "Guten Tag Erika Adler" in page
    assert "01DE-040526-000001" in page
    assert "<script>x" not in page
    # another tenant's staff find nothing
    assert console.get(console.other, detail)["statusCode"] == 404
    submitted = console.post(console.admin, detail + "/submit", {}, detail)
    assert submitted["statusCode"] == 303
    queue = console.get(console.reviewer, "/console/review/messages")["body"]
    assert "Einlass" in queue
    approved = console.post(console.reviewer, detail + "/approve", {}, detail)
    assert approved["statusCode"] == 303
    nid = detail.rsplit("/", 1)[1]
    assert console.stores.notifications.store.get(nid).state == "approved"
    assert console.stores.notifications.queue.queued == [nid]
    # approving again: the page says it is no longer possible, nothing is queued twice
    again = console.post(console.reviewer, detail + "/approve", {}, detail)
    assert again["statusCode"] == 409
    assert console.stores.notifications.queue.queued == [nid]


def test_a_shop_link_is_refused_on_the_page_and_the_reviewer_asks_back() -> None:
    console = Console()
    event_page = f"/console/events/{console.fair.event_id}/messages"
    made = console.post(
        console.admin,
        event_page,
        {"subject": "Angebot", "body": "[Rabatt](https://rabatt-shop.example/x)"},
        event_page,
    )
    detail = made["headers"]["Location"]
    refused = console.post(console.admin, detail + "/submit", {}, detail)
    assert refused["statusCode"] == 422
    assert "https://rabatt-shop.example/x" in refused["body"]
    changed = console.post(
        console.admin,
        detail,
        {"subject": "Angebot", "body": "Nur Infos", "kind": "information"},
        detail,
    )
    assert changed["statusCode"] == 303
    assert console.post(console.admin, detail + "/submit", {}, detail)["statusCode"] == 303
    empty = console.post(console.reviewer, detail + "/question", {"text": ""}, detail)
    assert empty["statusCode"] == 422
    asked = console.post(console.reviewer, detail + "/question", {"text": "Wozu?"}, detail)
    assert asked["statusCode"] == 303
    assert "Wozu?" in console.get(console.admin, detail)["body"]
    assert console.stores.mail.requests[-1].template == "notification_reviewed"

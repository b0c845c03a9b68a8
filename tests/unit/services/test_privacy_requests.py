"""The customer's own privacy requests (issue 17) on the fakes: the link goes only to the
order's own address, a miss counts as a guess; the link's page acts only on its POST, once;
"forget me" erases under the order's organizer, "send me my data" is built behind the queue
and its link mailed; a rendered mail and page in each language."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.fakes.privacy import FakeExportFiles, FakeExportQueue, FakePrivacyLinks
from tests.unit.services.given import a_fair
from ticketing.domain.erasure import ERASED
from ticketing.domain.errors import NotFound
from ticketing.domain.orders import Order
from ticketing.mail.render import render
from ticketing.pages.privacy_portal import render_privacy_page
from ticketing.services import privacy_requests
from ticketing.services.erasure import run_erasure
from ticketing.services.ports_privacy import Purpose
from ticketing.services.privacy_requests import PrivacyRequestDesk

CLIENT = "198.51.100.9"


class World:
    def __init__(self, platform: FakePlatform) -> None:
        self.platform = platform
        self.links = FakePrivacyLinks()
        self.exports = FakeExportQueue()
        self.files = FakeExportFiles()
        self.secrets: list[str] = []

    def desk(self) -> PrivacyRequestDesk:
        p = self.platform
        return PrivacyRequestDesk(p.orders, p.orders, p.attempts, p.mail, self.links, p.clock)

    def ask(self, number: str, email: str, purpose: Purpose) -> None:
        def url(secret: str, language: str) -> str:
            self.secrets.append(secret)
            return f"https://tickets.example/portal/privacy/{secret}?lang={language}"

        privacy_requests.request_privacy_link(
            self.desk(), CLIENT, number, email, purpose, url, lambda _: None
        )

    def confirm(self, secret: str) -> Purpose:
        p = self.platform
        return privacy_requests.confirm(self.desk(), p.erasure_desk(), self.exports, secret)


def booked(platform: FakePlatform) -> Order:
    """An order of erika@example.org, with its person index entry (as ordering writes it)."""
    event = a_fair(platform)
    order = samples.an_order(event, 1, at=platform.clock.now(), email="erika@example.org")
    entry = platform.people.entry(order.organizer_id, "erika@example.org", order.order_number)
    platform.transactions.commit([*platform.orders.placement(order, event.capacity), entry])
    return order


@pytest.fixture
def world(platform: FakePlatform) -> World:
    return World(platform)


def test_the_link_goes_only_to_the_orders_own_address(world: World) -> None:
    platform = world.platform
    order = booked(platform)
    world.ask(order.order_number, "mallory@example.org", "erasure")
    world.ask("72BE-040526-000001", "erika@example.org", "erasure")
    assert platform.mail.requests == []
    assert sum(platform.db.attempts.values()) == 2

    world.ask(order.order_number.lower(), "Erika@Example.org", "erasure")
    [mail] = platform.mail.requests
    assert (mail.template, mail.to, mail.context["purpose"]) == (
        "privacy_link",
        ["erika@example.org"],
        "erasure",
    )
    [secret] = world.secrets
    assert secret in mail.context["link_url"]
    assert secret not in repr(world.links.links)  # kept under its digest only
    for language in ("de", "en", "zh"):
        rendered = render(mail.model_copy(update={"language": language}))
        assert mail.context["link_url"] in rendered.text


def test_forget_me_erases_once_through_the_links_post(world: World) -> None:
    platform = world.platform
    order = booked(platform)
    world.ask(order.order_number, "erika@example.org", "erasure")
    [secret] = world.secrets

    # the page (a GET) changes nothing, any number of times
    for _ in range(2):
        link = privacy_requests.valid_link(world.links, platform.clock, secret)
    assert link.purpose == "erasure"
    assert platform.erasures.erasures == {}

    assert world.confirm(secret) == "erasure"
    [erasure_id] = platform.erasure_queue.sent
    run_erasure(platform.erasure_desk(), erasure_id)
    erased = platform.orders.get(order.order_number)
    assert erased is not None
    assert (erased.customer.email, erased.customer.last_name) == (None, ERASED)
    assert world.links.links == {}  # the link and its address went with the button
    with pytest.raises(NotFound):
        world.confirm(secret)
    with pytest.raises(NotFound):
        privacy_requests.valid_link(world.links, platform.clock, secret)


def test_send_me_my_data_is_built_behind_the_queue_and_mailed(world: World) -> None:
    platform = world.platform
    order = booked(platform)
    world.ask(order.order_number, "erika@example.org", "export")
    [secret] = world.secrets
    assert world.confirm(secret) == "export"
    [(organizer_id, address, _, request_id)] = world.exports.sent
    assert (organizer_id, address) == (order.organizer_id, "erika@example.org")

    privacy_requests.build_export(
        platform.export_desk(),
        world.files,
        platform.mail,
        organizer_id,
        address,
        "de",
        request_id,
    )
    mail = platform.mail.requests[-1]
    assert (mail.template, mail.to, mail.request_id) == (
        "privacy_export",
        ["erika@example.org"],
        request_id,
    )
    [data] = world.files.files.values()
    assert mail.context["download_url"].endswith("expires=900")
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book["Bestellungen"].iter_rows(values_only=True))
    assert order.order_number in rows[1]
    assert "15" in render(mail).text


def test_an_expired_link_does_nothing(world: World) -> None:
    platform = world.platform
    order = booked(platform)
    world.ask(order.order_number, "erika@example.org", "erasure")
    platform.clock.advance(timedelta(hours=25))
    with pytest.raises(NotFound):
        world.confirm(world.secrets[0])
    assert platform.erasure_queue.sent == []


def test_every_page_renders_in_each_language() -> None:
    for language in ("de", "en", "zh"):
        for state in ("form", "confirm_export", "confirm_erasure"):
            page = render_privacy_page(language, state, "/portal/privacy/x")
            assert 'method="post"' in page
        for state in ("sent", "export", "erasure", "gone", "refused"):
            assert "<form" not in render_privacy_page(language, state)

"""The organizer's orders side of the console on fakes (issue 13): the dashboard's figures,
"Bestellung suchen", the booking list, the order detail and its actions, the activity log."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest

from tests.fakes.people import fake_console_stores
from tests.fakes.platform import FakePlatform
from tests.fakes.samples import a_booking_request, a_fair, an_organizer, organizer_of
from tests.unit.test_console_pages import request, signed_in
from ticketing.domain.events import Event
from ticketing.domain.orders import Order
from ticketing.domain.people import User
from ticketing.services import bookings, orders, staff
from ticketing.services.dashboard import Dashboard, event_summary, revenue_by_option
from ticketing.settings import scoped_environment


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    with scoped_environment({"PUBLIC_BASE_URL": "https://tickets.example"}):
        yield


@dataclass
class World:
    platform: FakePlatform
    stores: Any
    event: Event
    admin: User
    cookies: dict[str, str]

    def book(
        self, first: str = "Jürgen", last: str = "Müller", quantity: int = 2, **kw: str
    ) -> Order:
        asked = a_booking_request(quantity, first_name=first, last_name=last, **kw)
        order, _, _ = bookings.book(
            self.platform.booking(), organizer_of(self.event), self.event.event_id, asked
        )
        return order

    def get(self, path: str, **query: str) -> dict[str, Any]:
        return request(self.stores, "GET", path, cookies=self.cookies, query=query or None)

    def post(self, path: str, form: str = "", csrf_from: str | None = None) -> dict[str, Any]:
        page = self.get(csrf_from or path.rsplit("/", 1)[0])
        found = re.search(r'name="csrf" value="([^"]+)"', page["body"])
        assert found is not None
        body = f"{form}&csrf={found.group(1)}" if form else f"csrf={found.group(1)}"
        return request(self.stores, "POST", path, body, cookies=self.cookies)


def world_of(platform: FakePlatform, organizer_id: str = "org_demo00000000000") -> World:
    p = platform
    stores = fake_console_stores(
        p.clock,
        db=p.db,
        access=p.access,
        events=p.events,
        orders=p.orders,
        docs=p.documents,
        mail_failures=p.mail_failures,
        figures=p.figures,
        mail=p.mail,
    )
    if p.access.get_organizer(organizer_id) is None:
        p.access.add_party(an_organizer(organizer_id), None)
    event = a_fair(organizer_id=organizer_id)
    p.events.add(event)
    mailbox = f"ada-{organizer_id}@example.org"
    admin = staff.add_first_admin(stores.people, stores.clock, organizer_id, mailbox, "Ada Admin")
    return World(p, stores, event, admin, {**signed_in(stores, admin), "console_lang": "de"})


@pytest.fixture
def world() -> World:
    return world_of(FakePlatform())


def test_revenue_by_option_sums_the_order_headers_per_price_option() -> None:
    event = a_fair()
    rows = [
        _header(event, "day", 2, "50.00"),
        _header(event, "day", 1, "25.00"),
        _header(event, "gone", 3, "30.00"),
    ]
    sales = {s.option_id: s for s in revenue_by_option(event, rows)}
    assert (sales["day"].orders, sales["day"].tickets, sales["day"].revenue) == (
        2,
        3,
        Decimal("75.00"),
    )
    assert sales["visitor-voucher"].orders == 0
    assert sales["gone"].name == "gone"
    assert sales["gone"].revenue == Decimal("30.00")


def _header(event: Event, option: str, quantity: int, total: str) -> Order:
    from tests.fakes.samples import an_order

    return an_order(event, quantity).model_copy(
        update={"price_option": option, "total": Decimal(total)}
    )


def test_the_summary_reads_the_event_counters_check_ins_included(world: World) -> None:
    order = world.book(quantity=3)
    world.book(first="Erika", last="Schmidt", quantity=1)
    p = world.platform
    deps = Dashboard(p.orders, p.events, p.billing())
    principal = organizer_of(world.event)
    summary = event_summary(deps, principal, world.event.event_id)
    assert (summary.sold, summary.capacity, summary.orders, summary.tickets) == (4, 100, 2, 4)
    assert summary.revenue == Decimal("100.00")  # cash: 4 day tickets at 25.00
    assert summary.checked_in == 0  # issue 13: counted on the event item, always shown
    from ticketing.services import checkins

    checkins.check_in_order(
        p.orders, p.clock, principal, p.orders.get(order.order_number), p.events
    )  # type: ignore[arg-type]
    counted = event_summary(deps, principal, world.event.event_id)
    assert counted.checked_in == 3


def test_a_corrected_address_is_checked_by_the_service(world: World) -> None:
    order = world.book()
    p = world.platform
    from ticketing.domain.errors import InvalidRequest

    with pytest.raises(InvalidRequest) as refused:
        orders.resend_confirmation(
            p.orders, p.mail, p.clock, organizer_of(world.event), order.order_number, "not-mail"
        )
    assert refused.value.field == "email"
    assert refused.value.message_id == "problem.field.email"


def test_home_lists_the_events_and_the_dashboard_shows_the_figures(world: World) -> None:
    world.book()
    home = world.get("/console")
    assert f'href="/console/events/{world.event.event_id}/dashboard"' in home["body"]
    assert "INTERFORST 2030" in home["body"]
    dashboard = world.get(f"/console/events/{world.event.event_id}/dashboard")
    assert dashboard["statusCode"] == 200
    assert "2 von 100" in dashboard["body"]
    assert "50,00" in dashboard["body"]
    assert "0 ausgegeben, 0 eingelöst, 0 genutzt" in dashboard["body"]
    assert "0 von 2 Tickets" in dashboard["body"]  # check-ins shown without asking


def test_search_finds_the_order_without_umlauts_and_the_fragment_too(world: World) -> None:
    order = world.book()
    found = world.get("/console/orders", q="mull")
    assert found["statusCode"] == 200
    assert f'href="/console/orders/{order.order_number}"' in found["body"]
    assert "Jürgen Müller" in found["body"]
    fragment = world.get("/console/orders/found", q="Mull")
    assert fragment["statusCode"] == 200
    assert order.order_number in fragment["body"]
    assert "<html" not in fragment["body"]
    by_number = world.get("/console/orders", q=order.order_number.lower())
    assert f'href="/console/orders/{order.order_number}"' in by_number["body"]
    short = world.get("/console/orders", q="M")
    assert short["statusCode"] == 422
    assert 'aria-invalid="true"' in short["body"]
    nothing = world.get("/console/orders", q="Schulz")
    assert "Keine Bestellung gefunden" in nothing["body"]


def test_the_booking_list_pages_and_downloads_as_excel(world: World) -> None:
    import openpyxl

    from ticketing.console.pages import orders_events

    for i in range(3):
        world.book(last=f"Kunde{i}", quantity=1)
    first = world.get(f"/console/events/{world.event.event_id}/orders")
    assert first["statusCode"] == 200
    assert first["body"].count('href="/console/orders/') == 3
    size = orders_events.BOOKINGS_PAGE_SIZE
    orders_events.BOOKINGS_PAGE_SIZE = 2
    try:
        paged = world.get(f"/console/events/{world.event.event_id}/orders")
        assert paged["body"].count('href="/console/orders/') == 2
        link = re.search(r'href="([^"]+cursor=[^"]+)"', paged["body"])
        assert link is not None
        cursor = link.group(1).split("cursor=")[1]
        from urllib.parse import unquote

        rest = world.get(f"/console/events/{world.event.event_id}/orders", cursor=unquote(cursor))
        assert rest["body"].count('href="/console/orders/') == 1
    finally:
        orders_events.BOOKINGS_PAGE_SIZE = size
    xlsx = world.get(f"/console/events/{world.event.event_id}/orders.xlsx")
    assert xlsx["statusCode"] == 200
    assert xlsx["isBase64Encoded"] is True
    assert "attachment" in xlsx["headers"]["Content-Disposition"]
    import base64

    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx["body"])))
    text = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)
    assert all(f"Kunde{i}" in text for i in range(3))


def test_the_order_detail_and_its_actions_are_logged(world: World) -> None:
    order = world.book()
    path = f"/console/orders/{order.order_number}"
    detail = world.get(path)
    assert detail["statusCode"] == 200
    assert "noch nicht/nicht erforderlich" in detail["body"]
    assert "Noch keine Änderungen." in detail["body"]

    bad = world.post(f"{path}/resend", "email=nope", csrf_from=path)
    assert bad["statusCode"] == 422
    assert 'id="resend-email-error"' in bad["body"]

    mails = len(world.platform.mail.requests)
    done = world.post(f"{path}/resend", "email=" + quote("juergen@example.net"), csrf_from=path)
    assert done["statusCode"] == 303
    assert done["headers"]["Location"] == path
    assert world.platform.mail.requests[mails].to == ["juergen@example.net"]

    assert world.post(f"{path}/checkins", csrf_from=path)["statusCode"] == 303
    assert world.post(f"{path}/payment", csrf_from=path)["statusCode"] == 303
    after = world.get(path)
    assert "noch nicht/nicht erforderlich" not in after["body"]
    assert "Mail erneut versandt an juergen@example.net" in after["body"]
    assert "Alle eingecheckt (2 Ticket(s))" in after["body"]
    assert "Als bezahlt markiert" in after["body"]
    assert after["body"].count("Ada Admin") >= 4  # the bar and three log entries
    log = world.stores.activity.of("ORDER", order.order_number)
    assert [a.message_id for a in log] == [
        "activity.order.resent",
        "activity.order.checked_in",
        "activity.order.paid",
    ]
    assert all(a.user_id == world.admin.user_id for a in log)


def test_a_ticket_is_renamed_with_its_errors_next_to_the_field(world: World) -> None:
    order = world.book()
    path = f"/console/orders/{order.order_number}"
    position = order.positions[0].position_id
    target = f"{path}/positions/{position}/name"
    empty = world.post(target, "first_name=&last_name=Meier", csrf_from=path)
    assert empty["statusCode"] == 422
    assert f'id="rename-{position}-first_name-error"' in empty["body"]
    done = world.post(target, "first_name=Anna&last_name=Meier", csrf_from=path)
    assert done["statusCode"] == 303
    fresh = world.platform.orders.get(order.order_number)
    assert fresh is not None
    assert fresh.positions[0].holder_name == "Anna Meier"
    assert "activity.order.renamed" in [
        a.message_id for a in world.stores.activity.of("ORDER", order.order_number)
    ]


def test_the_direct_links_download_as_excel(world: World) -> None:
    import base64

    import openpyxl

    order = world.book()
    xlsx = world.get(f"/console/orders/{order.order_number}/links.xlsx")
    assert xlsx["statusCode"] == 200
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx["body"])))
    text = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)
    assert "https://tickets.example/t/" in text


def test_another_organizers_staff_sees_none_of_it(world: World) -> None:
    order = world.book()
    other = world_of(world.platform, "org_other0000000000")
    for path in (
        f"/console/orders/{order.order_number}",
        f"/console/orders/{order.order_number}/links.xlsx",
        f"/console/events/{world.event.event_id}/dashboard",
        f"/console/events/{world.event.event_id}/orders",
    ):
        assert other.get(path)["statusCode"] == 404, path
    assert order.order_number not in other.get("/console/orders", q="Mull")["body"]
    by_number = other.get("/console/orders", q=order.order_number)["body"]
    assert f'href="/console/orders/{order.order_number}"' not in by_number
    assert "Keine Bestellung gefunden" in by_number
    refused = other.post(
        f"/console/orders/{order.order_number}/checkins", csrf_from="/console/orders"
    )
    assert refused["statusCode"] == 404
    assert world.stores.activity.of("ORDER", order.order_number) == []

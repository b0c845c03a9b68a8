"""The foundation, used as a person would: the local stack over HTTP, with the printed keys."""

from __future__ import annotations

import json
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.consent_cases import consent_tenancy_cases
from tests.e2e.exhibitor_message_cases import exhibitor_message_tenancy_cases
from tests.e2e.gift_world import terminal_tenancy_cases
from tests.e2e.hotline_world import hotline_tenancy_cases
from tests.e2e.invitation_cases import invitation_tenancy_cases
from tests.e2e.notification_cases import notification_tenancy_cases
from tests.e2e.privacy_cases import privacy_tenancy_cases
from tests.e2e.stack import Client, LocalStack, mail_to
from ticketing_local.template import load_template, read_stack

pytestmark = pytest.mark.slow

INTERFORST: dict[str, Any] = {
    "name": "INTERFORST 2027",
    "venue": "Messe München, Halle A1",
    # the local stack runs on real time: an event that is over takes no booking
    "starts_at": "2027-07-12T09:00:00+02:00",
    "ends_at": "2027-07-16T18:00:00+02:00",
    "timezone": "Europe/Berlin",
    "currency": "EUR",
    "language": "de",
    "capacity": 5000,
    "price_options": [
        {"id": "day", "name": "Tageskarte", "price": "25.00", "tax_rate": "7"},
        {"id": "visitor-voucher", "name": "Besucher-Gutschein", "price": "12.00", "tax_rate": "19"},
    ],
    "voucher_price_option": "visitor-voucher",
}


def booking_body(last_name: str, quantity: int = 1, **changes: Any) -> dict[str, Any]:
    return {
        "submitter": {"company": "Musterfirma", "email": "muster@beispiel.de"},
        "customer": {
            "first_name": "Madeleine",
            "last_name": last_name,
            "street": "Straße der Arbeit 123",
            "zip": "12345",
            "city": "Musterstadt",
            "phone": "0123 456789",
            "email": "m.mustermann@example.org",
        },
        "quantity": quantity,
        "price_option": "day",
        "payment": "transfer",
        "delivery": "email",
        "show_price": True,
        **changes,
    }


def new_organizer(stack: LocalStack, name: str) -> tuple[str, str]:
    reply = stack.client.call(
        "POST", "/organizers", stack.reviewer_key, {"name": name, "email": f"{name}@example.org"}
    )
    assert reply.status == 201, reply.body
    body = reply.json()
    return body["organizer_id"], body["api_key"]


def new_event(client: Client, key: str, **changes: Any) -> dict[str, Any]:
    reply = client.call("POST", "/events", key, {**INTERFORST, **changes})
    assert reply.status == 201, reply.body
    body: dict[str, Any] = reply.json()
    return body


def assert_problem(reply: Any, status: int) -> dict[str, Any]:
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = reply.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert "Traceback" not in reply.body.decode()
    return body


def test_organizer_creates_an_event_and_reads_it_back(local_stack: LocalStack) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    created = new_event(client, key)
    read = client.call("GET", f"/events/{created['event_id']}", key)
    assert read.status == 200
    assert read.json() == created
    day = read.json()["price_options"][0]
    assert (day["price"], day["tax_rate"], day["net"], day["tax"]) == (
        "25.00",
        "7",
        "23.36",
        "1.64",
    )
    listed = client.call("GET", "/events", key).json()["events"]
    assert created["event_id"] in [e["event_id"] for e in listed]


def test_exhibitor_key_is_refused_on_organizer_routes(local_stack: LocalStack) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key)
    exhibitor = client.call(
        "POST",
        "/exhibitors",
        key,
        {
            "name": "Forstmaschinen GmbH",
            "email": "messe@forst.example",
            "event_id": event["event_id"],
        },
    )
    assert exhibitor.status == 201
    exhibitor_key = exhibitor.json()["api_key"]
    assert_problem(client.call("POST", "/events", exhibitor_key, INTERFORST), 403)
    assert_problem(client.call("GET", "/events", exhibitor_key), 403)
    assert_problem(client.call("POST", "/merchants", exhibitor_key, {"name": "x"}), 403)
    assert_problem(
        client.call("POST", "/organizers", exhibitor_key, {"name": "x", "email": "x@example.org"}),
        403,
    )
    # its own event it may read
    assert client.call("GET", f"/events/{event['event_id']}", exhibitor_key).status == 200


def test_second_organizer_cannot_see_the_first_ones_event(local_stack: LocalStack) -> None:
    client = local_stack.client
    event = new_event(client, local_stack.organizer_key)
    _, other_key = new_organizer(local_stack, "rival")
    foreign = client.call("GET", f"/events/{event['event_id']}", other_key)
    missing = client.call("GET", "/events/evt_0000000000000000", other_key)
    assert_problem(foreign, 404)
    assert foreign.json()["title"] == missing.json()["title"]
    assert event["event_id"] not in foreign.body.decode().replace(
        f"no event {event['event_id']}", ""
    )
    assert client.call("GET", "/events", other_key).json()["events"] == []


def test_missing_and_unknown_keys_get_401(local_stack: LocalStack) -> None:
    client = local_stack.client
    assert_problem(client.call("GET", "/events"), 401)
    assert_problem(client.call("GET", "/events", "tk_0123456789abcdef_" + "a" * 43), 401)
    assert_problem(client.call("GET", "/events", "not-a-key"), 401)


def test_a_revoked_key_stops_working_at_once(local_stack: LocalStack) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    issuer = client.call("POST", "/issuers", key, {"name": "Wireless Music Club"}).json()
    assert client.call("GET", "/me", issuer["api_key"]).json()["role"] == "issuer"
    assert client.call("DELETE", f"/api-keys/{issuer['key_id']}", key).status == 204
    assert_problem(client.call("GET", "/me", issuer["api_key"]), 401)
    assert_problem(client.call("DELETE", f"/api-keys/{issuer['key_id']}", key), 409)


def test_bad_input_is_answered_with_problems_never_500(local_stack: LocalStack) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    assert_problem(client.call("POST", "/events", key, raw=b'{"name": '), 400)
    assert_problem(client.call("POST", "/events", key, raw=b"[1, 2]"), 422)
    too_big = json.dumps({**INTERFORST, "name": "x" * 300_000}).encode()
    assert_problem(client.call("POST", "/events", key, raw=too_big), 413)
    wrong = {
        **INTERFORST,
        "capacity": 2_000_000,
        "currency": 12,
        "price_options": [{"id": "day", "name": "Tag", "price": "-5.00", "tax_rate": "7"}],
        "voucher_price_option": None,
        "surprise": True,
    }
    body = assert_problem(client.call("POST", "/events", key, wrong), 422)
    fields = {e["field"] for e in body["errors"]}
    assert {"capacity", "currency", "price_options.0.price", "surprise"} <= fields
    missing = assert_problem(client.call("POST", "/exhibitors", key, {"name": "x"}), 422)
    assert {e["field"] for e in missing["errors"]} == {"email", "event_id"}
    assert_problem(client.call("GET", "/events?limit=abc", key), 422)
    assert_problem(client.call("GET", "/events?cursor=%%%", key), 422)
    assert_problem(client.call("GET", "/nowhere", key), 404)


def test_welcome_mail_reaches_the_outbox_through_the_mail_queue(local_stack: LocalStack) -> None:
    new_organizer(local_stack, "welcomed")
    mail = mail_to(local_stack, "welcomed@example.org")
    assert "welcomed" in mail["subject"]
    assert "organizer account" in mail["text"]
    assert "<p>" in mail["html"]
    page = local_stack.client.call("GET", f"/_local/outbox/{mail['index']}")
    assert page.status == 200
    assert b"organizer account" in page.body


def scheduled_functions() -> list[str]:
    """The template's functions with a schedule among their events."""
    from ticketing_local.template import load_template

    return [
        name
        for name, resource in load_template()["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
        and any(
            event["Type"] in ("Schedule", "ScheduleV2")
            for event in resource["Properties"].get("Events", {}).values()
        )
    ]


def test_local_clock_moves_and_schedules_can_be_run(local_stack: LocalStack) -> None:
    client = local_stack.client
    moved = client.call("POST", "/_local/clock", body={"now": "2026-12-01T10:00:00Z"}).json()
    assert moved["now"].startswith("2026-12-01T10:00")
    event = new_event(client, local_stack.organizer_key)
    assert event["created_at"].startswith("2026-12-01T10:0")
    schedules = client.call("GET", "/_local/schedules").json()
    # every scheduled function of the template, and nothing else
    assert sorted(s["function"] for s in schedules) == sorted(scheduled_functions())
    ran = client.call("POST", "/_local/schedules/MailRedriveFunction").json()
    assert ran["error"] is None
    assert ran["result"] == {"moved": 0, "kept": 0, "queued": 0}
    back = client.call("POST", "/_local/clock", body={"now": None}).json()
    assert back["shifted"] is False
    assert_problem_like = client.call("POST", "/_local/clock", raw=b"nonsense")
    assert assert_problem_like.status == 400


def test_concurrent_requests_are_served_and_each_gets_its_own_answer(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client
    _, key = new_organizer(local_stack, "busy")

    def create(i: int) -> dict[str, Any]:
        return new_event(client, key, name=f"Fair {i}")

    with ThreadPoolExecutor(max_workers=10) as pool:
        created = list(pool.map(create, range(20)))
    assert sorted(e["name"] for e in created) == sorted(f"Fair {i}" for i in range(20))
    assert len({e["event_id"] for e in created}) == 20
    listed = client.call("GET", "/events?limit=100", key).json()["events"]
    assert len(listed) == 20


# Every route of the template, called by another tenant on the first tenant's objects. A new
# route must be added here: test_every_route_is_checked_for_tenancy fails otherwise.
def _tenancy_cases(stack: LocalStack) -> dict[tuple[str, str], Any]:
    client, key = stack.client, stack.organizer_key
    event = new_event(client, key)
    merchant = client.call("POST", "/merchants", key, {"name": "Cinema"}).json()
    exhibitor = client.call(
        "POST",
        "/exhibitors",
        key,
        {"name": "E", "email": "e@example.org", "event_id": event["event_id"]},
    ).json()
    booking = client.call(
        "POST", f"/events/{event['event_id']}/bookings", key, booking_body("Tenantson")
    ).json()
    number = booking["order_number"]
    later = new_event(
        client, key, starts_at="2030-07-12T09:00:00+02:00", ends_at="2030-07-16T18:00:00+02:00"
    )
    seller = client.call(
        "POST",
        "/exhibitors",
        key,
        {"name": "S", "email": "s@example.org", "event_id": later["event_id"]},
    ).json()
    batch = client.call(
        "POST", f"/events/{later['event_id']}/voucher-batches", seller["api_key"], {"quantity": 1}
    ).json()
    voucher_code = _first_code(stack, seller["api_key"], batch["batch_id"])
    _, other = new_organizer(stack, "intruder")
    # an exhibitor of the intruding organizer, for the exhibitor routes
    their_event = new_event(client, other)
    their_exhibitor = client.call(
        "POST",
        "/exhibitors",
        other,
        {"name": "T", "email": "t@example.org", "event_id": their_event["event_id"]},
    ).json()["api_key"]

    def exhibitor_not_found(method: str, path: str, body: Any = None) -> None:
        assert_problem(client.call(method, path, their_exhibitor, body), 404)

    def not_found(method: str, path: str, body: Any = None) -> None:
        assert_problem(client.call(method, path, other, body), 404)

    def empty(path: str, field: str) -> None:
        reply = client.call("GET", path, other)
        assert reply.status == 200
        assert reply.json()[field] == []

    def none_of(path: str, field: str, id_field: str, ids: set[str]) -> None:
        reply = client.call("GET", path, other)
        assert reply.status == 200
        assert not {item[id_field] for item in reply.json()[field]} & ids

    # wrong links are guesses: they come from an address of their own, so that the
    # throttle they trip slows no other test down
    guesser = stack.client.from_address("127.0.0.66")

    def not_found_page(path: str) -> None:
        assert guesser.call("GET", path).status == 404

    def own_only() -> None:
        assert client.call("GET", "/me", other).json()["organizer_id"] != stack.organizer_id

    def staff_only(method: str, path: str, body: Any = None) -> None:
        assert_problem(client.call(method, path, other, body), 403)

    return {
        ("GET", "/me"): own_only,
        ("POST", "/organizers"): lambda: staff_only(
            "POST", "/organizers", {"name": "n", "email": "n@example.org"}
        ),
        ("GET", "/organizers"): lambda: staff_only("GET", "/organizers"),
        ("PATCH", "/organizers/{organizer_id}"): lambda: not_found(
            "PATCH", f"/organizers/{stack.organizer_id}", {"city": "Elsewhere"}
        ),
        ("POST", "/organizers/{organizer_id}/keys"): lambda: not_found(
            "POST", f"/organizers/{stack.organizer_id}/keys"
        ),
        ("POST", "/exhibitors"): lambda: not_found(
            "POST",
            "/exhibitors",
            {"name": "x", "email": "x@example.org", "event_id": event["event_id"]},
        ),
        ("GET", "/exhibitors"): lambda: none_of(
            "/exhibitors",
            "exhibitors",
            "exhibitor_id",
            {exhibitor["exhibitor_id"], seller["exhibitor_id"]},
        ),
        ("POST", "/merchants"): lambda: None,  # creates in the caller's own tenant only
        # the other tenant has merchants of its own (the gift cases make one): none of ours
        ("GET", "/merchants"): lambda: none_of(
            "/merchants", "merchants", "merchant_id", {merchant["merchant_id"]}
        ),
        ("POST", "/merchants/{merchant_id}/terminals"): lambda: not_found(
            "POST", f"/merchants/{merchant['merchant_id']}/terminals", {}
        ),
        ("POST", "/issuers"): lambda: None,  # creates in the caller's own tenant only
        ("DELETE", "/api-keys/{key_id}"): lambda: not_found(
            "DELETE", f"/api-keys/{exhibitor['key_id']}"
        ),
        ("POST", "/events"): lambda: None,  # creates in the caller's own tenant only
        ("GET", "/events"): lambda: none_of(
            "/events", "events", "event_id", {event["event_id"], later["event_id"]}
        ),
        ("GET", "/events/{event_id}"): lambda: not_found("GET", f"/events/{event['event_id']}"),
        ("PUT", "/events/{event_id}/questions"): lambda: not_found(
            "PUT", f"/events/{event['event_id']}/questions", []
        ),
        ("GET", "/events/{event_id}/questions"): lambda: not_found(
            "GET", f"/events/{event['event_id']}/questions"
        ),
        ("POST", "/events/{event_id}/bookings"): lambda: not_found(
            "POST", f"/events/{event['event_id']}/bookings", booking_body("Intruder")
        ),
        ("GET", "/events/{event_id}/orders"): lambda: not_found(
            "GET", f"/events/{event['event_id']}/orders"
        ),
        ("GET", "/events/{event_id}/shipping-list"): lambda: not_found(
            "GET", f"/events/{event['event_id']}/shipping-list"
        ),
        ("GET", "/orders"): lambda: (
            empty("/orders?q=tenantson", "orders"),
            empty(f"/orders?q={number}", "orders"),
        ),
        ("GET", "/orders/{order_number}"): lambda: not_found("GET", f"/orders/{number}"),
        ("POST", "/orders/{order_number}/payment"): lambda: not_found(
            "POST", f"/orders/{number}/payment"
        ),
        ("POST", "/orders/{order_number}/resend"): lambda: not_found(
            "POST", f"/orders/{number}/resend"
        ),
        ("PATCH", "/orders/{order_number}/positions/{position_id}"): lambda: not_found(
            "PATCH",
            f"/orders/{number}/positions/{booking['positions'][0]['id']}",
            {"first_name": "Someone", "last_name": "Else"},
        ),
        ("GET", "/orders/{order_number}/links"): lambda: not_found(
            "GET", f"/orders/{number}/links"
        ),
        ("GET", "/orders/{order_number}/invoice"): lambda: not_found(
            "GET", f"/orders/{number}/invoice"
        ),
        ("POST", "/orders/{order_number}/checkins"): lambda: not_found(
            "POST", f"/orders/{number}/checkins"
        ),
        ("POST", "/checkins"): lambda: not_found(
            "POST", "/checkins", {"secret": f"{number}.{booking['positions'][0]['id']}.{'x' * 26}"}
        ),
        ("POST", "/exhibitors/{exhibitor_id}/cancel"): lambda: not_found(
            "POST", f"/exhibitors/{seller['exhibitor_id']}/cancel"
        ),
        ("POST", "/events/{event_id}/voucher-batches"): lambda: exhibitor_not_found(
            "POST", f"/events/{later['event_id']}/voucher-batches", {"quantity": 1}
        ),
        ("GET", "/voucher-batches"): lambda: (
            client.call("GET", "/voucher-batches", their_exhibitor).json() == {"batches": []}
            or pytest.fail("another exhibitor's batches were listed")
        ),
        ("GET", "/voucher-batches/{batch_id}"): lambda: exhibitor_not_found(
            "GET", f"/voucher-batches/{batch['batch_id']}"
        ),
        ("GET", "/events/{event_id}/redemptions"): lambda: exhibitor_not_found(
            "GET", f"/events/{later['event_id']}/redemptions"
        ),
        ("GET", "/events/{event_id}/statement"): lambda: exhibitor_not_found(
            "GET", f"/events/{later['event_id']}/statement"
        ),
        ("GET", "/events/{event_id}/statements"): lambda: not_found(
            "GET", f"/events/{later['event_id']}/statements"
        ),
        # public: the page shows no data; a registration needs the code, which is the secret
        ("GET", "/redeem"): lambda: None,
        ("POST", "/redeem"): lambda: None,  # the page's form: as the registration, by code
        ("POST", "/vouchers/{code}/registration"): lambda: None,
        # public: the portal answers alike for any order; the order pages need the secret
        ("GET", "/portal"): lambda: None,
        ("POST", "/portal/requests"): lambda: None,
        # public (issue 17): the privacy form answers alike; a made-up link finds nothing
        ("GET", "/portal/privacy"): lambda: None,
        ("POST", "/portal/privacy"): lambda: None,
        ("GET", "/portal/privacy/{token}"): lambda: (
            guesser.call("GET", f"/portal/privacy/{'x' * 43}").status == 404
            or pytest.fail("a made-up privacy link was found")
        ),
        ("POST", "/portal/privacy/{token}"): lambda: (
            guesser.call(
                "POST",
                f"/portal/privacy/{'x' * 43}",
                raw=b"confirm=yes",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ).status
            == 404
            or pytest.fail("a made-up privacy link acted")
        ),
        ("GET", "/o/{order_number}/{secret}"): lambda: not_found_page(f"/o/{number}/{'x' * 26}"),
        ("GET", "/o/{order_number}/{secret}/tickets.pdf"): lambda: not_found_page(
            f"/o/{number}/{'x' * 26}/tickets.pdf"
        ),
        ("GET", "/o/{order_number}/{secret}/invoice"): lambda: not_found_page(
            f"/o/{number}/{'x' * 26}/invoice"
        ),
        ("POST", "/o/{order_number}/{secret}/preferences"): lambda: (
            guesser.call(
                "POST",
                f"/o/{number}/{'x' * 26}/preferences",
                raw=b"reminders=off",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ).status
            == 404
            or pytest.fail("preferences changed through a wrong link")
        ),
        ("PATCH", "/vouchers/{code}"): lambda: not_found(
            "PATCH", f"/vouchers/{voucher_code}", {"valid_until": "2030-07-15"}
        ),
        ("PATCH", "/voucher-batches/{batch_id}"): lambda: not_found(
            "PATCH", f"/voucher-batches/{batch['batch_id']}", {"valid_until": "2030-07-15"}
        ),
        ("GET", "/voucher-batches/{batch_id}/extension"): lambda: not_found(
            "GET", f"/voucher-batches/{batch['batch_id']}/extension"
        ),
        **_gift_cases(stack, other),
        **terminal_tenancy_cases(client, key, other),
        **hotline_tenancy_cases(client, key, other),
        **notification_tenancy_cases(client, key, other, event["event_id"]),
        **invitation_tenancy_cases(
            client, other, their_exhibitor, later["event_id"], batch["batch_id"]
        ),
        **exhibitor_message_tenancy_cases(
            client, seller["api_key"], their_exhibitor, later["event_id"]
        ),
        **consent_tenancy_cases(client, key, other, guesser),
        **privacy_tenancy_cases(client, key, other, event["event_id"]),
        # public: the token is the secret; a made-up one finds nothing
        ("GET", "/t/{ticket_token}"): lambda: assert_problem(
            guesser.call("GET", f"/t/{number}.{booking['positions'][0]['id']}.{'x' * 26}"), 404
        ),
        # the console: its session is the key; without one every page sends to the sign-in
        # form, and another tenant's staff are not listed (tests/e2e/test_console.py)
        ("GET", "/console"): lambda: console_needs_a_session(client, "GET", "/console"),
        ("POST", "/console"): lambda: console_needs_a_session(client, "POST", "/console"),
        ("GET", "/console/{proxy+}"): lambda: console_needs_a_session(
            client, "GET", "/console/staff"
        ),
        ("POST", "/console/{proxy+}"): lambda: console_needs_a_session(
            client, "POST", "/console/staff/invite"
        ),
    }


def console_needs_a_session(client: Client, method: str, path: str) -> None:
    from tests.e2e.console import Browser

    visitor = Browser(client.base_url)
    reply = visitor.request(method, path, {"email": "x@example.org"} if method == "POST" else None)
    assert (reply.status, reply.headers.get("Location")) == (303, "/console/sign-in"), path


def _gift_cases(stack: LocalStack, other: str) -> dict[tuple[str, str], Any]:
    """Gift campaigns (seed 004): an issuer of the intruding tenant, and its organizer, find
    none of the first tenant's campaigns; a made-up voucher page token finds nothing."""
    client, key = stack.client, stack.organizer_key
    issuer = client.call("POST", "/issuers", key, {"name": "会员积分系统"}).json()["api_key"]
    campaign = client.call(
        "POST",
        "/campaigns",
        issuer,
        {
            "name": "无线音乐俱乐部礼品券",
            "valid_from": "2026-10-01T00:00:00+08:00",
            "valid_until": "2031-01-01T00:00:00+08:00",
            "tiers": [{"id": "B", "name": "B 档", "value": "50.00"}],
        },
    ).json()["campaign_id"]
    bulk = client.call(
        "POST", f"/campaigns/{campaign}/bulk-issues", issuer, {"upload": "csv"}
    ).json()["bulk_id"]
    their_issuer = client.call("POST", "/issuers", other, {"name": "他人"}).json()["api_key"]
    guesser = stack.client.from_address("127.0.0.67")

    def missing(method: str, path: str, body: Any = None) -> None:
        assert_problem(client.call(method, path, their_issuer, body), 404)
        # their organizer reads campaigns of its own tenant only, and writes none
        assert_problem(client.call(method, path, other, body), 404 if method == "GET" else 403)

    return {
        ("POST", "/campaigns"): lambda: None,  # creates in the issuer's own tenant only
        ("GET", "/campaigns/{campaign_id}"): lambda: missing("GET", f"/campaigns/{campaign}"),
        ("PATCH", "/campaigns/{campaign_id}"): lambda: missing(
            "PATCH", f"/campaigns/{campaign}", {"name": "x"}
        ),
        ("POST", "/campaigns/{campaign_id}/vouchers"): lambda: missing(
            "POST",
            f"/campaigns/{campaign}/vouchers",
            {"tier": "B", "recipient": {"phone": "13800138000"}, "external_ref": "t-1"},
        ),
        ("POST", "/campaigns/{campaign_id}/bulk-issues"): lambda: missing(
            "POST", f"/campaigns/{campaign}/bulk-issues", {"upload": "csv"}
        ),
        ("POST", "/bulk-issues/{bulk_id}/start"): lambda: missing(
            "POST", f"/bulk-issues/{bulk}/start"
        ),
        ("GET", "/bulk-issues/{bulk_id}"): lambda: missing("GET", f"/bulk-issues/{bulk}"),
        # public: the token is the secret; a made-up one finds nothing
        ("GET", "/g/{token}"): lambda: (
            guesser.call("GET", f"/g/{'x' * 26}").status == 404
            or pytest.fail("a made-up voucher page token found a page")
        ),
    }


def _first_code(stack: LocalStack, key: str, batch_id: str) -> str:
    import io

    import openpyxl

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        batch = stack.client.call("GET", f"/voucher-batches/{batch_id}", key).json()
        if batch["status"] == "ready":
            target = urllib.parse.urlsplit(batch["download_url"])
            data = (
                Client(f"{target.scheme}://{target.netloc}")
                .call("GET", f"{target.path}?{target.query}")
                .body
            )
            sheet = openpyxl.load_workbook(io.BytesIO(data)).active
            assert sheet is not None
            return str(sheet.cell(row=2, column=1).value)
        time.sleep(0.2)
    raise AssertionError("batch not ready")


def test_every_route_is_checked_for_tenancy(local_stack: LocalStack) -> None:
    cases = _tenancy_cases(local_stack)
    stack = read_stack(load_template(), {"MailQueue": "q", "MailDeadLetterQueue": "d"})
    routes = {(r.method, r.path) for r in stack.routes}
    assert routes == set(cases), f"routes without a tenancy case: {routes - set(cases)}"
    for check in cases.values():
        check()

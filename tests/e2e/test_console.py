"""The console's core through the local stack, as a person in a browser would use it
(issue 13): sign-in by the link from /_local/outbox, sessions, CSRF, staff, each kind of user."""

from __future__ import annotations

import time

import pytest

from tests.e2e.console import Browser, ask_for_link, post_sign_in_form, sign_in
from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import new_event, new_organizer

pytestmark = pytest.mark.slow


def test_the_entry_sends_a_visitor_without_a_session_to_the_sign_in_form(
    local_stack: LocalStack,
) -> None:
    visitor = Browser(local_stack.client.base_url)
    entry = visitor.get("/console")
    assert entry.status == 303
    assert entry.headers["Location"] == "/console/sign-in"
    form = visitor.text("/console/sign-in")
    assert '<label for="email">' in form
    assert 'name="email"' in form


def test_the_demo_admin_signs_in_with_the_mailed_link_once_and_in_that_browser_only(
    local_stack: LocalStack,
) -> None:
    assert local_stack.organizer_email
    browser, link = ask_for_link(local_stack, local_stack.organizer_email, "127.0.0.21")
    # the same link from another browser (no cookie of the one that asked) is refused...
    stranger = Browser(local_stack.client.base_url, "127.0.0.22")
    elsewhere = stranger.get(link)
    assert elsewhere.status == 403
    assert "anderen Browser" in elsewhere.body.decode()
    assert "console_session" not in stranger.cookies
    # ... and does not use it up: the browser that asked signs in
    opened = browser.get(link)
    assert opened.status == 303
    assert opened.headers["Location"] == "/console"
    cookie = opened.headers.get("Set-Cookie", "")
    for attribute in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/console"):
        assert attribute in cookie
    home = browser.text("/console")
    assert "Dana Demo" in home
    assert 'href="/console/staff"' in home
    # a link is used once
    again = Browser(local_stack.client.base_url, "127.0.0.21", dict(browser.cookies))
    again.cookies.pop("console_session")
    assert again.get(link).status == 404


def test_asking_for_an_unknown_address_answers_alike_and_sends_nothing(
    local_stack: LocalStack,
) -> None:
    known = Browser(local_stack.client.base_url, "127.0.0.23")
    unknown = Browser(local_stack.client.base_url, "127.0.0.23")
    before = len(local_stack.client.call("GET", "/_local/outbox").json())
    a = post_sign_in_form(unknown, "nobody-here@example.org")
    b = post_sign_in_form(known, local_stack.reviewer_email)
    assert a.status == b.status == 303
    assert a.headers["Location"] == b.headers["Location"] == "/console/sign-in?sent=1"
    time.sleep(1)
    mails = local_stack.client.call("GET", "/_local/outbox").json()[before:]
    assert not any("nobody-here@example.org" in m["to"] for m in mails)


def test_a_form_posted_without_its_csrf_token_is_refused(local_stack: LocalStack) -> None:
    # the sign-in form too: a forged sign-in (no cookie of the form, no token) sends nothing
    forger = Browser(local_stack.client.base_url, "127.0.0.24")
    forged = forger.request("POST", "/console/sign-in", {"email": local_stack.organizer_email})
    assert forged.status == 403
    assert "Formular ist abgelaufen" in forged.body.decode()
    admin = sign_in(local_stack, local_stack.organizer_email, "127.0.0.24")
    for form in ({"email": "x@example.org", "name": "X"}, {"email": "x@example.org", "csrf": "no"}):
        refused = admin.request("POST", "/console/staff/invite", form)
        assert refused.status == 403
        assert "Formular ist abgelaufen" in refused.body.decode()
    assert "x@example.org" not in admin.text("/console/staff")


def test_an_admin_invites_a_colleague_and_removing_them_ends_their_session(
    local_stack: LocalStack,
) -> None:
    admin = sign_in(local_stack, local_stack.organizer_email, "127.0.0.25")
    colleague = f"kollegin-{time.time_ns()}@example.org"
    invited = admin.post(
        "/console/staff/invite",
        {"email": colleague, "name": "Kira Kollegin", "role": "staff"},
        csrf_from="/console/staff",
    )
    assert invited.status == 303
    staff_page = admin.text("/console/staff")
    assert "Kira Kollegin" in staff_page
    assert "ist eingeladen" in staff_page  # the page says what was done

    kira = sign_in(local_stack, colleague, "127.0.0.26")
    assert "Kira Kollegin" in kira.text("/console")
    assert "/console/staff/invite" not in kira.text("/console/staff")  # not an admin

    user_id = staff_page.split(f"{colleague}</td>")[1].split("/console/staff/")[1].split("/")[0]
    removed = admin.post(f"/console/staff/{user_id}/remove", {}, csrf_from="/console/staff")
    assert removed.status == 303
    gone = kira.get("/console")
    assert gone.status == 303
    assert gone.headers["Location"] == "/console/sign-in"


def test_an_exhibitors_contact_signs_in_to_an_empty_home(local_stack: LocalStack) -> None:
    client, key = local_stack.client, local_stack.organizer_key
    event = new_event(client, key)
    contact = f"messe-{time.time_ns()}@forst.example"
    created = client.call(
        "POST",
        "/exhibitors",
        key,
        {"name": "Forstmaschinen GmbH", "email": contact, "event_id": event["event_id"]},
    )
    assert created.status == 201
    exhibitor = sign_in(local_stack, contact, "127.0.0.27")
    home = exhibitor.text("/console")
    assert "Forstmaschinen GmbH" in home
    assert "/console/staff" not in home  # no staff pages for a contact
    assert exhibitor.get("/console/staff").status == 403


def test_the_reviewer_sees_the_organizers_and_another_tenant_sees_none_of_the_demo_staff(
    local_stack: LocalStack,
) -> None:
    reviewer = sign_in(local_stack, local_stack.reviewer_email, "127.0.0.28")
    assert "Demo Messe GmbH" in reviewer.text("/console/organizers")
    assert reviewer.get("/console/staff").status == 403

    name = f"rival{time.time_ns()}"
    new_organizer(local_stack, name)
    rival = sign_in(local_stack, f"{name}@example.org", "127.0.0.29")
    page = rival.text("/console/staff")
    assert f"{name}@example.org" in page
    assert local_stack.organizer_email not in page
    assert rival.get("/console/organizers").status == 403

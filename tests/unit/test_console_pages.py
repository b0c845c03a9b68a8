"""The console's dispatcher and frame on fakes: sessions, CSRF, roles, notices, CSP (issue 13)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.fakes.clock import FixedClock
from tests.fakes.people import fake_console_stores
from ticketing.console.dispatch import handle
from ticketing.console.rendering import content_security_policy, style_sheet
from ticketing.domain.people import User
from ticketing.i18n.catalogue import catalogue
from ticketing.services import staff
from ticketing.settings import scoped_environment

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
TEMPLATES = Path(__file__).resolve().parents[2] / "layers/shared/ticketing/console/templates"


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    with scoped_environment({"PUBLIC_BASE_URL": "https://tickets.example"}):
        yield


@pytest.fixture
def stores() -> Any:
    return fake_console_stores(FixedClock(NOW))


def request(
    stores: Any,
    method: str,
    path: str,
    form: str | None = None,
    cookies: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    client: str = "10.0.0.1",
) -> dict[str, Any]:
    event = {
        "httpMethod": method,
        "path": path,
        "headers": {
            "Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        "queryStringParameters": query,
        "body": form,
        "requestContext": {"identity": {"sourceIp": client}},
    }
    return handle(event, stores)


def set_cookies(answer: dict[str, Any]) -> dict[str, str]:
    found = (answer.get("multiValueHeaders") or {}).get("Set-Cookie", [])
    return dict(c.split(";")[0].split("=", 1) for c in found)


def ask_for_link(stores: Any, email: str, client: str = "10.0.0.1") -> dict[str, Any]:
    """The answer to the sign-in form posted as a browser does: GET (the cookie and the
    form's CSRF token), then POST with both."""
    form = request(stores, "GET", "/console/sign-in", client=client)
    browser = set_cookies(form)
    token = re.search(r'name="csrf" value="([^"]+)"', form["body"])
    assert token is not None
    body = urlencode({"email": email, "csrf": token.group(1)})
    return request(stores, "POST", "/console/sign-in", body, cookies=browser, client=client)


def signed_in(stores: Any, user: User) -> dict[str, str]:
    """The cookies of a browser signed in as ``user``, through the form and the link."""
    asked = ask_for_link(stores, str(user.email))
    browser = set_cookies(asked)
    token = str(stores.mail.requests[-1].context["sign_in_url"]).rsplit("/", 1)[1]
    opened = request(stores, "GET", f"/console/sign-in/{token}", cookies=browser)
    assert opened["statusCode"] == 303
    assert opened["headers"]["Location"] == "/console"
    return {"console_session": set_cookies(opened)["console_session"]}


@pytest.fixture
def admin(stores: Any) -> User:
    return staff.add_first_admin(stores.people, stores.clock, "org_1", "ada@example.org", "Ada")


def test_a_visitor_without_a_session_is_sent_to_the_sign_in_form(stores: Any) -> None:
    for path in ("/console", "/console/staff", "/console/nowhere"):
        answer = request(stores, "GET", path)
        assert answer["statusCode"] == 303
        assert answer["headers"]["Location"] == "/console/sign-in"
    form = request(stores, "GET", "/console/sign-in", query={"lang": "en"})
    assert form["statusCode"] == 200
    assert '<label for="email">E-mail address</label>' in form["body"]


def test_asking_for_a_link_answers_alike_for_known_and_unknown_addresses(
    stores: Any, admin: User
) -> None:
    known = ask_for_link(stores, "ada@example.org")
    unknown = ask_for_link(stores, "who@example.org")
    assert known["statusCode"] == unknown["statusCode"] == 303
    assert known["headers"] == unknown["headers"]
    assert set(set_cookies(known)) == set(set_cookies(unknown)) == {"console_browser"}
    cookie = known["multiValueHeaders"]["Set-Cookie"][0]
    for attribute in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/console"):
        assert attribute in cookie
    assert len(stores.mail.requests) == 1


def test_the_sign_in_form_carries_a_token_of_its_browser_and_a_forged_one_is_refused(
    stores: Any, admin: User
) -> None:
    form = request(stores, "GET", "/console/sign-in", query={"lang": "en"})
    browser = set_cookies(form)["console_browser"]
    cookie = form["multiValueHeaders"]["Set-Cookie"][0]
    for attribute in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/console"):
        assert attribute in cookie
    token = re.search(r'name="csrf" value="([^"]+)"', form["body"])
    assert token is not None
    assert token.group(1) != browser  # the cookie's value stays out of the page
    again = request(stores, "GET", "/console/sign-in", cookies={"console_browser": browser})
    assert set_cookies(again)["console_browser"] == browser  # kept while it asks again
    assert token.group(1) in again["body"]

    other = set_cookies(request(stores, "GET", "/console/sign-in"))["console_browser"]
    email = "email=ada%40example.org"
    forged = (
        (email, {"console_browser": browser}),  # no token
        (f"{email}&csrf=wrong", {"console_browser": browser}),
        (f"{email}&csrf={token.group(1)}", {}),  # a cross-site post carries no cookie
        (f"{email}&csrf={token.group(1)}", {"console_browser": other}),
    )
    for body, cookies in forged:
        refused = request(stores, "POST", "/console/sign-in", body, cookies=cookies)
        assert refused["statusCode"] == 403, body
        assert "Das Formular ist abgelaufen" in refused["body"]
        assert 'name="csrf"' in refused["body"]  # the form again, to send once more
        assert "ada@example.org" not in refused["body"]  # empty: nothing forged to send
    assert stores.mail.requests == []

    sent = request(
        stores,
        "POST",
        "/console/sign-in",
        f"{email}&csrf={token.group(1)}",
        cookies={"console_browser": browser},
    )
    assert (sent["statusCode"], sent["headers"]["Location"]) == (303, "/console/sign-in?sent=1")
    assert len(stores.mail.requests) == 1


def test_a_signed_in_admin_sees_the_frame_and_a_post_without_csrf_is_refused(
    stores: Any, admin: User
) -> None:
    cookies = signed_in(stores, admin)
    home = request(stores, "GET", "/console", cookies=cookies, query={"lang": "zh"})
    assert home["statusCode"] == 200
    assert 'lang="zh-Hans"' in home["body"]
    assert 'href="/console/staff"' in home["body"]
    assert set_cookies(home)["console_lang"] == "zh"  # the choice is remembered
    cookies["console_lang"] = "zh"

    body = "email=bob%40example.org&name=Bob"
    for form in (body, f"{body}&csrf=wrong"):
        refused = request(stores, "POST", "/console/staff/invite", form, cookies=cookies)
        assert refused["statusCode"] == 403
        assert "表单已过期" in refused["body"]  # in the language chosen
    assert staff.list_staff(stores.people, _principal(admin)) == [admin]


def _principal(user: User) -> Any:
    from ticketing.domain.people import principal_of

    return principal_of(user)


def test_an_admin_invites_and_the_next_page_says_so_once(stores: Any, admin: User) -> None:
    cookies = signed_in(stores, admin)
    page = request(stores, "GET", "/console/staff", cookies=cookies)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page["body"])
    assert csrf is not None
    form = f"email=bob%40example.org&name=Bob+B%C3%A4r&role=staff&csrf={csrf.group(1)}"
    done = request(stores, "POST", "/console/staff/invite", form, cookies=cookies)
    assert done["statusCode"] == 303
    assert done["headers"]["Location"] == "/console/staff"
    notice = set_cookies(done)["console_notice"]

    after = request(stores, "GET", "/console/staff", cookies={**cookies, "console_notice": notice})
    assert "Bob Bär (bob@example.org) ist eingeladen" in after["body"]
    assert set_cookies(after)["console_notice"] == ""  # said once
    assert stores.mail.requests[-1].template == "console_invitation"


def test_staff_who_are_not_admins_cannot_reach_the_admin_forms(stores: Any, admin: User) -> None:
    from ticketing.domain.people import StaffInvitation

    carl = staff.invite_staff(
        stores.staff_desk,
        _principal(admin),
        admin,
        StaffInvitation(email="carl@example.org", name="Carl"),
    )
    cookies = signed_in(stores, carl)
    page = request(stores, "GET", "/console/staff", cookies=cookies)
    assert page["statusCode"] == 200
    assert "/console/staff/invite" not in page["body"]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page["body"])
    assert csrf is not None
    refused = request(
        stores,
        "POST",
        f"/console/staff/{admin.user_id}/remove",
        f"csrf={csrf.group(1)}",
        cookies=cookies,
    )
    assert refused["statusCode"] == 403


def test_pages_load_nothing_and_run_no_script(stores: Any, admin: User) -> None:
    answer = request(stores, "GET", "/console/sign-in")
    policy = answer["headers"]["Content-Security-Policy"]
    assert policy == content_security_policy()
    # the console's own script files only (console/static.py): no inline script, no eval
    assert "script-src 'self';" in policy
    assert "unsafe" not in policy
    assert "default-src 'none'" in policy
    digest = base64.b64encode(hashlib.sha256(style_sheet().encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert f"<style>{style_sheet()}</style>" in answer["body"]
    assert "<script" not in answer["body"]
    assert answer["headers"]["Cache-Control"] == "no-store, private"
    assert answer["headers"]["Referrer-Policy"] == "no-referrer"


def test_every_id_a_console_template_asks_for_is_in_the_catalogue() -> None:
    asked = {
        message_id
        for template in TEMPLATES.glob("*.html")
        for message_id in re.findall(r"""\bt\("([a-z_]+\.[a-z_.0-9]+)"[,)]""", template.read_text())
    }
    # and the ids templates put together: "console.problem." ~ code, and so on
    composed = {
        *(f"console.problem.{code}" for code in (403, 404, 409, 413, 429, 500)),
        *(f"console.refused.{reason}" for reason in ("invalid", "expired", "other_browser")),
        *(f"console.home.for_{kind}" for kind in ("organizer", "exhibitor", "reviewer")),
        *(f"console.staff.role_{role}" for role in ("admin", "staff")),
        *(f"console.staff.invalid_{field}" for field in ("email", "name", "role")),
        *(f"console.{page.stem}.title" for page in TEMPLATES.glob("[!_]*.html")),
    }
    assert len(asked) > 20
    assert (asked | composed) - set(catalogue("de")) == set()

"""axe-core over every page people see, in German and Chinese, through the local stack
(issue 13 item 6: "axe-core finds no violation"). Every console page is checked in German, the
navigation's and a fixed third of the others also in Chinese (``SECOND_LANGUAGE_EVERY``).

The console's pages are not listed here: they are read from the registry
(``ticketing.console.registry.PAGES``) when the test runs, so a page added later is checked
without anyone editing this file. Path parameters are filled from the objects the test
creates (``World.params``); a page with a parameter the test does not know fails, asking for it
to be added there. Files (Excel, PDF) and JSON answers are fetched but not checked.

Customer pages: /redeem (empty and with a code), /portal, the order's page /o/{number}/{secret},
a gift voucher's page /g/{token}.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)
pytest.importorskip("axe_playwright_python", reason="axe-core comes with the dev extras")

from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.accessibility import describe, violations
from tests.e2e.console import sign_in
from tests.e2e.gift_world import gift_world
from tests.e2e.stack import LocalStack
from tests.e2e.test_foundation import booking_body
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch, register
from ticketing.console import dispatch as _dispatch  # noqa: F401 - registers every page
from ticketing.console.registry import PAGES
from ticketing.domain.people import UserKind

pytestmark = pytest.mark.slow

LANGUAGES = ("de", "zh")
# A console page is checked in German, and in Chinese if it is in the navigation or among a
# fixed third of the others: the layout, labels and landmarks are one template in both, and
# Chinese checked everywhere doubled the test's time (about 4 of the suite's 15 minutes). The
# customer pages and the pages without a session are checked in both languages.
SECOND_LANGUAGE_EVERY = 3
# pages in a state the plain path does not show: results found, a filter applied
EXTRA = {
    UserKind.ORGANIZER: ["/console/orders?q=Gross"],
}
# pages that need a query to show anything (their links carry it)
QUERIES = {"/console/gift/merchants/{merchant_id}/settlement": "from=2026-01-01&to=2026-12-31"}
# pages that answer with a refusal on purpose
REFUSALS = {"/console/no-such-page": 404, "/console/sign-in/xxxx": 404}
_PARAM = re.compile(r"\{(\w+)\}")
HTML = "text/html"


@dataclass
class World:
    """What the pages show: one of each object, and a signed-in browser per kind of user."""

    params: dict[str, str]
    contexts: dict[UserKind, BrowserContext] = field(default_factory=dict)
    customer_paths: dict[str, str] = field(default_factory=dict)


def _signed_in_context(
    chromium: Browser, stack: LocalStack, email: str, source: str
) -> BrowserContext:
    """A Chromium context holding the session of ``email`` (signed in over HTTP by the link
    from the outbox; the form itself is checked as a page of its own)."""
    http = sign_in(stack, email, source)
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {"name": name, "value": value, "url": f"{stack.client.base_url}/console"}
            for name, value in http.cookies.items()
        ]
    )
    return context


@pytest.fixture(scope="module")
def world(local_stack: LocalStack, chromium: Browser) -> Iterator[World]:
    client, key = local_stack.client.from_address("127.0.0.70"), local_stack.organizer_key
    event = future_event(local_stack)
    event_id = event["event_id"]
    name = f"Axe{time.time_ns()}"
    exhibitor = exhibitor_of(local_stack, event_id, name)
    batch = ready_batch(client, exhibitor["api_key"], event_id, 5, label="Juli")
    code = codes_of(batch)[0]
    registered = register(client, code, f"axe-{time.time_ns()}@example.org")
    assert registered.status == 201, registered.body
    booked = client.call("POST", f"/events/{event_id}/bookings", key, booking_body("Größmann"))
    assert booked.status == 201, booked.body
    order = booked.json()
    message = {"subject": "Einlass ab 9 Uhr", "body": "Bitte kommen Sie **pünktlich**."}
    made = client.call("POST", f"/events/{event_id}/notifications", key, message)
    assert made.status == 201, made.body
    notification_id = made.json()["notification_id"]  # submitted: the reviewer sees it too
    assert client.call("POST", f"/notifications/{notification_id}/submit", key).status == 200
    # the exhibitor's message to its registrants, asked back: its page shows the change form
    written = client.call(
        "POST", f"/events/{event_id}/redemptions/messages", exhibitor["api_key"], message
    )
    assert written.status == 202, written.body
    message_id = written.json()["message_id"]
    asked_back = {"text": "Welche Halle?"}
    reviewer = local_stack.reviewer_key
    asked_reply = client.call("POST", f"/notifications/{message_id}/question", reviewer, asked_back)
    assert asked_reply.status == 200, asked_reply.body
    question = {"id": "branche", "label": {"de": "Branche", "en": "Industry"}, "type": "text"}
    asked = client.call("PUT", f"/events/{event_id}/questions", key, [question])
    assert asked.status == 200, asked.body
    # an erasure of an address that holds nothing: its page shows what was touched (nothing)
    erased = client.call("POST", "/customers/erasure", key, {"email": "niemand@example.org"})
    assert erased.status == 202, erased.body
    gifts = gift_world(client, key)  # merchants, an issuer's campaign, a gift voucher
    voucher = gifts.issue()
    world = World(
        params={
            "event_id": event_id,
            "exhibitor_id": exhibitor["exhibitor_id"],
            "batch_id": batch["batch_id"],
            "order_number": order["order_number"],
            "code": code,
            "organizer_id": local_stack.organizer_id,
            "merchant_id": gifts.cinema["merchant_id"],
            "campaign_id": gifts.campaign["campaign_id"],
            "notification_id": notification_id,
            "message_id": message_id,
            "question_id": question["id"],
            "erasure_id": erased.json()["erasure_id"],
        }
    )
    world.contexts[UserKind.ORGANIZER] = _signed_in_context(
        chromium, local_stack, local_stack.organizer_email, "127.0.0.71"
    )
    world.contexts[UserKind.EXHIBITOR] = _signed_in_context(
        chromium, local_stack, f"{name.lower()}@messe.example", "127.0.0.72"
    )
    world.contexts[UserKind.REVIEWER] = _signed_in_context(
        chromium, local_stack, local_stack.reviewer_email, "127.0.0.73"
    )
    self_service = urllib.parse.urlsplit(order["self_service_url"]).path
    gift_page = next(
        urllib.parse.urlsplit(value).path
        for value in voucher.values()
        if isinstance(value, str) and "/g/" in value
    )
    world.customer_paths = {
        "redeem": "/redeem",
        "redeem-with-code": f"/redeem?code={code}",
        "portal": "/portal",
        "order": self_service,
        "gift": gift_page,
    }
    try:
        yield world
    finally:
        for context in world.contexts.values():
            context.close()


def _with_language(path: str, language: str) -> str:
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}lang={language}"


def _is_page(tab: Page, url: str) -> bool:
    """Whether ``url`` answers with a whole HTML page (not a file, JSON or a fragment)."""
    head = tab.context.request.get(url, max_redirects=0)
    if not head.headers.get("content-type", "").startswith(HTML):
        return False
    # a fragment a script puts into its page (search as you type) is checked there
    return head.text().lstrip().lower().startswith("<!doctype html")


def _check(tab: Page, url: str, found: dict[str, str], is_page: bool | None = None) -> bool:
    """Open ``url`` in ``tab`` if it is a page (not a file or JSON; ``is_page`` if already
    known) and run axe over it; whether it was one. A page answers 200 unless
    :data:`REFUSALS` says otherwise."""
    if not (_is_page(tab, url) if is_page is None else is_page):
        return False
    response = tab.goto(url)
    assert response is not None
    expected = next((s for part, s in REFUSALS.items() if part in url), 200)
    faults = [f"status {response.status}, not {expected}"] if response.status != expected else []
    seen = violations(tab)
    if seen:
        faults.append(describe(seen))
    if faults:
        found[url] = "\n  ".join(faults)
    return True


def _console_paths(kind: UserKind, params: dict[str, str]) -> tuple[list[str], set[str]]:
    """The GET pages for ``kind`` with their parameters filled, and the unknown parameters."""
    paths: list[str] = []
    unknown: set[str] = set()
    for page in PAGES:
        if page.method != "GET" or kind not in page.kinds:
            continue
        missing = set(_PARAM.findall(page.path)) - set(params)
        if missing:
            unknown |= {f"{name} (in {page.path})" for name in missing}
            continue
        path = _PARAM.sub(lambda m: urllib.parse.quote(params[m.group(1)], safe=""), page.path)
        query = next((q for start, q in QUERIES.items() if page.path.startswith(start)), None)
        paths.append(f"{path}?{query}" if query else path)
    return paths, unknown


@pytest.mark.parametrize("kind", [UserKind.ORGANIZER, UserKind.EXHIBITOR, UserKind.REVIEWER])
def test_every_console_page_of_each_kind_of_user_has_no_axe_violation(
    local_stack: LocalStack, world: World, kind: UserKind
) -> None:
    base = local_stack.client.base_url
    paths, unknown = _console_paths(kind, world.params)
    assert not unknown, f"the world fixture has no object for: {sorted(unknown)}"
    paths.append("/console/no-such-page")  # the problem page, signed in
    paths.extend(EXTRA.get(kind, []))
    navigation = {p.path for p in PAGES if p.nav and kind in p.kinds}
    found: dict[str, str] = {}
    first, second = LANGUAGES
    checked: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    tab = world.contexts[kind].new_page()
    try:
        for n, path in enumerate(paths):
            if not _check(tab, f"{base}{_with_language(path, first)}", found):
                continue  # a file or JSON, in either language
            checked[first].append(path)
            if path in navigation or path in REFUSALS or n % SECOND_LANGUAGE_EVERY == 0:
                _check(tab, f"{base}{_with_language(path, second)}", found, is_page=True)
                checked[second].append(path)
    finally:
        tab.close()
    for language in LANGUAGES:  # the navigation's pages in both languages
        missed = navigation - set(checked[language])
        assert not missed, f"not checked in {language}: {missed}"
    for language, pages in checked.items():
        print(f"{kind.value} in {language}: {len(pages)} pages checked: {sorted(pages)}")
    assert not found, "axe-core violations:\n" + "\n".join(f"{u}\n  {v}" for u, v in found.items())


def _check_all(tab: Page, base: str, paths: list[str]) -> None:
    found: dict[str, str] = {}
    for path in paths:
        for language in LANGUAGES:
            assert _check(tab, f"{base}{_with_language(path, language)}", found), path
    assert not found, "axe-core violations:\n" + "\n".join(f"{u}\n  {v}" for u, v in found.items())


CUSTOMER_PAGES = [
    "redeem",
    "redeem-with-code",
    "portal",
    "order",
    "gift",
]


@pytest.mark.parametrize("name", CUSTOMER_PAGES)
def test_the_customer_pages_have_no_axe_violation(
    local_stack: LocalStack, world: World, chromium: Browser, name: str
) -> None:
    context = chromium.new_context(locale="de-DE")
    try:
        _check_all(context.new_page(), local_stack.client.base_url, [world.customer_paths[name]])
    finally:
        context.close()


def test_the_pages_without_a_session_have_no_axe_violation(
    local_stack: LocalStack, world: World, chromium: Browser
) -> None:
    base = local_stack.client.base_url
    context = chromium.new_context(locale="de-DE")
    found: dict[str, str] = {}
    try:
        tab = context.new_page()
        paths = [
            "/console/sign-in",
            "/console/sign-in?sent=1",
            "/console/sign-in/" + "x" * 43,  # a link that is not one: the refusal page
        ]
        for path in paths:
            for language in LANGUAGES:
                _check(tab, f"{base}{_with_language(path, language)}", found)
        # the sign-in form with its error next to the field
        tab.goto(f"{base}/console/sign-in?lang=de")
        tab.get_by_label("E-Mail-Adresse").fill("kein-at-zeichen")
        tab.get_by_role("button", name="Anmeldelink senden").click()
        seen = violations(tab)
        if seen:
            found["/console/sign-in (POST, invalid address)"] = describe(seen)
    finally:
        context.close()
    assert not found, "axe-core violations:\n" + "\n".join(f"{u}\n  {v}" for u, v in found.items())


def test_axe_reports_what_it_finds(chromium: Browser) -> None:
    """The helper fails on a page with faults and names the rule and the element."""
    from tests.browser.accessibility import assert_accessible

    context = chromium.new_context()
    try:
        tab = context.new_page()
        tab.set_content('<html><body><img src="data:,"><input id="x"></body></html>')
        with pytest.raises(AssertionError) as failed:
            assert_accessible(tab, "a faulty page")
        text = str(failed.value)
        for rule in ("html-has-lang", "image-alt", "label"):
            assert rule in text
        assert "img" in text
    finally:
        context.close()

"""The console's only pages without a session: the sign-in form, what it answers, and the
one-time link from the sign-in mail (services/sign_in.py holds the rules)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Final

from ticketing.console.http import (
    BROWSER_COOKIE,
    SESSION_COOKIE,
    Answer,
    Request,
    cookie,
    redirect,
)
from ticketing.console.rendering import render
from ticketing.console.stores import Stores
from ticketing.domain.people import SESSION_MAX_AGE, SIGN_IN_LINK_LIFETIME, new_secret
from ticketing.i18n import Language
from ticketing.services import sign_in
from ticketing.services.sign_in import LinkRefused

SIGN_IN: Final = "/console/sign-in"
_LINK = re.compile(r"^/console/sign-in/([A-Za-z0-9_-]{1,100})$")
_BROWSER_VALUE = re.compile(r"^[A-Za-z0-9_-]{43}$")
EMAIL_MAX_LENGTH: Final = 254
# the browser's cookie outlives a link (15 min): a form left open a while still posts
BROWSER_LIFETIME: Final = timedelta(days=1)
_FORGED: Final = "console.problem.csrf"
_STATUS: Final = {"invalid": 404, "expired": 410, "other_browser": 403}

Public = Callable[[Request, Stores, Language], Answer]


def find(request: Request) -> Public | None:
    """The public page ``request`` asks for, or None (then a session is needed)."""
    if request.path == SIGN_IN:
        return form_page if request.method == "GET" else ask_for_link
    if request.method == "GET" and _LINK.match(request.path):
        return open_link
    return None


def _browser_of(request: Request) -> str | None:
    """The ``console_browser`` cookie's value, if it is one the console set."""
    value = request.cookies.get(BROWSER_COOKIE, "")
    return value if _BROWSER_VALUE.match(value) else None


def _browser_cookie(browser: str) -> str:
    return cookie(BROWSER_COOKIE, browser, int(BROWSER_LIFETIME.total_seconds()))


def form_page(request: Request, stores: Stores, language: Language) -> Answer:
    """The form, with the CSRF token of this browser's cookie (set here when it has none;
    the browser keeps its value while it asks again: every link it asked for stays usable)."""
    sent = request.query.get("sent") == "1"
    email = request.query.get("email", "")[:EMAIL_MAX_LENGTH]
    browser = _browser_of(request) or new_secret()
    answer = _form(language, browser, sent=sent, email=email)
    answer.cookies.append(_browser_cookie(browser))
    return answer


def _form(
    language: Language,
    browser: str,
    *,
    sent: bool,
    email: str = "",
    error: bool = False,
    status: int | None = None,
    problem: str | None = None,
) -> Answer:
    body = render(
        "sign_in.html",
        language,
        csrf=sign_in.form_token(browser),
        sent=sent,
        email=email,
        error=error,
        problem=problem,
        email_max_length=EMAIL_MAX_LENGTH,
        minutes=int(SIGN_IN_LINK_LIFETIME.total_seconds() // 60),
    )
    return Answer(status or (422 if error else 200), body)


def ask_for_link(request: Request, stores: Stores, language: Language) -> Answer:
    """Mail a link if the address is a user's; the answer is the same either way. A form
    without the token of this browser's cookie (forged, or the cookie is gone) is refused
    with 403 and the form again, empty (a forged post must not leave its address in a
    form the person might send), with a fresh token."""
    email = request.form.get("email", "").strip()
    browser = _browser_of(request)
    if browser is None or not sign_in.form_token_matches(browser, request.form.get("csrf")):
        fresh = browser or new_secret()
        refused = _form(language, fresh, sent=False, status=403, problem=_FORGED)
        refused.cookies.append(_browser_cookie(fresh))
        return refused
    if not email or len(email) > EMAIL_MAX_LENGTH or "@" not in email:
        return _form(language, browser, sent=False, email=email[:EMAIL_MAX_LENGTH], error=True)
    sign_in.request_link(stores.desk, request.client, email, browser)
    return redirect(f"{SIGN_IN}?sent=1", [_browser_cookie(browser)])


def open_link(request: Request, stores: Stores, language: Language) -> Answer:
    match = _LINK.match(request.path)
    token = match.group(1) if match else ""
    try:
        signed_in = sign_in.open_link(
            stores.desk, request.client, token, request.cookies.get(BROWSER_COOKIE)
        )
    except LinkRefused as refused:
        body = render("refused.html", language, reason=refused.reason, sign_in_url=SIGN_IN)
        return Answer(_STATUS[refused.reason], body)
    return redirect(
        "/console",
        [
            cookie(SESSION_COOKIE, signed_in.cookie, int(SESSION_MAX_AGE.total_seconds())),
            cookie(BROWSER_COOKIE, "", max_age=0),
        ],
    )

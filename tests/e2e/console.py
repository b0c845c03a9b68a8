"""Signing in to the console in e2e tests: a browser-like client that keeps its cookies.

    from tests.e2e.console import sign_in

    admin = sign_in(local_stack, local_stack.organizer_email)   # the demo organizer's admin
    page = admin.get("/console/staff")
    admin.post("/console/staff/invite", {"email": ..., "name": ...})  # csrf filled in

``sign_in`` asks for a link on ``/console/sign-in``, reads it from ``/_local/outbox`` and opens
it with the same cookies, as a person's browser would. Each sign-in asks for a link: a mailbox
gets at most 10 links in 10 minutes, so a test module signs in once per user (a fixture of
module scope) rather than in every test. ``source`` (127.0.0.N) is another client to the
throttles, for tests of refusals.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.stack import LocalStack, Reply

LINK = re.compile(r"/console/sign-in/([A-Za-z0-9_-]{43})")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Browser:
    """Cookies across requests, redirects not followed (tests look at them)."""

    base_url: str
    source: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        raw: tuple[bytes, str] | None = None,  # a body and its Content-Type (multipart)
    ) -> Reply:
        target = urllib.parse.urlsplit(self.base_url)
        headers = {"Accept-Language": "de"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if raw is not None:
            body, headers["Content-Type"] = raw
        connection = http.client.HTTPConnection(
            target.hostname or "127.0.0.1",
            target.port,
            timeout=30,
            source_address=(self.source, 0) if self.source else None,
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for set_cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = set_cookie.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in set_cookie:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return Reply(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str], csrf_from: str | None = None) -> Reply:
        """Post ``form`` with the CSRF token of the page ``csrf_from`` (default: the console's
        home page), as the page's own form would."""
        page = self.get(csrf_from or "/console").body.decode()
        match = CSRF.search(page)
        assert match is not None, "no form with a CSRF token on the page"
        return self.request("POST", path, {**form, "csrf": match.group(1)})

    def upload(
        self,
        path: str,
        form: dict[str, str],
        files: dict[str, tuple[str, str, bytes]],
        csrf_from: str | None = None,
    ) -> Reply:
        """Post ``form`` and ``files`` (name: (filename, content_type, data)) as a form with
        ``enctype="multipart/form-data"`` does, with the CSRF token of ``csrf_from``."""
        from tests.multipart_form import encode

        page = self.get(csrf_from or "/console").body.decode()
        match = CSRF.search(page)
        assert match is not None, "no form with a CSRF token on the page"
        return self.request("POST", path, raw=encode({**form, "csrf": match.group(1)}, files))

    def text(self, path: str) -> str:
        reply = self.get(path)
        assert reply.status == 200, (reply.status, reply.body[:500])
        return reply.body.decode()


def sign_in_link(stack: LocalStack, email: str, after: int, timeout: float = 30) -> str:
    """The path of the newest sign-in link mailed to ``email`` (among mails after ``after``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails: list[dict[str, Any]] = stack.client.call("GET", "/_local/outbox").json()
        for mail in reversed(mails[after:]):
            found = LINK.search(mail["text"])
            if email in mail["to"] and found:
                return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no sign-in link reached {email}")


def outbox_size(stack: LocalStack) -> int:
    return len(stack.client.call("GET", "/_local/outbox").json())


def post_sign_in_form(browser: Browser, email: str) -> Reply:
    """The sign-in form sent as a person sends it: opened first (its cookie and CSRF token)."""
    form = browser.text("/console/sign-in")
    token = CSRF.search(form)
    assert token is not None, "the sign-in form has no CSRF token"
    return browser.request("POST", "/console/sign-in", {"email": email, "csrf": token.group(1)})


def ask_for_link(stack: LocalStack, email: str, source: str | None = None) -> tuple[Browser, str]:
    """A new browser that asked for a link for ``email``, and the link's path."""
    browser = Browser(stack.client.base_url, source)
    before = outbox_size(stack)
    asked = post_sign_in_form(browser, email)
    assert asked.status == 303, asked.body[:500]
    return browser, sign_in_link(stack, email, before)


# sessions already signed in, by (stack, mailbox): the platform allows a mailbox 10 links in
# 10 minutes, and many tests of one stack sign the demo admin in
_SESSIONS: dict[tuple[str, str], dict[str, str]] = {}


def sign_in(stack: LocalStack, email: str, source: str | None = None) -> Browser:
    """A browser signed in as ``email``: through the mailed link the first time, then with the
    same session (its cookies, from ``source``) while that session still opens the console."""
    known = _SESSIONS.get((stack.client.base_url, email))
    if known is not None:
        browser = Browser(stack.client.base_url, source, dict(known))
        if browser.get("/console").status == 200:
            return browser
    browser, link = ask_for_link(stack, email, source)
    opened = browser.get(link)
    assert opened.status == 303, opened.body[:500]
    assert opened.headers["Location"] == "/console"
    assert "console_session" in browser.cookies
    _SESSIONS[(stack.client.base_url, email)] = dict(browser.cookies)
    return browser

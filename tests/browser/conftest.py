"""Pages in a real browser: Debian's headless Chromium driven by Playwright, against a tiny site.

A site (:class:`FakeSite`, served by :func:`serving`) serves pages as the handlers render them
and answers the page's API with what the test scripted, recording each request; so a page is
tested without the backend. :class:`Site` is the redemption page's: ``GET /redeem`` (language
and code from the request) and ``POST /vouchers/{code}/registration``.

Playwright's own ``playwright install`` downloads a browser build, which these machines cannot
fetch: the tests drive Debian's Chromium, which ``scripts/install-browser.sh`` installs.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import SplitResult, parse_qs, urlsplit

import pytest

from ticketing.pages.redeem import pick_language, render_redeem_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_SCRIPT = ROOT / "scripts" / "install-browser.sh"
ARTIFACTS = Path(__file__).parent / "artifacts"

# Without the background-networking switches Chromium keeps calling home (updates, sync,
# field trials), which floods a closed network with failing connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # the tests run as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE: ViewportSize = {"width": 360, "height": 740}
REGISTRATION_PREFIX = "/vouchers/"
REGISTRATION_SUFFIX = "/registration"
MAX_BODY = 1024 * 1024

# What a fake site answers to a GET: status, headers, body.
Answer = tuple[int, Mapping[str, str], bytes]
S = TypeVar("S", bound="FakeSite")


@dataclass(frozen=True)
class ReceivedRequest:
    """One request the page sent to the fake API."""

    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: Any  # the decoded JSON, or the raw text when it was not JSON


@dataclass
class FakeSite:
    """Pages and a scripted API on 127.0.0.1, on one origin as in production.

    A site says what ``GET`` answers (:meth:`page`) and which paths are its API
    (:meth:`is_api`); a ``POST`` there is recorded and answered with :attr:`reply`.
    """

    base_url: str
    # What a POST to the API answers: {"status", "headers"?, "body"?}.
    reply: dict[str, Any] = field(
        default_factory=lambda: {"status": 500, "body": {"detail": "no reply scripted"}}
    )
    requests: list[ReceivedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # How much of a request body is read.
    max_body: ClassVar[int] = MAX_BODY

    def page(self, url: SplitResult, accept_language: str | None) -> Answer | None:
        """What ``GET url`` answers; None is a plain 404."""
        raise NotImplementedError

    def is_api(self, path: str) -> bool:
        raise NotImplementedError

    def received(self) -> list[ReceivedRequest]:
        with self.lock:
            return list(self.requests)


@dataclass
class Site(FakeSite):
    """The redemption page and ``POST /vouchers/{code}/registration``."""

    # Extra headers sent with the page itself (a test sets the Content-Security-Policy).
    page_headers: dict[str, str] = field(default_factory=dict)

    def url(self, query: str = "") -> str:
        return f"{self.base_url}/redeem{query}"

    def page(self, url: SplitResult, accept_language: str | None) -> Answer | None:
        if url.path != "/redeem":
            return None
        query = parse_qs(url.query)
        language = pick_language(accept_language, query.get("lang", [None])[0])
        html = render_redeem_page(language, query.get("code", [None])[0])
        headers = {"Content-Type": "text/html; charset=utf-8", **self.page_headers}
        return 200, headers, html.encode()

    def is_api(self, path: str) -> bool:
        return path.startswith(REGISTRATION_PREFIX) and path.endswith(REGISTRATION_SUFFIX)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    site: FakeSite


class _SiteHandler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        answer = self.server.site.page(urlsplit(self.path), self.headers.get("Accept-Language"))
        if answer is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        self._send(*answer)

    def do_POST(self) -> None:
        site = self.server.site
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, site.max_body)).decode("utf-8", "replace")
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw
        if not site.is_api(path):
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        with site.lock:
            site.requests.append(
                ReceivedRequest("POST", path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            reply = dict(site.reply)
        status = int(reply["status"])
        kind = "application/json" if status < 400 else "application/problem+json"
        headers = {"Content-Type": kind, **reply.get("headers", {})}
        payload = reply.get("body")
        self._send(status, headers, b"" if payload is None else json.dumps(payload).encode())

    def _send(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the requests are recorded on the site


@contextmanager
def serving(make_site: Callable[[str], S], name: str) -> Iterator[S]:
    """``make_site(base_url)`` served on a free port of 127.0.0.1 until the block ends."""
    server = _SiteServer(("127.0.0.1", 0), _SiteHandler)
    host, port = server.server_address[:2]
    site = make_site(f"http://{host!s}:{port}")
    server.site = site
    # a short poll keeps shutdown() quick at teardown
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
    )
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def site() -> Iterator[Site]:
    with serving(Site, "redeem-site") as served:
        yield served


def _install_chromium() -> None:
    """Run scripts/install-browser.sh once per machine, even with several pytest workers."""
    if CHROMIUM.exists():
        return
    lock = Path(tempfile.gettempdir()) / "ticketing-install-browser.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # xdist workers must not run apt-get side by side
        if CHROMIUM.exists():
            return
        result = subprocess.run(
            ["bash", str(INSTALL_SCRIPT)],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    if result.returncode != 0 or not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing and {INSTALL_SCRIPT.relative_to(ROOT)} could not install it "
            f"(exit {result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    _install_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A phone-sized tab (360 x 740, touch) whose browser prefers German, like most visitors."""
    context = chromium.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="de-DE"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Errors the page logs or throws; request this before the page loads."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_page_error(error: Error) -> None:
        errors.append(f"uncaught: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors


@pytest.fixture
def artifacts() -> Path:
    """Where tests put screenshots for people to look at (never committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    ignore = ARTIFACTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n!.gitignore\n")
    return ARTIFACTS

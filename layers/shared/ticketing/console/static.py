"""The console's scripts: files of ``console/static/`` on a fixed allow-list, served at
``/console/static/<name>`` without a session (code, no data) and allowed by the CSP's
``script-src 'self'``.

A page links one with ``<script src="{{ static_url("<name>") }}" defer></script>``: the URL
carries the file's content hash (``?v=``), so the answer to that URL is cached for a year and a
changed file has a new URL; any other ``v`` is answered ``no-cache``. A script only enhances a
page that works without it. A new file: add its name to :data:`SCRIPTS`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Final

from ticketing.console.http import Answer, Request

FOLDER: Final = Path(__file__).parent / "static"
PREFIX: Final = "/console/static/"
SCRIPTS: Final = frozenset({"exhibitor.js", "orders.js", "invitations.js"})
YEAR: Final = "public, max-age=31536000, immutable"


@cache
def _script(name: str) -> tuple[str, str]:
    """The file's text and its version (the first 16 hex digits of its SHA-256)."""
    text = (FOLDER / name).read_text(encoding="utf-8")
    return text, hashlib.sha256(text.encode()).hexdigest()[:16]


def static_url(name: str) -> str:
    if name not in SCRIPTS:
        raise ValueError(f"{name} is not one of the console's scripts")
    return f"{PREFIX}{name}?v={_script(name)[1]}"


def serve(request: Request) -> Answer | None:
    """The answer to a request for a script, None for any other path."""
    if not request.path.startswith(PREFIX):
        return None
    name = request.path.removeprefix(PREFIX)
    if request.method != "GET" or name not in SCRIPTS:
        return Answer(404, "", {"Content-Type": "text/plain; charset=utf-8"})
    text, version = _script(name)
    caching = YEAR if request.query.get("v") == version else "no-cache"
    return Answer(
        200, text, {"Content-Type": "text/javascript; charset=utf-8", "Cache-Control": caching}
    )

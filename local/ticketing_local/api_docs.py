"""The API's description on the local stack: ``GET /openapi.json`` and Swagger UI at ``/docs``.

Swagger UI's files are the ones Powertools ships for its own ``enable_swagger``: no second
copy to keep, and nothing from a CDN (the machine may be offline, and the page's policy lets it
load only from the stack itself).
"""

from __future__ import annotations

import json
from importlib.resources import files

from ticketing_local.openapi import document

Answer = tuple[int, dict[str, str], bytes]

_SWAGGER_UI = files("aws_lambda_powertools.event_handler.openapi") / "swagger_ui"
_ASSETS = {
    "/docs/swagger-ui.css": ("swagger-ui.min.css", "text/css; charset=utf-8"),
    "/docs/swagger-ui-bundle.js": ("swagger-ui-bundle.min.js", "text/javascript; charset=utf-8"),
}
_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ticketing API</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/start.js"></script>
</body>
</html>
"""
# a file, not an inline script: the policy below allows scripts from the stack only
_START = b"""window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
});
"""
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


def answer(path: str, host: str | None) -> Answer | None:
    """The answer to ``GET path``, or None when the path is none of the documentation's.

    The document names the stack as its server by the ``Host`` the client used, so that
    Swagger UI's "Try it out" calls the stack it was loaded from.
    """
    if path == "/openapi.json":
        server = f"http://{host}" if host else None
        body = json.dumps(document(server), indent=2, sort_keys=True, ensure_ascii=False)
        return 200, {"Content-Type": "application/json", **_PAGE_HEADERS}, body.encode()
    if path in ("/docs", "/docs/"):
        return 200, {"Content-Type": "text/html; charset=utf-8", **_PAGE_HEADERS}, _PAGE
    if path == "/docs/start.js":
        return 200, {"Content-Type": "text/javascript; charset=utf-8", **_PAGE_HEADERS}, _START
    if path in _ASSETS:
        name, media_type = _ASSETS[path]
        return 200, {"Content-Type": media_type, **_PAGE_HEADERS}, (_SWAGGER_UI / name).read_bytes()
    return None

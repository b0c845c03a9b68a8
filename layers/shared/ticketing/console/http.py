"""The console's HTTP plumbing: a request read from API Gateway's proxy event, an answer
written back as its proxy response, and the console's cookies.

Every cookie is ``HttpOnly; Secure; SameSite=Lax; Path=/console``: no script reads it, it
travels over TLS only, another site's form post does not carry it, and no other part of the
platform sees it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl

from ticketing.console import multipart

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ticketing.console.multipart import Upload

SESSION_COOKIE: Final = "console_session"
BROWSER_COOKIE: Final = "console_browser"  # binds a sign-in link to the browser that asked
LANGUAGE_COOKIE: Final = "console_lang"
NOTICE_COOKIE: Final = "console_notice"  # the flash notice of the page after a POST
COOKIE_PATH: Final = "/console"
MAX_FORM_BYTES: Final = 64 * 1024
MAX_FIELD_CHARS: Final = 10_000


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: Mapping[str, str]
    form: Mapping[str, str]
    cookies: Mapping[str, str]
    headers: Mapping[str, str]  # names in lower case
    client: str  # the source address, for the throttles
    request_id: str
    files: Mapping[str, Upload] = field(default_factory=dict)  # a multipart form's file fields
    refused: int | None = None  # 400 (a body no form sends) or 413 (too big): answered as such
    # a multipart body and whether it is base64, read by ``with_files`` once a session is
    # known: parsing 4 MB is work no visitor without a session may ask for
    unread: tuple[str, bool] | None = field(default=None, repr=False)

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> Request:
        headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
        query = {
            str(k): str(v)[:MAX_FIELD_CHARS]
            for k, v in (event.get("queryStringParameters") or {}).items()
        }
        context = event.get("requestContext") or {}
        form, refused, unread = _body(event, headers)
        return cls(
            method=str(event.get("httpMethod") or "GET").upper(),
            path=str(event.get("path") or "/").rstrip("/") or "/",
            query=query,
            form=form,
            cookies=_cookies(headers.get("cookie", "")),
            headers=headers,
            client=str((context.get("identity") or {}).get("sourceIp") or "unknown"),
            request_id=str(context.get("requestId") or ""),
            refused=refused,
            unread=unread,
        )

    def with_files(self) -> Request:
        """The request with its multipart form read: text fields in ``form``, file fields in
        ``files``, or ``refused`` 400/413 for a body no console form sends."""
        if self.unread is None:
            return self
        body, encoded = self.unread
        content_type = self.headers.get("content-type", "")
        form: dict[str, str] = {}
        files: dict[str, Upload] = {}
        refused = None
        try:
            raw = base64.b64decode(body, validate=True) if encoded else None
            data = raw if raw is not None else body.encode("utf-8", "surrogateescape")
            form, files = multipart.parse(content_type, data, MAX_FIELD_CHARS)
        except multipart.TooLarge:
            refused = 413
        except (ValueError, UnicodeError):  # binascii.Error, Malformed, a body not ASCII
            refused = 400
        return replace(self, form=form, files=files, refused=refused, unread=None)


def _body(
    event: Mapping[str, Any], headers: Mapping[str, str]
) -> tuple[dict[str, str], int | None, tuple[str, bool] | None]:
    """A url-encoded form; or a multipart body measured (413 over 4 MB) but left unread."""
    if not multipart.is_multipart(headers.get("content-type", "")):
        return _form(event, headers), None, None
    body = str(event.get("body") or "")
    encoded = bool(event.get("isBase64Encoded"))
    limit = multipart.MAX_UPLOAD_BASE64 if encoded else multipart.MAX_UPLOAD_BYTES
    if len(body) > limit:
        return {}, 413, None
    return {}, None, (body, encoded)


def _form(event: Mapping[str, Any], headers: Mapping[str, str]) -> dict[str, str]:
    """A url-encoded form body as one value per field (the last one sent wins)."""
    body = event.get("body") or ""
    if not body:
        return {}
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("", "application/x-www-form-urlencoded"):
        return {}
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else None
        text = raw.decode("utf-8") if raw is not None else str(body)
    except (ValueError, UnicodeError):  # binascii.Error; a "base64" body that is not ASCII
        return {}
    if len(text) > MAX_FORM_BYTES:
        return {}
    return {k: v[:MAX_FIELD_CHARS] for k, v in parse_qsl(text, keep_blank_values=True)}


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def cookie(name: str, value: str, max_age: int | None = None) -> str:
    """A ``Set-Cookie`` value of the console; ``max_age=0`` deletes the cookie."""
    parts = [f"{name}={value}", f"Path={COOKIE_PATH}", "HttpOnly", "Secure", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


@dataclass
class Answer:
    """What a page answers: status, HTML body, headers and the cookies it sets."""

    status: int
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    data: bytes | None = None  # a file (PDF, Excel) instead of ``body``: see :func:`download`

    def proxy_response(self, base_headers: Mapping[str, str]) -> dict[str, Any]:
        headers = {**base_headers, **self.headers}
        response: dict[str, Any] = {
            "statusCode": self.status,
            "headers": headers,
            "body": self.body if self.data is None else base64.b64encode(self.data).decode(),
            "isBase64Encoded": self.data is not None,
        }
        if self.cookies:
            response["multiValueHeaders"] = {"Set-Cookie": list(self.cookies)}
        return response


def download(data: bytes, content_type: str, filename: str, inline: bool = False) -> Answer:
    """A file the page hands out (same headers as every page: no-store, nosniff)."""
    disposition = "inline" if inline else "attachment"
    return Answer(
        200,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'{disposition}; filename="{filename}"',
        },
        data=data,
    )


def redirect(location: str, cookies: list[str] | None = None) -> Answer:
    """303 See Other: after a POST the browser follows with GET, a reload posts nothing."""
    return Answer(303, "", {"Location": location}, list(cookies or []))

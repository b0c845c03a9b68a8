"""API Gateway on localhost: routes from the template, the authorizer first, proxy events.

For every request it builds the REST API proxy event AWS would build, runs the declared
REQUEST authorizer (its context lands in ``requestContext.authorizer``), calls the declared
handler, and writes back its proxy response. Gateway answers (401, 403, missing route) use the
template's GatewayResponse bodies. Beside the template's routes it serves the API's description
(``/openapi.json``, Swagger UI at ``/docs``; see ``api_docs``).
"""

from __future__ import annotations

import base64
import fnmatch
import json
import time
import traceback
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ticketing_local import api_docs
from ticketing_local.template import ACCOUNT_ID, REGION, GatewayResponse, Route

MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway's own payload limit

_TEXT_TYPES = ("application/json", "application/problem+json", "text/", "application/x-www-form")


def build_proxy_event(
    route: Route,
    method: str,
    path: str,
    query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    source_ip: str,
    stage: str,
) -> dict[str, Any]:
    match = route.pattern.match(path)
    # API Gateway hands path parameters over decoded (%3C becomes <)
    path_parameters = {k: unquote(v) for k, v in (match.groupdict() if match else {}).items()}
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in headers:
        single[name] = value
        multi.setdefault(name, []).append(value)
    query_pairs = parse_qsl(query, keep_blank_values=True)
    query_single = dict(query_pairs)
    query_multi: dict[str, list[str]] = {}
    for k, v in query_pairs:
        query_multi.setdefault(k, []).append(v)
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    text_body: str | None = None
    is_base64 = False
    if body:
        is_text = not content_type or content_type.startswith(_TEXT_TYPES)
        try:
            text_body = body.decode("utf-8") if is_text else None
        except UnicodeDecodeError:
            text_body = None
        if text_body is None:
            text_body, is_base64 = base64.b64encode(body).decode(), True
    now = datetime.now(UTC)
    user_agent = next((v for k, v in headers if k.lower() == "user-agent"), "")
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": method,
        "headers": single or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": query_single or None,
        "multiValueQueryStringParameters": query_multi or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": route.path,
            "httpMethod": method,
            "extendedRequestId": uuid.uuid4().hex,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "path": f"/{stage}{path}",
            "accountId": ACCOUNT_ID,
            "protocol": "HTTP/1.1",
            "stage": stage,
            "domainPrefix": "localhost",
            "domainName": "localhost",
            "requestId": str(uuid.uuid4()),
            "apiId": "local",
            "identity": {"sourceIp": source_ip, "userAgent": user_agent},
        },
        "body": text_body,
        "isBase64Encoded": is_base64,
    }


def method_arn(stage: str, method: str, path: str) -> str:
    return f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:local/{stage}/{method}{path}"


def authorizer_event(event: dict[str, Any], stage: str) -> dict[str, Any]:
    """The REQUEST authorizer's input: the request, without body, plus the method ARN."""
    return {
        "type": "REQUEST",
        "methodArn": method_arn(stage, event["httpMethod"], event["path"]),
        "resource": event["resource"],
        "path": event["path"],
        "httpMethod": event["httpMethod"],
        "headers": event["headers"],
        "multiValueHeaders": event["multiValueHeaders"],
        "queryStringParameters": event["queryStringParameters"],
        "multiValueQueryStringParameters": event["multiValueQueryStringParameters"],
        "pathParameters": event["pathParameters"],
        "stageVariables": None,
        "requestContext": event["requestContext"],
    }


def policy_allows(policy: dict[str, Any], arn: str) -> bool:
    """IAM evaluation in small: an explicit Deny wins, then any Allow that matches."""
    statements = (policy.get("policyDocument") or {}).get("Statement") or []
    allowed = False
    for statement in statements:
        resources = statement.get("Resource") or []
        resources = [resources] if isinstance(resources, str) else resources
        if not any(fnmatch.fnmatchcase(arn, r) for r in resources):
            continue
        if statement.get("Effect") == "Deny":
            return False
        if statement.get("Effect") == "Allow":
            allowed = True
    return allowed


class Gateway:
    """Dispatches HTTP requests to the local API (and to the local-only helpers)."""

    def __init__(
        self,
        routes: list[Route],
        invoke: Any,
        authorizer: str | None,
        responses: dict[str, GatewayResponse],
        local_helpers: Any,
        stage: str = "local",
    ) -> None:
        self.routes = routes
        self.invoke = invoke
        self.authorizer = authorizer
        self.responses = responses
        self.local_helpers = local_helpers
        self.stage = stage

    def gateway_response(
        self, kind: str, default_status: int, message: str
    ) -> tuple[int, dict[str, str], bytes]:
        response = self.responses.get(kind) or self.responses.get(
            "DEFAULT_4XX" if default_status < 500 else "DEFAULT_5XX"
        )
        if response is None:
            return (
                default_status,
                {"Content-Type": "application/json"},
                json.dumps({"message": message}).encode(),
            )
        status = response.status or default_status
        return (
            status,
            {"Content-Type": "application/json", **response.headers},
            response.body.encode(),
        )

    def find_route(self, method: str, path: str) -> Route | None:
        for route in self.routes:
            if route.method in (method, "ANY") and route.pattern.match(path):
                return route
        return None

    def handle(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes, source_ip: str
    ) -> tuple[int, dict[str, str] | list[tuple[str, str]], bytes]:
        parts = urlsplit(target)
        path = parts.path or "/"
        if path.startswith("/_local/"):
            result: tuple[int, dict[str, str], bytes] = self.local_helpers(
                method, path, body, parts.query
            )
            return result
        if method in ("GET", "HEAD"):
            host = next((v for k, v in headers if k.lower() == "host"), None)
            docs = api_docs.answer(path, host)
            if docs is not None:
                return docs
        route = self.find_route(method, path)
        if route is None:
            return self.gateway_response(
                "MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token"
            )
        event = build_proxy_event(
            route, method, path, parts.query, headers, body, source_ip, self.stage
        )
        if route.authorized and self.authorizer:
            has_key = any(k.lower() == "authorization" and v.strip() for k, v in headers)
            if not has_key:
                return self.gateway_response("UNAUTHORIZED", 401, "Unauthorized")
            started = time.monotonic()
            try:
                policy = self.invoke(self.authorizer, authorizer_event(event, self.stage))
            except Exception as error:  # noqa: BLE001 - any failure is the gateway's answer
                if str(error) == "Unauthorized":
                    return self.gateway_response("UNAUTHORIZED", 401, "Unauthorized")
                return self.gateway_response("AUTHORIZER_FAILURE", 500, "Internal server error")
            if not policy_allows(policy, method_arn(self.stage, method, path)):
                return self.gateway_response("ACCESS_DENIED", 403, "User is not authorized")
            event["requestContext"]["authorizer"] = {
                **(policy.get("context") or {}),
                "principalId": policy.get("principalId"),
                "integrationLatency": int((time.monotonic() - started) * 1000),
            }
        try:
            response = self.invoke(route.function, event)
        except Exception:  # noqa: BLE001 - a crashed handler is a 502, as on AWS
            return self.gateway_response("DEFAULT_5XX", 502, "Internal server error")
        return proxy_response(response)


def proxy_response(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    if not isinstance(response, dict) or "statusCode" not in response:
        return 502, [("Content-Type", "application/json")], b'{"message": "Internal server error"}'
    headers: list[tuple[str, str]] = []
    for name, value in (response.get("headers") or {}).items():
        headers.append((name, str(value)))
    for name, values in (response.get("multiValueHeaders") or {}).items():
        if name in (response.get("headers") or {}):
            continue
        headers.extend((name, str(v)) for v in values)
    raw = response.get("body") or ""
    payload = base64.b64decode(raw) if response.get("isBase64Encoded") else str(raw).encode()
    return int(response["statusCode"]), headers, payload


class GatewayServer(ThreadingHTTPServer):
    """Bound first (its URL goes into the functions' environment), given its gateway later."""

    daemon_threads = True
    # the default backlog of 5 resets connections when a crowd arrives at once
    request_queue_size = 128
    gateway: Gateway


def serve(host: str, port: int) -> GatewayServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ticketing-local"

        def _dispatch(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                self._write(
                    413, [("Content-Type", "application/json")], b'{"message": "Request Too Long"}'
                )
                return
            body = self.rfile.read(length) if length else b""
            gateway = self.server.gateway  # type: ignore[attr-defined]
            try:
                status, headers, payload = gateway.handle(
                    self.command,
                    self.path,
                    list(self.headers.items()),
                    body,
                    self.client_address[0],
                )
            except Exception:  # noqa: BLE001 - a fault of the local stack itself; say so
                traceback.print_exc()
                status, headers = 500, [("Content-Type", "application/json")]
                payload = b'{"message": "ticketing-local failed on this request; see its log"}'
            self._write(status, headers, payload)

        def _write(self, status: int, headers: Any, payload: bytes) -> None:
            pairs = headers.items() if isinstance(headers, dict) else headers
            self.send_response(status)
            for name, value in pairs:
                if name.lower() not in ("content-length", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the handlers log; repeating each request here adds noise

    return GatewayServer((host, port), Handler)

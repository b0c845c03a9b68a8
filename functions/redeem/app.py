"""The public voucher redemption: the page and the registration behind it (seed 000)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.event_store import CachedEventStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.voucher_store import DynamoVoucherStore
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.api.views import self_service_url
from ticketing.domain.vouchers import Registration
from ticketing.services import vouchers

app = make_resolver()
store = DynamoVoucherStore()
orders = DynamoOrderStore()
events = CachedEventStore()
mail = SqsMailQueue()

MAX_REGISTRATION_BYTES = 16 * 1024


@app.get("/redeem")
def redeem_page(
    # lenient: a mangled link still shows the page (the code is cut to 64 characters there)
    code: Annotated[str | None, Query(max_length=2000)] = None,
    lang: Annotated[str | None, Query(max_length=50)] = None,
) -> Response[str]:
    from ticketing.pages.redeem import RESPONSE_HEADERS, pick_language, render_redeem_page

    language = pick_language(app.current_event.headers.get("accept-language"), lang)
    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=render_redeem_page(language, code),
        headers={**RESPONSE_HEADERS, "Content-Language": language},
    )


@app.post("/vouchers/<code>/registration")
def register(code: str, registration: Registration) -> tuple[dict[str, Any], int]:
    client = app.current_event.request_context.identity.source_ip or "unknown"
    redeemed = vouchers.register(
        store, orders, events, mail, clock.current(), client, code, registration
    )
    return {
        "order_number": redeemed.order.order_number,
        "self_service_url": self_service_url(redeemed.order),
        "event": redeemed.event.name,
    }, 201


# a registration is a few names: bigger bodies are refused before they are parsed
handler = lambda_handler(app, max_body_bytes=MAX_REGISTRATION_BYTES)

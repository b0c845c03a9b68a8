"""The public voucher redemption: the page and the registration behind it (seed 000)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.attempts import DynamoAttempts
from ticketing.adapters.event_store import CachedEventStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.outbox import DynamoOutbox
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.adapters.voucher_batch_store import DynamoExhibitorFigures
from ticketing.api import answers
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.visitor_vouchers import RegistrationForm
from ticketing.links import self_service_url
from ticketing.services.ordering import Ordering
from ticketing.services.visitor_vouchers.invitation import Invitations, who_invites
from ticketing.services.visitor_vouchers.registration import RegistrationDesk, register

app = make_resolver()
vouchers = DynamoVisitorVoucherStore()
figures = DynamoExhibitorFigures()
orders = DynamoOrderStore()
outbox = DynamoOutbox()
transactions = DynamoTransactions()
attempts = DynamoAttempts()
events = CachedEventStore()
mail = SqsMailQueue()
access = DynamoAccessStore()

MAX_REGISTRATION_BYTES = 16 * 1024


@app.get(
    "/redeem",
    summary="The page where a visitor enters a voucher code and registers",
    responses={200: answers.html("The page")},
)
def redeem_page(
    # lenient: a mangled link still shows the page (the code is cut to 64 characters there)
    code: Annotated[str | None, Query(max_length=2000)] = None,
    lang: Annotated[str | None, Query(max_length=50)] = None,
) -> Response[str]:
    from ticketing.pages.redeem import RESPONSE_HEADERS, pick_language, render_redeem_page

    language = pick_language(app.current_event.headers.get("accept-language"), lang)
    client = app.current_event.request_context.identity.source_ip or "unknown"
    host = (
        who_invites(Invitations(vouchers, events, access, attempts, clock.current()), client, code)
        if code
        else None
    )
    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=render_redeem_page(language, code, host),
        headers={**RESPONSE_HEADERS, "Content-Language": language},
    )


@app.post(
    "/vouchers/<code>/registration",
    summary="Redeem a visitor voucher: register for the event",
    responses={
        201: {"description": "The order number and the self-service link"},
        409: {"description": "The voucher was used, or the event is fully booked"},
        410: {"description": "The voucher expired"},
        429: {"description": "Too many unknown codes from this client"},
    },
)
def registration(code: str, form: RegistrationForm) -> tuple[dict[str, Any], int]:
    client = app.current_event.request_context.identity.source_ip or "unknown"
    ordering = Ordering(orders, outbox, mail, transactions, clock.current())
    desk = RegistrationDesk(ordering, vouchers, figures, events, attempts)
    registered = register(desk, client, code, form)
    order = registered.order
    return {
        "order_number": order.order_number,
        "self_service_url": self_service_url(order.order_number, order.self_service_secret),
        "event": registered.event.name,
    }, 201


# a registration is a few names: bigger bodies are refused before they are parsed
handler = lambda_handler(app, max_body_bytes=MAX_REGISTRATION_BYTES)

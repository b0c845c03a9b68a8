"""The public voucher redemption: the page and the registration behind it (seed 000)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.attempts import DynamoAttempts
from ticketing.adapters.event_store import CachedEventStore
from ticketing.adapters.question_store import DynamoQuestionStore
from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
from ticketing.api import answers
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.errors import NotFound
from ticketing.domain.visitor_vouchers import RegistrationForm
from ticketing.links import self_service_url
from ticketing.services.visitor_vouchers.invitation import Invitations, who_invites

if TYPE_CHECKING:
    from ticketing.adapters.mail_queue import SqsMailQueue
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.outbox import DynamoOutbox
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.voucher_batch_store import DynamoExhibitorFigures
    from ticketing.services.visitor_vouchers.registration import RegistrationDesk

app = make_resolver()
vouchers = DynamoVisitorVoucherStore()
attempts = DynamoAttempts()
events = CachedEventStore()
access = DynamoAccessStore()
questions = DynamoQuestionStore()

# answers to an event's questions (seed 002) may be a few long texts
MAX_REGISTRATION_BYTES = 64 * 1024


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
    from ticketing.pages.policy import page_headers
    from ticketing.pages.redeem import RESPONSE_HEADERS, pick_language, render_redeem_page

    language = pick_language(app.current_event.headers.get("accept-language"), lang)
    client = app.current_event.request_context.identity.source_ip or "unknown"
    host = (
        who_invites(Invitations(vouchers, events, access, attempts, clock.current()), client, code)
        if code
        else None
    )
    asked = questions.get(host.event_id).of_order() if host and host.event_id else []
    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=render_redeem_page(language, code, host, asked),
        headers={**page_headers("redeem", RESPONSE_HEADERS), "Content-Language": language},
    )


@app.post(
    "/redeem",
    summary="The redemption page's form, posted without a script: the page again, with the "
    "outcome or the errors at their fields",
    responses={
        200: answers.html("The page saying the voucher was redeemed"),
        404: answers.html("The page: the code is not valid"),
        409: answers.html("The page: the voucher was used, or the event is fully booked"),
        410: answers.html("The page: the voucher expired"),
        422: answers.html("The page with the errors at their fields"),
        429: answers.html("The page: too many unknown codes from this client"),
    },
)
def redeem_form(lang: Annotated[str | None, Query(max_length=50)] = None) -> Response[str]:
    from urllib.parse import parse_qs

    from pydantic import ValidationError

    from ticketing.domain.errors import DomainError, TooManyAttempts
    from ticketing.pages import redeem_form as posted
    from ticketing.pages.policy import page_headers
    from ticketing.pages.redeem import RESPONSE_HEADERS, pick_language, render_redeem_page
    from ticketing.services.visitor_vouchers.registration import register

    language = pick_language(app.current_event.headers.get("accept-language"), lang)
    values = posted.posted_values(parse_qs(app.current_event.decoded_body or ""))
    code = str(values.get("code", ""))[:64]
    client = app.current_event.request_context.identity.source_ip or "unknown"
    deps = Invitations(vouchers, events, access, attempts, clock.current())
    host = who_invites(deps, client, code) if code else None  # counts an unknown code once
    asked = questions.get(host.event_id).of_order() if host and host.event_id else []
    status, errors, done, headers = 200, {}, None, page_headers("redeem", RESPONSE_HEADERS)
    try:
        if host is None:
            raise NotFound("unknown code", message_id="problem.voucher.unknown")
        form = RegistrationForm.model_validate(posted.registration_body(values, asked))
        order = register(_registration_desk(), client, code, form).order
        url = self_service_url(order.order_number, order.self_service_secret)
        done = {"order_number": order.order_number, "self_service_url": url, "email": form.email}
    except ValidationError as invalid:
        status, errors = 422, posted.field_errors(language, invalid)
    except DomainError as refused:
        status, errors = posted.refusal(language, refused)
        if isinstance(refused, TooManyAttempts):
            headers["Retry-After"] = str(refused.retry_after)
    page = render_redeem_page(language, code, host, asked, values=values, errors=errors, done=done)
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=page,
        headers={**headers, "Content-Language": language},
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
    from ticketing.services.visitor_vouchers.registration import register

    client = app.current_event.request_context.identity.source_ip or "unknown"
    registered = register(_registration_desk(), client, code, form)
    order = registered.order
    return {
        "order_number": order.order_number,
        "self_service_url": self_service_url(order.order_number, order.self_service_secret),
        "event": registered.event.name,
    }, 201


@functools.cache
def _writers() -> tuple[
    DynamoOrderStore, DynamoOutbox, SqsMailQueue, DynamoTransactions, DynamoExhibitorFigures
]:
    """The stores only a registration writes to, made on the first registration: a cold start
    that shows the page does not load the ordering code (bench/cold_start.py)."""
    from ticketing.adapters.mail_queue import SqsMailQueue
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.outbox import DynamoOutbox
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.voucher_batch_store import DynamoExhibitorFigures

    return (
        DynamoOrderStore(),
        DynamoOutbox(),
        SqsMailQueue(),
        DynamoTransactions(),
        DynamoExhibitorFigures(),
    )


def _registration_desk() -> RegistrationDesk:
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.services.ordering import Ordering
    from ticketing.services.visitor_vouchers.registration import RegistrationDesk

    orders, outbox, mail, transactions, figures = _writers()
    # issue 17: the visitor's entry in the person index, written with the order
    ordering = Ordering(orders, outbox, mail, transactions, clock.current(), DynamoPersonIndex())
    return RegistrationDesk(ordering, vouchers, figures, events, attempts, questions)


# a registration is a few names: bigger bodies are refused before they are parsed
handler = lambda_handler(app, max_body_bytes=MAX_REGISTRATION_BYTES)

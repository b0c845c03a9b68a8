"""The customer's self-service (seed 001, "Problembehandlung"): the portal page, the link by
order number and e-mail, and the order's own page with its documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.attempts import DynamoAttempts
from ticketing.adapters.consent_store import DynamoConsentStore, DynamoMailTokens
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import CachedEventStore
from ticketing.adapters.link_secrets import DynamoLinkSecrets
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.api import answers
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.api.views import self_service_url, ticket_url
from ticketing.domain.errors import NotFound, TooManyAttempts
from ticketing.domain.events import Event
from ticketing.domain.orders import Order
from ticketing.i18n import Language
from ticketing.links import opt_in_url, order_document_url, unsubscribe_url
from ticketing.services import consent, documents, portal
from ticketing.services.portal import LinkDesk, OrderLinks

if TYPE_CHECKING:
    from ticketing.pages.consent import State

app = make_resolver()
orders = DynamoOrderStore()
events = CachedEventStore()
attempts = DynamoAttempts()
secrets = DynamoLinkSecrets()
access = DynamoAccessStore()
docs = S3DocumentStore()
mail = SqsMailQueue()
consents = DynamoConsentStore()
tokens = DynamoMailTokens()


class LinkRequest(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    order_number: str = Field(min_length=1, max_length=40)
    email: EmailStr


def _language(lang: str | None) -> Language:
    from ticketing.pages.redeem import pick_language

    return pick_language(app.current_event.headers.get("accept-language"), lang)


def _html(status: int, body: str, language: Language, headers: Any, page: str) -> Response[str]:
    """``body``, the page of template ``{page}.html``, with ``headers`` and the policy allowing
    that page's inline style and script."""
    from ticketing.pages.policy import page_headers

    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=body,
        headers={**page_headers(page, headers), "Content-Language": language},
    )


def _not_found(language: Language) -> Response[str]:
    from ticketing.pages.order import ORDER_RESPONSE_HEADERS, render_not_found_page

    return _html(
        404, render_not_found_page(language), language, ORDER_RESPONSE_HEADERS, "not_found"
    )


def _too_many(language: Language, refused: TooManyAttempts) -> Response[str]:
    from ticketing.pages.order import ORDER_RESPONSE_HEADERS, render_too_many_page

    headers = {**ORDER_RESPONSE_HEADERS, "Retry-After": str(refused.retry_after)}
    return _html(429, render_too_many_page(language), language, headers, "too_many")


def _client() -> str:
    return app.current_event.request_context.identity.source_ip or "unknown"


def _open(
    order_number: str, secret: str, language: Language
) -> tuple[Order, Event] | Response[str]:
    """The order and event behind the link, or the page to answer instead (404 or 429): a
    wrong link counts against the client as a guess, as on the portal."""
    deps = OrderLinks(orders, events, secrets, attempts, clock.current())
    try:
        return portal.open_order_link(deps, _client(), order_number, secret)
    except NotFound:
        return _not_found(language)
    except TooManyAttempts as refused:
        return _too_many(language, refused)


def _redirect(url: str) -> Response[str]:
    return Response(
        status_code=302,
        content_type="text/plain",
        body="",
        headers={"Location": url, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@app.not_found
def unmatched(_: Exception) -> Response[str]:
    # a link with characters no order number has still gets the customer's 404 page
    return _not_found(_language(None))


@app.get(
    "/portal",
    summary="The self-service page",
    responses={200: answers.html("The page")},
)
def portal_page(lang: Annotated[str | None, Query(max_length=50)] = None) -> Response[str]:
    from ticketing.pages.portal import render_portal_page
    from ticketing.pages.redeem import RESPONSE_HEADERS

    language = _language(lang)
    return _html(200, render_portal_page(language), language, RESPONSE_HEADERS, "portal")


@app.post(
    "/portal/requests",
    summary="Ask for an order's link by order number and e-mail",
    responses={
        202: {"description": "Always, match or not; on a match the order's address gets its link"},
        429: {"description": "Too many failed tries from this client"},
    },
)
def request_link(body: LinkRequest) -> tuple[dict[str, str], int]:
    portal.request_link(
        LinkDesk(orders, orders, attempts, mail, clock.current()),
        _client(),
        body.order_number,
        str(body.email),
    )
    # the same answer whether or not the pair matched
    return {"status": "accepted"}, 202


@app.get(
    "/o/<order_number>/<secret>",
    summary="The order's own page with its documents",
    responses={
        200: answers.html("The page"),
        404: answers.html("The not-found page (a wrong link answers alike)"),
        429: answers.html("Too many wrong links from this client (with Retry-After)"),
    },
)
def order_page(
    order_number: str, secret: str, lang: Annotated[str | None, Query(max_length=50)] = None
) -> Response[str]:
    from ticketing.pages.order import ORDER_RESPONSE_HEADERS, render_order_page
    from ticketing.pages.views import OrderPage, TicketLink, organizer_contact

    language = _language(lang)
    opened = _open(order_number, secret, language)
    if isinstance(opened, Response):
        return opened
    order, event = opened
    organizer = access.get_organizer(order.organizer_id)
    holder = consent.consent_of_order(consents, order)

    # absolute, like the ticket links: the page may be served under a stage prefix
    def order_link(document: str) -> str:
        return order_document_url(order.order_number, order.self_service_secret, document)

    page = OrderPage(
        order_number=order.order_number,
        customer_name=order.customer.full_name,
        event_name=event.name,
        venue=event.venue,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        tickets=tuple(
            TicketLink(
                p.position_id, p.holder_name, p.price_option_name, ticket_url(p.download_token)
            )
            for p in order.positions
        ),
        all_tickets_url=order_link("tickets.pdf"),
        invoice_url=None if order.payment == "free" else order_link("invoice"),
        reminders=consent.reminders_on(holder, order),
        marketing=holder.marketing,
        preferences_url=order_link("preferences"),
        transfer=documents.transfer_block(order, event, organizer, language),
        organizer=organizer_contact(organizer),
    )
    return _html(200, render_order_page(language, page), language, ORDER_RESPONSE_HEADERS, "order")


@app.get(
    "/o/<order_number>/<secret>/tickets.pdf",
    summary="All tickets of the order as one PDF",
    responses={
        302: answers.redirect("To the PDF, at a URL that lives five minutes"),
        404: answers.html("The not-found page (a wrong link answers alike)"),
        429: answers.html("Too many wrong links from this client (with Retry-After)"),
    },
)
def all_tickets(order_number: str, secret: str) -> Response[str]:
    opened = _open(order_number, secret, _language(None))
    if isinstance(opened, Response):
        return opened
    order, event = opened
    organizer = documents.organizer_name(access, order)
    return _redirect(documents.all_tickets_download(docs, order, event, organizer))


@app.get(
    "/o/<order_number>/<secret>/invoice",
    summary="The order's invoice",
    responses={
        302: answers.redirect("To the PDF, at a URL that lives five minutes"),
        404: answers.html("The not-found page (a wrong link answers alike)"),
        429: answers.html("Too many wrong links from this client (with Retry-After)"),
    },
)
def invoice(order_number: str, secret: str) -> Response[str]:
    opened = _open(order_number, secret, _language(None))
    if isinstance(opened, Response):
        return opened
    order, event = opened
    organizer = access.get_organizer(order.organizer_id)
    if order.payment == "free" or organizer is None:
        return _not_found(_language(None))
    number, _ = documents.invoice(orders, docs, clock.current(), order, event, organizer)
    return _redirect(
        docs.download_url(documents.invoice_key(order, number), f"invoice-{number}.pdf")
    )


@app.post(
    "/o/<order_number>/<secret>/preferences",
    summary="Switch reminders and marketing mail off or on (the page's form)",
    responses={
        303: answers.redirect("Back to the order's page"),
        404: answers.html("The not-found page (a wrong link answers alike)"),
        429: answers.html("Too many wrong links from this client (with Retry-After)"),
    },
)
def preferences(order_number: str, secret: str) -> Response[str]:
    """Seed 003, issue 15: fields ``reminders`` and ``marketing``, ``on`` or ``off`` (a field
    left out stays as it is; an empty form is the old page's "reminders off"). Reminders
    change at once; marketing on sends the confirmation mail, whose link turns it on."""
    opened = _open(order_number, secret, _language(None))
    if isinstance(opened, Response):
        return opened
    order, _ = opened
    form = parse_qs(app.current_event.decoded_body or "")
    switch = {k: {"on": True, "off": False}.get(v[-1]) for k, v in form.items() if v}
    reminders = switch.get("reminders")
    if not form:
        reminders = False
    desk = consent.ConsentDesk(consents, tokens, orders, orders, mail, clock.current())
    consent.set_preferences(desk, order, reminders, switch.get("marketing"))
    # back to the page (303: the browser follows with GET, a reload does not post again)
    return Response(
        status_code=303,
        content_type="text/plain",
        body="",
        headers={"Location": self_service_url(order), "Cache-Control": "no-store"},
    )


def _consent_page(state: State, lang: str | None, action: str | None) -> Response[str]:
    from ticketing.pages.consent import render_consent_page
    from ticketing.pages.order import ORDER_RESPONSE_HEADERS

    language = _language(lang)
    body = render_consent_page(language, state, action)
    status = 404 if state == "gone" else 200
    return _html(status, body, language, ORDER_RESPONSE_HEADERS, "consent")


@app.get(
    "/consent/confirm/<token>",
    summary="The marketing opt-in link's page: one button (a GET changes nothing)",
    responses={200: answers.html("The page"), 404: answers.html("Unknown or used link")},
)
def opt_in_page(
    token: str, lang: Annotated[str | None, Query(max_length=50)] = None
) -> Response[str]:
    try:
        consent.valid_link(tokens, clock.current(), token, "marketing_opt_in")
    except NotFound:
        return _consent_page("gone", lang, None)
    return _consent_page("confirm", lang, opt_in_url(token, _language(lang)))


@app.post(
    "/consent/confirm/<token>",
    summary="Confirm marketing mail (the opt-in page's button); each link once",
    responses={200: answers.html("Confirmed"), 404: answers.html("Unknown or used link")},
)
def opt_in(token: str, lang: Annotated[str | None, Query(max_length=50)] = None) -> Response[str]:
    desk = consent.ConsentDesk(consents, tokens, orders, orders, mail, clock.current())
    try:
        consent.confirm_opt_in(desk, token)
    except NotFound:
        return _consent_page("gone", lang, None)
    return _consent_page("confirmed", lang, None)


@app.get(
    "/consent/unsubscribe/<token>",
    summary="A marketing mail's unsubscribe page: one button (a GET changes nothing)",
    responses={200: answers.html("The page"), 404: answers.html("Unknown or expired link")},
)
def unsubscribe_page(
    token: str, lang: Annotated[str | None, Query(max_length=50)] = None
) -> Response[str]:
    try:
        consent.valid_link(tokens, clock.current(), token, "unsubscribe")
    except NotFound:
        return _consent_page("gone", lang, None)
    return _consent_page("unsubscribe", lang, unsubscribe_url(token, _language(lang)))


@app.post(
    "/consent/unsubscribe/<token>",
    summary="Unsubscribe: the page's button, or RFC 8058 one-click (List-Unsubscribe=One-Click)",
    responses={200: answers.html("Unsubscribed"), 404: answers.html("Unknown or expired link")},
)
def unsubscribe(
    token: str, lang: Annotated[str | None, Query(max_length=50)] = None
) -> Response[str]:
    form = parse_qs(app.current_event.decoded_body or "")
    one_click = form.get("List-Unsubscribe", [""])[-1] == "One-Click"
    desk = consent.ConsentDesk(consents, tokens, orders, orders, mail, clock.current())
    try:
        consent.unsubscribe(desk, token, "one_click" if one_click else "unsubscribe")
    except NotFound:
        return _consent_page("gone", lang, None)
    return _consent_page("unsubscribed", lang, None)


handler = lambda_handler(app, max_body_bytes=16 * 1024)

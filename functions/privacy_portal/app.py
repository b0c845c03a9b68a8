"""The customer's own privacy requests on the portal (issue 17): "send me my data" and "forget
me". The form is answered 202 alike whatever was typed; on a match the order's address gets a
link whose page has one button (a GET never acts); its POST starts the erasure or queues the
export, which the erasure worker builds and mails as a link that lives minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.attempts import DynamoAttempts
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.privacy_desks import erasure_desk
from ticketing.adapters.privacy_links import DynamoPrivacyLinks, SqsExportQueue
from ticketing.api import answers
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.errors import NotFound, TooManyAttempts
from ticketing.i18n import Language
from ticketing.links import privacy_link_url, privacy_portal_url
from ticketing.services import privacy_requests
from ticketing.services.ports_privacy import Purpose
from ticketing.services.privacy_requests import PrivacyRequestDesk

if TYPE_CHECKING:
    from ticketing.pages.privacy_portal import State

app = make_resolver()
orders = DynamoOrderStore()
attempts = DynamoAttempts()
mail = SqsMailQueue()
links = DynamoPrivacyLinks()
exports = SqsExportQueue()
LANG = Annotated[str | None, Query(max_length=50)]


def _language(lang: str | None) -> Language:
    from ticketing.pages.redeem import pick_language

    return pick_language(app.current_event.headers.get("accept-language"), lang)


def _page(status: int, state: State, lang: str | None, action: str | None = None) -> Response[str]:
    from ticketing.pages.order import ORDER_RESPONSE_HEADERS
    from ticketing.pages.policy import page_headers
    from ticketing.pages.privacy_portal import render_privacy_page

    language = _language(lang)
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=render_privacy_page(language, state, action),
        headers={
            **page_headers("privacy_portal", ORDER_RESPONSE_HEADERS),
            "Content-Language": language,
        },
    )


def _desk() -> PrivacyRequestDesk:
    return PrivacyRequestDesk(orders, orders, attempts, mail, links, clock.current())


@app.get(
    "/portal/privacy",
    summary="The customer's form: send me my data, or forget me",
    responses={200: answers.html("The page")},
)
def form_page(lang: LANG = None) -> Response[str]:
    return _page(200, "form", lang, privacy_portal_url())


@app.post(
    "/portal/privacy",
    summary="Ask for a link to one's data or to be forgotten, by order number and e-mail",
    responses={
        202: answers.html("Always alike, match or not; on a match the order's address gets a link"),
        429: answers.html("Too many failed tries from this client"),
    },
)
def ask(lang: LANG = None) -> Response[str]:
    form = {k: v[-1] for k, v in parse_qs(app.current_event.decoded_body or "").items() if v}
    purposes: dict[str, Purpose] = {"export": "export", "erasure": "erasure"}
    purpose = purposes.get(form.get("purpose", ""))
    number, email = form.get("order_number", "")[:40], form.get("email", "")[:254]
    if purpose is not None and number and "@" in email:
        try:
            privacy_requests.request_privacy_link(
                _desk(), _client(), number, email, purpose, privacy_link_url
            )
        except TooManyAttempts:
            return _page(429, "refused", lang)
    return _page(202, "sent", lang)


@app.get(
    "/portal/privacy/<token>",
    summary="A privacy link's page: one button (a GET changes nothing)",
    responses={200: answers.html("The page"), 404: answers.html("Unknown, used or expired link")},
)
def link_page(token: str, lang: LANG = None) -> Response[str]:
    try:
        link = privacy_requests.valid_link(links, clock.current(), token)
    except NotFound:
        return _page(404, "gone", lang)
    state: State = "confirm_export" if link.purpose == "export" else "confirm_erasure"
    return _page(200, state, lang, privacy_link_url(token, _language(lang)))


@app.post(
    "/portal/privacy/<token>",
    summary="The page's button: start the export (mailed) or the erasure; each link once",
    responses={202: answers.html("Started"), 404: answers.html("Unknown, used or expired link")},
)
def confirm(token: str, lang: LANG = None) -> Response[str]:
    try:
        purpose = privacy_requests.confirm(_desk(), erasure_desk(), exports, token)
    except NotFound:
        return _page(404, "gone", lang)
    return _page(202, purpose, lang)


def _client() -> str:
    return app.current_event.request_context.identity.source_ip or "unknown"


handler = lambda_handler(app, max_body_bytes=16 * 1024)

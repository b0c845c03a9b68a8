"""The member's public page of an e-gift voucher (seed 004): ``GET /g/{token}``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.gift_store import DynamoCampaignStore, DynamoGiftVoucherStore
from ticketing.api import answers
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.i18n import Language
from ticketing.services.gift_vouchers.page import GiftPageDeps, gift_page

app = make_resolver()
deps_gifts = DynamoGiftVoucherStore()
deps_campaigns = DynamoCampaignStore()
access = DynamoAccessStore()


def _html(status: int, body: str, language: Language, page: str) -> Response[str]:
    """``body``, the page of template ``{page}.html``, with the policy allowing its style."""
    from ticketing.pages.gift import RESPONSE_HEADERS
    from ticketing.pages.policy import page_headers

    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=body,
        headers={**page_headers(page, RESPONSE_HEADERS), "Content-Language": language},
    )


@app.get(
    "/g/<token>",
    summary="An e-gift voucher's page: QR code, value, validity, state, merchants nearby",
    responses={200: answers.html("The page"), 404: answers.html("No such voucher")},
)
def voucher_page(
    token: str, lang: Annotated[str | None, Query(max_length=50)] = None
) -> Response[str]:
    from ticketing.pages.gift import page_language, render_gift_not_found, render_gift_page

    deps = GiftPageDeps(deps_gifts, deps_campaigns, access, clock.current())
    page = gift_page(deps, token)
    if page is None:
        language = page_language("zh", lang)
        return _html(404, render_gift_not_found(language), language, "gift_not_found")
    language = page_language(page.voucher.language, lang)
    return _html(200, render_gift_page(language, page), language, "gift")


handler = lambda_handler(app)

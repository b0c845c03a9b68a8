"""A merchant's verification terminal: validate, redeem and reverse gift vouchers (seed 004),
and the cashier's page that does it in a browser."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, ConfigDict, Field

from ticketing import clock
from ticketing.adapters.gift_store import DynamoGiftVoucherStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.redemption_store import DynamoRedemptionStore
from ticketing.adapters.remembered import RememberedCampaigns, RememberedMerchants
from ticketing.adapters.retried_transactions import RetriedTransactions
from ticketing.adapters.terminal_locks import DynamoTerminalLocks
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.api.terminal_views import redemption_view, validation_view
from ticketing.i18n import Language, negotiate
from ticketing.services import gift_terminal

app = make_resolver()
desk = gift_terminal.TerminalDesk(
    clock=clock.current(),
    merchants=RememberedMerchants(),
    campaigns=RememberedCampaigns(),
    gifts=DynamoGiftVoucherStore(),
    redemptions=DynamoRedemptionStore(),
    locks=DynamoTerminalLocks(),
    transactions=RetriedTransactions(),
    idempotency=DynamoIdempotencyStore(),
)

MAX_TERMINAL_BYTES = 4 * 1024  # a code


class CodeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # lenient on length: a longer text is no code, and answers 404 like any unknown one
    code: str = Field(min_length=1, max_length=200, description="The code as typed or scanned")


def _language() -> Language:
    return negotiate(app.current_event.headers.get("accept-language"), None, "en")


def _desk() -> gift_terminal.TerminalDesk:
    # the clock is asked per request: the local stack may install another one
    return replace(desk, clock=clock.current())


@app.post(
    "/terminal/validations",
    summary="What a gift voucher code is worth and whether this merchant may accept it now",
    responses={
        200: {"description": "Value, validity, state; acceptable, or the reason why not"},
        404: {"description": "No such code (unknown and malformed codes answer alike)"},
        429: {"description": "This terminal failed too often and is locked for a while"},
    },
)
def validate(body: CodeBody) -> dict[str, Any]:
    checked = gift_terminal.validate(_desk(), caller(app), body.code)
    return validation_view(checked, _language())


@app.post(
    "/terminal/redemptions",
    summary="Redeem a gift voucher at this terminal's merchant (send an Idempotency-Key)",
    responses={
        201: {"description": "The confirmation; a retry with the same key gets the same one"},
        403: {"description": "The campaign does not accept this merchant's category or city"},
        404: {"description": "No such code (unknown and malformed codes answer alike)"},
        409: {"description": "Used (where and when is in the answer), or not yet valid"},
        410: {"description": "Expired"},
        429: {"description": "This terminal failed too often and is locked for a while"},
    },
)
def redeem(body: CodeBody) -> tuple[dict[str, Any], int]:
    redeemed = gift_terminal.redeem(_desk(), caller(app), body.code, idempotency_key(app))
    return redemption_view(redeemed.redemption), 201


@app.post(
    "/terminal/redemptions/<redemption_id>/reversal",
    summary="Reverse a redemption of this merchant within 15 minutes: the voucher is usable again",
    responses={
        201: {"description": "The reversed redemption"},
        404: {"description": "No such redemption of this merchant"},
        409: {"description": "Reversed before, or more than 15 minutes ago"},
    },
)
def reverse(redemption_id: str) -> tuple[dict[str, Any], int]:
    reversed_ = gift_terminal.reverse(_desk(), caller(app), redemption_id)
    return redemption_view(reversed_), 201


@app.get(
    "/terminal",
    summary="The cashier's page: enter the terminal's key once, then validate and redeem codes",
    responses={200: answers.html("The page")},
)
def terminal_page(lang: Annotated[str | None, Query(max_length=50)] = None) -> Response[str]:
    from ticketing.pages.policy import page_headers
    from ticketing.pages.terminal import RESPONSE_HEADERS, render_terminal_page

    language = negotiate(app.current_event.headers.get("accept-language"), lang, "zh")
    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=render_terminal_page(language),
        headers={**page_headers("terminal", RESPONSE_HEADERS), "Content-Language": language},
    )


handler = lambda_handler(app, max_body_bytes=MAX_TERMINAL_BYTES)

"""What a gift-voucher campaign and its merchants come to: the campaign's statistics for the
programme and each merchant's settlement (seed 004)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.gift_store import DynamoCampaignStore, DynamoGiftVoucherStore
from ticketing.adapters.redemption_store import DynamoRedemptionStore
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.api.terminal_views import settlement_view, stats_view
from ticketing.api.views import xlsx_response
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.gift_vouchers import StatsBy
from ticketing.i18n import negotiate
from ticketing.services import gift_stats, merchants

app = make_resolver()
access = DynamoAccessStore()
campaigns = DynamoCampaignStore()
gifts = DynamoGiftVoucherStore()
redemptions = DynamoRedemptionStore()

Format = Literal["json", "xlsx"]


@app.get(
    "/campaigns/<campaign_id>/stats",
    summary="A campaign's figures: issued and redeemed, by tier, city, category, merchant or day",
    responses={
        200: {"description": "Totals and groups, exact at this moment"},
        404: {"description": "No such campaign (or another issuer's)"},
    },
)
def campaign_stats(campaign_id: str, by: Annotated[StatsBy, Query()] = "tier") -> dict[str, Any]:
    stats = gift_stats.campaign_stats(campaigns, gifts, caller(app), campaign_id, by)
    return stats_view(stats)


def _moment(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(
            f"{name} must be a date (2026-10-01) or a time with its offset", field=name
        ) from None
    if moment.tzinfo is None:  # a day: midnight in China, the seed's only zone
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return moment


@app.get(
    "/merchants/<merchant_id>/settlement",
    summary="What a merchant is paid for a period: its redemptions, face value, rate, payable",
    responses={
        200: answers.json_or_xlsx("The settlement (?format=xlsx: as an Excel file)"),
        404: {"description": "No such merchant"},
    },
)
@binary_answer
def settlement(
    merchant_id: str,
    from_: Annotated[str, Query(alias="from", max_length=40)],
    to: Annotated[str, Query(max_length=40)],
    format: Annotated[Format, Query()] = "json",  # the contract's name
    lang: Annotated[str | None, Query(max_length=50)] = None,
) -> Any:
    start, end = _moment(from_, "from"), _moment(to, "to")
    if len(to) == 10:  # a day given: the period ends with it
        from datetime import timedelta

        end += timedelta(days=1)
    settled = merchants.settlement(access, redemptions, caller(app), merchant_id, start, end)
    if format == "xlsx":
        from ticketing.documents.settlement_layout import settlement_workbook

        language = negotiate(app.current_event.headers.get("accept-language"), lang, "zh")
        data = settlement_workbook(settled, language)
        return xlsx_response(data, f"settlement-{merchant_id}.xlsx")
    return settlement_view(settled)


handler = lambda_handler(app)

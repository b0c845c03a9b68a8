"""The JSON answers of the terminal, merchant, statistics and settlement routes (issue 14)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.domain.fields import format_rate
from ticketing.domain.money import format_amount
from ticketing.i18n import Language, format_date, format_datetime, translate

if TYPE_CHECKING:
    from ticketing.domain.gift_redemptions import Redemption, Settlement
    from ticketing.services.gift_stats import CampaignStats
    from ticketing.services.gift_terminal import Validation
    from ticketing.services.merchants import MerchantView


def validation_view(checked: Validation, language: Language) -> dict[str, Any]:
    voucher, zone = checked.voucher, checked.campaign.timezone
    answer: dict[str, Any] = {
        "code": voucher.code,
        "value": format_amount(voucher.value),
        "currency": voucher.currency,
        "tier": voucher.tier,
        "valid_from": voucher.valid_from.isoformat(),
        "valid_until": voucher.valid_until.isoformat(),
        "state": checked.state,
        "acceptable": checked.acceptable,
    }
    if checked.reason is None:
        return answer
    values: dict[str, object] = {"campaign": checked.campaign.name}
    used = checked.redeemed
    if checked.reason == "redeemed" and used is not None:
        name = used.detail.get("merchant_name", "")
        answer["merchant"] = {"merchant_id": used.merchant_id, "name": name}
        answer["redeemed_at"] = used.at.isoformat()
        values.update(merchant=name, at=format_datetime(used.at, zone, language))
    values["date"] = format_date(voucher.valid_until, zone, language)
    values["valid_from"] = format_datetime(voucher.valid_from, zone, language)
    answer["reason"] = checked.reason
    answer["message"] = translate(language, f"terminal.reason.{checked.reason}", **values)
    return answer


def redemption_view(redemption: Redemption) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "redemption_id": redemption.redemption_id,
        "code": redemption.code,
        "value": format_amount(redemption.value),
        "currency": redemption.currency,
        "tier": redemption.tier,
        "merchant": {
            "merchant_id": redemption.merchant_id,
            "name": redemption.merchant_name,
            "city": redemption.city,
        },
        "terminal_id": redemption.terminal_id,
        "redeemed_at": redemption.redeemed_at.isoformat(),
        "reversible_until": redemption.reversible_until().isoformat(),
    }
    if redemption.reversed_at is not None:
        answer["reversed_at"] = redemption.reversed_at.isoformat()
    return answer


def merchant_view(view: MerchantView) -> dict[str, Any]:
    merchant = view.merchant.model_dump(mode="json", exclude={"organizer_id"})
    merchant["terminals"] = [
        {
            **t.terminal.model_dump(mode="json", exclude={"organizer_id", "merchant_id"}),
            "locked": t.locked_until is not None,
            "locked_until": t.locked_until.isoformat() if t.locked_until else None,
            "recent_failures": t.recent_failures,
        }
        for t in view.terminals
    ]
    merchant["locked_terminals"] = [
        t.terminal.terminal_id for t in view.terminals if t.locked_until is not None
    ]
    return merchant


def settlement_view(settlement: Settlement) -> dict[str, Any]:
    return {
        "merchant": {
            "merchant_id": settlement.merchant_id,
            "name": settlement.merchant_name,
            "city": settlement.city,
            "category": settlement.category,
        },
        "from": settlement.period_from.isoformat(),
        "to": settlement.period_to.isoformat(),
        "currency": settlement.currency,
        "redemptions": settlement.redemptions,
        "face_value": format_amount(settlement.face_value),
        "payable": format_amount(settlement.payable),
        "lines": [
            {
                "redemption_id": line.redemption_id,
                "code": line.code,
                "campaign_id": line.campaign_id,
                "tier": line.tier,
                "redeemed_at": line.redeemed_at.isoformat(),
                "value": format_amount(line.value),
                "settlement_rate": format_rate(line.settlement_rate),
                "payable": format_amount(line.payable),
                "reversed": line.reversed_at is not None,
                "reversed_at": line.reversed_at.isoformat() if line.reversed_at else None,
            }
            for line in settlement.lines
        ],
    }


def stats_view(stats: CampaignStats) -> dict[str, Any]:
    totals = stats.totals
    groups = []
    for group in stats.groups:
        row: dict[str, Any] = {"key": group.key}
        if stats.counts_issued:
            row["issued"] = group.counters.issued
            row["value_issued"] = format_amount(group.counters.value_issued)
        row["redeemed"] = group.counters.redeemed
        row["value_redeemed"] = format_amount(group.counters.value_redeemed)
        groups.append(row)
    return {
        "campaign_id": stats.campaign.campaign_id,
        "issued": totals.issued,
        "redeemed": totals.redeemed,
        "value_issued": format_amount(totals.value_issued),
        "value_redeemed": format_amount(totals.value_redeemed),
        "currency": stats.campaign.currency,
        "by": stats.by,
        "groups": groups,
    }

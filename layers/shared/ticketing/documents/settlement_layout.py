"""The Excel file of a merchant's settlement (seed 004): one row per redemption in the
period with its face value, the merchant's rate and the amount payable, then the totals.

As the other layouts (``documents/layouts.py``): column titles and the sheet's name come from
the catalogue (``xlsx.settlement.*``), times are the wall-clock time of ``zone`` (Excel cells
have none), codes are written as printed, reversed redemptions say so in words and pay 0.00,
and the file names the merchant (title) and the organizer (author). The merchant's name is
written as it is, Chinese included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ticketing.documents.excel import Column, ColumnKind, write_table
from ticketing.domain.voucher_codes import display
from ticketing.i18n import Language, translate

if TYPE_CHECKING:
    from ticketing.domain.gift_redemptions import Settlement

COLUMNS: tuple[tuple[str, float, ColumnKind], ...] = (
    ("redeemed_at", 18, "datetime"),
    ("code", 22, "text"),
    ("merchant", 28, "text"),
    ("tier", 8, "text"),
    ("value", 14, "money"),
    ("rate", 10, "number"),
    ("payable", 14, "money"),
    ("state", 14, "text"),
)


def settlement_workbook(
    settlement: Settlement, language: Language, zone: str = "Asia/Shanghai", author: str = ""
) -> bytes:
    local = ZoneInfo(zone)
    currency = settlement.currency or ""
    redeemed = translate(language, "xlsx.settlement.redeemed_word")
    reversed_ = translate(language, "xlsx.settlement.reversed_word")
    rows: list[list[object]] = [
        [
            line.redeemed_at.astimezone(local),
            display(line.code),
            settlement.merchant_name,
            line.tier,
            line.value,
            line.settlement_rate,
            line.payable,
            reversed_ if line.reversed_at else redeemed,
        ]
        for line in settlement.lines
    ]
    rows.append(
        [
            None,
            translate(language, "xlsx.settlement.total"),
            settlement.merchant_name,
            None,
            settlement.face_value,
            None,
            settlement.payable,
            None,
        ]
    )
    sheet = translate(language, "xlsx.settlement.sheet")
    return write_table(
        sheet,
        [
            Column(translate(language, f"xlsx.settlement.{name}", currency=currency), width, kind)
            for name, width, kind in COLUMNS
        ],
        rows,
        title=f"{sheet}: {settlement.merchant_name}",
        author=author,
    )

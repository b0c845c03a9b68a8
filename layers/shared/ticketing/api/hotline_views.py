"""The hotline's JSON answers: a gift voucher with its whole ledger, and complaints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.domain.gift_vouchers import GiftVoucher, LedgerEntry, display

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.domain.gift_complaints import Complaint


def ledger_view(entry: LedgerEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude_none=True, exclude={"seq"})


def voucher_with_ledger(voucher: GiftVoucher, now: datetime) -> dict[str, Any]:
    return {
        "code": voucher.code,
        "display_code": display(voucher.code),
        "campaign_id": voucher.campaign_id,
        "tier": voucher.tier,
        "value": voucher.model_dump(mode="json")["value"],
        "currency": voucher.currency,
        "valid_from": voucher.valid_from.isoformat(),
        "valid_until": voucher.valid_until.isoformat(),
        "state": voucher.state(now),
        "recipient": voucher.recipient.model_dump(mode="json", exclude_none=True),
        "external_ref": voucher.external_ref,
        "issued_at": voucher.issued_at.isoformat(),
        "ledger": [ledger_view(e) for e in voucher.ledger],
    }


def complaint_view(complaint: Complaint) -> dict[str, Any]:
    return complaint.model_dump(mode="json", exclude_none=True)

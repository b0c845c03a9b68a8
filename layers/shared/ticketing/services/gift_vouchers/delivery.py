"""Seed 004: an issued gift voucher reaches its member by SMS (and by mail, where given).

The issue commits a pending delivery with the voucher; ``deliver`` runs after the commit,
sends the SMS, hands the mail (with the QR code) to the mail queue, writes ``sms_sent`` /
``mail_sent`` to the ledger and removes the pending entry. When SNS or the queue fails, the
entry stays (with a ``delivery_failed`` line in the ledger) and the sweep sends it later: the
voucher is never lost, and the issue never answers 500 for a message it will still send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ticketing.domain.gift_vouchers import GiftVoucher, LedgerEntry, LedgerKind, display
from ticketing.i18n import format_date, format_money, translate
from ticketing.links import gift_voucher_url
from ticketing.mail.messages import MailRequest
from ticketing.mail.render import Attachment
from ticketing.observability import count, logger

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import MailQueue
    from ticketing.services.ports_gift import GiftVoucherStore, SmsSender

SYSTEM = "system:gift-delivery"
SWEEP_AFTER = timedelta(minutes=2)  # a delivery pending this long failed (or its Lambda died)


@dataclass(frozen=True, slots=True)
class Delivery:
    gifts: GiftVoucherStore
    sms: SmsSender
    mail: MailQueue
    clock: Clock


def sms_text(voucher: GiftVoucher, base_url: str | None = None) -> str:
    """The SMS: value, code, validity and the page link, in the campaign's language."""
    language = voucher.language
    return translate(
        language,
        "sms.gift_voucher",
        value=format_money(voucher.value, voucher.currency, language),
        code=display(voucher.code),
        valid_until=_last_day(voucher),
        url=gift_voucher_url(voucher.token, base_url),
    )


def mail_request(voucher: GiftVoucher) -> MailRequest:
    assert voucher.recipient.email is not None
    language = voucher.language
    return MailRequest(
        template="gift_voucher",
        to=[voucher.recipient.email],
        language=language,
        request_id=f"gift-{voucher.code}",
        # the recipient is the organizer's customer: the mailer records the mail under them
        organizer_id=voucher.organizer_id,
        context={
            "name": voucher.recipient.name or "",
            "code": voucher.code,
            "code_display": display(voucher.code),
            "value": format_money(voucher.value, voucher.currency, language),
            "valid_until": _last_day(voucher),
            "voucher_url": gift_voucher_url(voucher.token),
        },
    )


def qr_attachment(code: str) -> Attachment:
    """The voucher's QR code as a PNG file (the code itself, as the terminal reads it)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make_qr(code, error="m").save(out, kind="png", scale=8, border=4)
    return Attachment(f"qr-{code}.png", "image/png", out.getvalue())


def _last_day(voucher: GiftVoucher) -> str:
    """The last day of the validity (an end at midnight is the day before's end)."""
    end = voucher.valid_until - timedelta(seconds=1)
    return format_date(end, voucher.timezone, voucher.language)


def _done(voucher: GiftVoucher, kind: str) -> bool:
    return any(e.kind == kind for e in voucher.ledger)


def deliver(deps: Delivery, voucher: GiftVoucher) -> bool:
    """Send what is not sent yet; True when all of it went out (the pending entry is gone)."""
    now = deps.clock.now()
    recipient = voucher.recipient
    try:
        if recipient.phone and not _done(voucher, "sms_sent"):
            message_id = deps.sms.send_sms(recipient.phone, sms_text(voucher))
            _record(deps, voucher, "sms_sent", now, {"message_id": message_id})
            count("GiftSmsSent")
        if recipient.email and not _done(voucher, "mail_sent"):
            deps.mail.enqueue(mail_request(voucher))
            _record(deps, voucher, "mail_sent", now, {"to": recipient.email})
    except Exception as failed:  # noqa: BLE001 - the pending entry keeps the delivery
        logger.exception("gift voucher delivery failed", extra={"code": voucher.code[:4]})
        count("GiftDeliveriesDeferred")
        try:
            _record(deps, voucher, "delivery_failed", now, {"reason": type(failed).__name__})
        except Exception:  # noqa: BLE001
            logger.exception("delivery failure not recorded")
        return False
    deps.gifts.delivered(voucher)
    return True


def _record(
    deps: Delivery, voucher: GiftVoucher, kind: LedgerKind, at: datetime, detail: dict[str, str]
) -> None:
    entry = LedgerEntry(kind=kind, at=at, by=SYSTEM, seq=voucher.version, detail=detail)
    deps.gifts.append(voucher, entry)


def sweep(deps: Delivery, limit: int = 100) -> int:
    """Deliver what is pending since before ``SWEEP_AFTER``; the number delivered now."""
    delivered = 0
    for code in deps.gifts.deliveries_due(deps.clock.now() - SWEEP_AFTER, limit):
        voucher = deps.gifts.get_voucher(code)
        if voucher is not None and deliver(deps, voucher):
            delivered += 1
    return delivered

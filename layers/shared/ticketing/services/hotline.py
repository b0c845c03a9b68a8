"""The hotline (seed 004: 热线): agents answer members from the issuance and redemption
records, record complaints and answer them (issue 14, item 6).

The organizer's staff (or the platform's reviewer) look a voucher up by its code or by the
member's phone and see its whole ledger. A complaint is recorded with a ``complaint`` entry on
the voucher, in one commit. Answering it is conditional on its being open (once); an upheld
complaint may reverse the redemption it is about: the same parts as a terminal's reversal
(the voucher's state change, the counters taken down, the redemption marked reversed), in the
same commit as the answer, but at any time: it is the organizer's decision, not a cashier's
correction within 15 minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.gift_complaints import (
    LEDGER_TEXT,
    Complaint,
    ComplaintAnswer,
    ComplaintDraft,
    ComplaintStatus,
)
from ticketing.domain.gift_vouchers import (
    Campaign,
    GiftVoucher,
    LedgerEntry,
    canonical,
    redeemed_change,
)
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.observability import count
from ticketing.services.gift_vouchers.campaigns import readable_campaign
from ticketing.services.idempotency import Once
from ticketing.services.parts import Part, WriteRefused
from ticketing.services.roles import require

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.domain.parties import Organizer
    from ticketing.services.ports import IdempotencyStore, Transactions
    from ticketing.services.ports_gift import CampaignStore, GiftVoucherStore
    from ticketing.services.ports_hotline import ComplaintStore
    from ticketing.services.ports_privacy import PersonIndex
    from ticketing.services.ports_terminal import RedemptionStore

HOTLINE = (Role.ORGANIZER, Role.REVIEWER)
UNKNOWN_CODE = "No voucher has this code. Please check it with the member."


class Organizers(Protocol):
    """The one read of ``AccessStore`` the reviewer's lists need."""

    def list_organizers(self) -> list[Organizer]: ...


@dataclass(frozen=True, slots=True)
class HotlineDesk:
    clock: Clock
    campaigns: CampaignStore
    gifts: GiftVoucherStore
    complaints: ComplaintStore
    redemptions: RedemptionStore
    transactions: Transactions
    idempotency: IdempotencyStore
    organizers: Organizers
    people: PersonIndex | None = None  # issue 17: the recipient's entry, with the complaint


def _tenants(desk: HotlineDesk, principal: Principal) -> list[str]:
    """The tenants whose lists the caller reads: its own; the reviewer every one."""
    if principal.role is Role.REVIEWER:
        return [o.organizer_id for o in desk.organizers.list_organizers()]
    return [principal.organizer_id] if principal.organizer_id else []


def readable_campaigns(desk: HotlineDesk, principal: Principal) -> list[Campaign]:
    """The tenant's campaigns (newest first); the reviewer's: every tenant's."""
    require(principal, *HOTLINE)
    found = [c for org in _tenants(desk, principal) for c in desk.campaigns.list_campaigns(org)]
    return sorted(found, key=lambda c: (c.created_at, c.campaign_id), reverse=True)


def phone_variants(phone: str) -> list[str]:
    """The ways a number may have been given when the voucher was issued: as typed, and with
    or without China's country code (+86), so that the agent need not know which."""
    digits = re.sub(r"[^0-9]", "", phone)
    variants = [digits]
    if digits.startswith("86") and len(digits) == 13:
        variants.append(digits[2:])
    elif len(digits) == 11 and digits.startswith("1"):
        variants.append("86" + digits)
    return variants


def lookup(
    desk: HotlineDesk,
    principal: Principal,
    campaign_id: str,
    code: str | None = None,
    phone: str | None = None,
) -> list[GiftVoucher]:
    """The campaign's vouchers of ``code`` or of ``phone``, each with its whole ledger."""
    require(principal, *HOTLINE)
    readable_campaign(desk.campaigns, principal, campaign_id)
    if bool(code) == bool(phone):
        raise InvalidRequest(
            "give either the voucher's code or the member's phone number",
            "code",
            message_id="problem.hotline.code_or_phone",
        )
    if code:
        canonical_code = canonical(code)
        if canonical_code is None:
            raise InvalidRequest(UNKNOWN_CODE, "code", message_id="problem.hotline.malformed_code")
        voucher = desk.gifts.get_voucher(canonical_code)
        if voucher is None or voucher.campaign_id != campaign_id:
            return []
        return [voucher]
    assert phone is not None
    if len(re.sub(r"[^0-9]", "", phone)) < 6:
        raise InvalidRequest(
            "a phone number has at least 6 digits", "phone", message_id="problem.hotline.phone"
        )
    found: dict[str, GiftVoucher] = {}
    for variant in phone_variants(phone):
        for voucher in desk.gifts.by_phone(campaign_id, variant):
            found.setdefault(voucher.code, voucher)
    return sorted(found.values(), key=lambda v: (v.issued_at, v.code))


def _voucher(desk: HotlineDesk, principal: Principal, typed: str) -> GiftVoucher:
    code = canonical(typed)
    voucher = None if code is None else desk.gifts.get_voucher(code)
    if voucher is None or not principal.owns(voucher.organizer_id):
        raise NotFound(UNKNOWN_CODE, message_id="problem.hotline.unknown_code")
    return voucher


def file_complaint(
    desk: HotlineDesk, principal: Principal, draft: ComplaintDraft, key: str | None = None
) -> tuple[Complaint, bool]:
    """Record a complaint against the voucher (and its redemption, if it is redeemed): the
    complaint and a ``complaint`` entry of the voucher's ledger, in one commit."""
    require(principal, *HOTLINE)
    voucher = _voucher(desk, principal, draft.code)
    once = Once.of(
        desk.idempotency, voucher.organizer_id, "complaint", key, f"{voucher.code}\n{draft.text}"
    )
    earlier = once.earlier()
    if earlier is not None:
        return _complaint(desk, principal, earlier), False
    now = desk.clock.now()
    redeemed = voucher.open_redemption()
    complaint = Complaint(
        complaint_id=new_id("cpl"),
        organizer_id=voucher.organizer_id,
        campaign_id=voucher.campaign_id,
        code=voucher.code,
        redemption_id=redeemed.redemption_id if redeemed else None,
        text=draft.text,
        created_at=now,
        by=principal.key_id,
    )
    entry = _entry(voucher, complaint, principal, "open", voucher.version)
    parts = [desk.complaints.recording(complaint), desk.gifts.entry(voucher, entry)]
    if desk.people is not None and voucher.recipient.email is not None:
        person = desk.people.entry(
            voucher.organizer_id, voucher.recipient.email, complaint.complaint_id, "complaint"
        )
        parts.append(person)
    twin = once.write(
        complaint.complaint_id, now, lambda claim: desk.transactions.commit([*parts, *claim])
    )
    if twin is not None:
        return _complaint(desk, principal, twin), False
    count("GiftComplaints")
    return complaint, True


def _entry(
    voucher: GiftVoucher, complaint: Complaint, principal: Principal, status: str, seq: int
) -> LedgerEntry:
    detail = {"complaint_id": complaint.complaint_id, "status": status}
    if status == "open":
        detail["text"] = complaint.text[:LEDGER_TEXT]
    else:
        detail.update(outcome=complaint.outcome or "", text=(complaint.answer or "")[:LEDGER_TEXT])
    return LedgerEntry(
        kind="complaint",
        at=complaint.answered_at or complaint.created_at,
        by=principal.key_id,
        seq=seq,
        redemption_id=complaint.redemption_id,
        detail=detail,
    )


def _complaint(desk: HotlineDesk, principal: Principal, complaint_id: str) -> Complaint:
    require(principal, *HOTLINE)
    complaint = desk.complaints.get_complaint(complaint_id)
    if complaint is None or not principal.owns(complaint.organizer_id):
        raise NotFound(
            f"no complaint {complaint_id}", message_id="problem.hotline.unknown_complaint"
        )
    return complaint


def read_complaint(desk: HotlineDesk, principal: Principal, complaint_id: str) -> Complaint:
    return _complaint(desk, principal, complaint_id)


def list_complaints(
    desk: HotlineDesk, principal: Principal, status: ComplaintStatus = "open"
) -> list[Complaint]:
    """The tenant's complaints in ``status``, oldest first; the reviewer's: every tenant's."""
    require(principal, *HOTLINE)
    found = [
        c for org in _tenants(desk, principal) for c in desk.complaints.list_complaints(org, status)
    ]
    return sorted(found, key=lambda c: (c.created_at, c.complaint_id))


def answer_complaint(
    desk: HotlineDesk, principal: Principal, complaint_id: str, answer: ComplaintAnswer
) -> Complaint:
    """Answer an open complaint, once (409 after); ``reverse`` with ``upheld`` puts the
    redeemed voucher back in the same commit."""
    complaint = _complaint(desk, principal, complaint_id)
    if complaint.status != "open":
        raise _answered_before()
    if answer.reverse and answer.outcome != "upheld":
        raise InvalidRequest(
            "only an upheld complaint can reverse a redemption",
            "reverse",
            message_id="problem.hotline.reverse_needs_upheld",
        )
    now = desk.clock.now()
    answered = complaint.model_copy(
        update={
            "status": "answered",
            "answer": answer.text,
            "outcome": answer.outcome,
            "answered_at": now,
            "answered_by": principal.key_id,
            "reversed": answer.reverse,
        }
    )
    voucher = desk.gifts.get_voucher(complaint.code)
    if voucher is None:
        raise NotFound(UNKNOWN_CODE, message_id="problem.hotline.unknown_code")
    parts = [desk.complaints.answering(answered)]
    seq = voucher.version
    if answer.reverse:
        parts += _reversal(desk, principal, complaint, voucher, now)
        seq += 1
    parts.append(desk.gifts.entry(voucher, _entry(voucher, answered, principal, "answered", seq)))
    try:
        desk.transactions.commit(parts)
    except WriteRefused as refused:
        if "complaint" in refused.labels:
            raise _answered_before() from None
        raise _not_reversible() from None
    count("GiftComplaintsAnswered")
    if answer.reverse:
        count("GiftReversals")
    return answered


def _reversal(
    desk: HotlineDesk,
    principal: Principal,
    complaint: Complaint,
    voucher: GiftVoucher,
    now: datetime,
) -> list[Part]:
    """The terminal's reversal parts, for the redemption the complaint is about."""
    current = voucher.open_redemption()
    if (
        complaint.redemption_id is None
        or current is None
        or current.redemption_id != complaint.redemption_id
    ):
        raise _not_reversible()
    redemption = desk.redemptions.get_redemption(complaint.redemption_id)
    campaign = desk.campaigns.get_campaign(voucher.campaign_id)
    if redemption is None or redemption.reversed_at is not None or campaign is None:
        raise _not_reversible()
    entry = LedgerEntry(
        kind="reversed",
        at=now,
        by=principal.key_id,
        seq=voucher.version + 1,
        merchant_id=redemption.merchant_id,
        redemption_id=redemption.redemption_id,
        detail={
            "merchant_name": redemption.merchant_name,
            "complaint_id": complaint.complaint_id,
        },
    )
    where = {
        "merchant_id": redemption.merchant_id,
        "city": redemption.city,
        "category": redemption.category,
    }
    back = redeemed_change(voucher, where, redemption.redeemed_at, campaign.timezone, sign=-1)
    return [
        *desk.gifts.change(voucher, entry),
        *desk.gifts.counted(back),
        desk.redemptions.reversing(redemption, now, principal.key_id),
    ]


def _answered_before() -> Conflict:
    return Conflict(
        "This complaint was answered before.", message_id="problem.hotline.answered_before"
    )


def _not_reversible() -> Conflict:
    return Conflict(
        "The voucher is not redeemed by the redemption this complaint is about (it was "
        "reversed, or the complaint was recorded before it was redeemed): nothing to reverse.",
        message_id="problem.hotline.nothing_to_reverse",
    )

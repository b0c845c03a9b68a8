"""The hotline (seed 004): the organizer's agents (or the reviewer) look gift vouchers up by
code or phone with their whole ledger, record complaints and answer them; an upheld answer
may reverse the redemption the complaint is about."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.complaint_store import DynamoComplaintStore
from ticketing.adapters.gift_store import DynamoCampaignStore, DynamoGiftVoucherStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.person_index import DynamoPersonIndex
from ticketing.adapters.redemption_store import DynamoRedemptionStore
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.api.caller import caller
from ticketing.api.hotline_views import complaint_view, voucher_with_ledger
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.gift_complaints import ComplaintAnswer, ComplaintDraft, ComplaintStatus
from ticketing.services import hotline

app = make_resolver()
campaigns = DynamoCampaignStore()
gifts = DynamoGiftVoucherStore()
complaints = DynamoComplaintStore()
redemptions = DynamoRedemptionStore()
transactions = DynamoTransactions()
idempotency = DynamoIdempotencyStore()
access = DynamoAccessStore()
people = DynamoPersonIndex()  # issue 17: the recipient's entry, with the complaint


def _desk() -> hotline.HotlineDesk:
    # the clock is asked per request: the local stack may install another one
    return hotline.HotlineDesk(
        clock.current(),
        campaigns,
        gifts,
        complaints,
        redemptions,
        transactions,
        idempotency,
        access,
        people,
    )


@app.get(
    "/campaigns/<campaign_id>/vouchers",
    summary="The hotline: a campaign's vouchers of a code or a phone, each with its whole ledger",
    responses={
        200: {"description": "The vouchers found (none: an empty list)"},
        404: {"description": "No such campaign (or another tenant's)"},
        422: {"description": "Neither code nor phone given, or a malformed code"},
    },
)
def lookup(
    campaign_id: str,
    code: Annotated[str | None, Query(max_length=200)] = None,
    phone: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    desk = _desk()
    found = hotline.lookup(desk, caller(app), campaign_id, code=code, phone=phone)
    now = desk.clock.now()
    return {"vouchers": [voucher_with_ledger(v, now) for v in found]}


@app.post(
    "/complaints",
    summary="Record a member's complaint about a gift voucher (and its redemption, if any)",
    responses={
        201: {"description": "The complaint; the voucher's ledger has a complaint entry"},
        200: {"description": "A retry with the same Idempotency-Key: the same complaint"},
        404: {"description": "No voucher of this code (or another tenant's)"},
    },
)
def file_complaint(draft: ComplaintDraft) -> tuple[dict[str, Any], int]:
    complaint, created = hotline.file_complaint(_desk(), caller(app), draft, idempotency_key(app))
    return complaint_view(complaint), 201 if created else 200


@app.get("/complaints", summary="The tenant's complaints (the reviewer: every tenant's)")
def list_complaints(status: Annotated[ComplaintStatus, Query()] = "open") -> dict[str, Any]:
    found = hotline.list_complaints(_desk(), caller(app), status)
    return {"complaints": [complaint_view(c) for c in found]}


@app.post(
    "/complaints/<complaint_id>/answer",
    summary="Answer an open complaint, once; upheld with reverse: the redemption is reversed",
    responses={
        200: {"description": "The answered complaint"},
        404: {"description": "No such complaint (or another tenant's)"},
        409: {"description": "Answered before, or nothing to reverse"},
    },
)
def answer_complaint(complaint_id: str, answer: ComplaintAnswer) -> dict[str, Any]:
    return complaint_view(hotline.answer_complaint(_desk(), caller(app), complaint_id, answer))


handler = lambda_handler(app)

"""E-gift voucher campaigns (seed 004): an issuer creates and changes its campaigns and issues
vouchers from them (one per points transaction of the programme); the tenant's organizer and
the reviewer read them."""

from __future__ import annotations

from typing import Any

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.gift_bulk_store import DynamoBulkStore, S3GiftFiles, SqsBulkQueue
from ticketing.adapters.gift_store import DynamoCampaignStore, DynamoGiftVoucherStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.mail_queue import SqsMailQueue
from ticketing.adapters.person_index import DynamoPersonIndex
from ticketing.adapters.sns_sms import SnsSmsSender
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.api.caller import caller
from ticketing.api.idempotency import idempotency_key
from ticketing.api.resolver import lambda_handler, make_resolver
from ticketing.domain.gift_bulk import BulkIssue, BulkOrder
from ticketing.domain.gift_vouchers import (
    Campaign,
    CampaignChange,
    CampaignDraft,
    GiftVoucher,
    IssueRequest,
)
from ticketing.links import gift_voucher_url
from ticketing.services.gift_vouchers import bulk, campaigns, delivery, issuing

app = make_resolver()
campaign_store = DynamoCampaignStore()
gifts = DynamoGiftVoucherStore()
access = DynamoAccessStore()
idempotency = DynamoIdempotencyStore()
transactions = DynamoTransactions()
sms = SnsSmsSender()
mail = SqsMailQueue()
bulks = DynamoBulkStore()
bulk_queue = SqsBulkQueue()
files = S3GiftFiles()
people = DynamoPersonIndex()  # issue 17: the recipient's entry, with the voucher


def _desk() -> campaigns.CampaignDesk:
    return campaigns.CampaignDesk(campaign_store, access, idempotency, clock.current())


def campaign_view(campaign: Campaign) -> dict[str, Any]:
    return campaign.model_dump(mode="json")


def voucher_view(voucher: GiftVoucher) -> dict[str, Any]:
    return {
        "code": voucher.code,
        "campaign_id": voucher.campaign_id,
        "tier": voucher.tier,
        "value": voucher.model_dump(mode="json")["value"],
        "currency": voucher.currency,
        "valid_from": voucher.valid_from.isoformat(),
        "valid_until": voucher.valid_until.isoformat(),
        "external_ref": voucher.external_ref,
        "voucher_url": gift_voucher_url(voucher.token),
    }


@app.post(
    "/campaigns",
    summary="Create a campaign of e-gift vouchers (issuer key)",
    responses={201: {"description": "The campaign"}, 200: {"description": "A retry"}},
)
def create_campaign(draft: CampaignDraft) -> tuple[dict[str, Any], int]:
    campaign, created = campaigns.create_campaign(_desk(), caller(app), draft, idempotency_key(app))
    return campaign_view(campaign), 201 if created else 200


@app.get("/campaigns/<campaign_id>", summary="A campaign with each tier's quantity and issued")
def read_campaign(campaign_id: str) -> dict[str, Any]:
    return campaign_view(campaigns.readable_campaign(campaign_store, caller(app), campaign_id))


@app.patch(
    "/campaigns/<campaign_id>",
    summary="Change a tier's quantity, the name or the window of vouchers issued from now on",
    responses={422: {"description": "A quantity below what was issued, or a bad window"}},
)
def change_campaign(campaign_id: str, change: CampaignChange) -> dict[str, Any]:
    return campaign_view(campaigns.change_campaign(_desk(), caller(app), campaign_id, change))


@app.post(
    "/campaigns/<campaign_id>/vouchers",
    summary="Issue an e-gift voucher for a points transaction (external_ref)",
    responses={
        201: {"description": "The voucher; its SMS (and mail) go out"},
        200: {"description": "This external_ref was issued before: the same voucher"},
        409: {"description": "The tier is used up, or the campaign has ended"},
    },
)
def issue_voucher(campaign_id: str, request: IssueRequest) -> tuple[dict[str, Any], int]:
    desk = issuing.IssueDesk(campaign_store, gifts, transactions, clock.current(), people)
    voucher, issued = issuing.issue(desk, caller(app), campaign_id, request)
    if issued:
        delivery.deliver(delivery.Delivery(gifts, sms, mail, clock.current()), voucher)
    return voucher_view(voucher), 201 if issued else 200


def _bulk_desk() -> bulk.BulkDesk:
    now = clock.current()
    return bulk.BulkDesk(
        issuing.IssueDesk(campaign_store, gifts, transactions, now, people),
        delivery.Delivery(gifts, sms, mail, now),
        bulks,
        bulk_queue,
        files,
    )


def bulk_view(found: BulkIssue, upload_url: str | None = None) -> dict[str, Any]:
    body = found.model_dump(mode="json", exclude={"organizer_id", "issuer_key", "next_row"})
    body["done_rows"] = found.next_row
    if upload_url is not None:
        body["upload_url"] = upload_url
        body["upload_content_type"] = bulk.CONTENT_TYPES[found.format]
    return body


@app.post(
    "/campaigns/<campaign_id>/bulk-issues",
    summary="Issue vouchers for a list of recipients (rows, or a JSON/CSV/Excel file to upload)",
    responses={
        202: {"description": "The rows came along: issuing runs behind the queue"},
        201: {"description": "Upload the file to upload_url, then start it"},
    },
)
def order_bulk(campaign_id: str, order: BulkOrder) -> tuple[dict[str, Any], int]:
    found, upload_url = bulk.order_bulk(_bulk_desk(), caller(app), campaign_id, order)
    return bulk_view(found, upload_url), 201 if upload_url else 202


@app.post(
    "/bulk-issues/<bulk_id>/start",
    summary="Start issuing an uploaded list",
    responses={202: {"description": "Issuing runs"}, 409: {"description": "Nothing uploaded"}},
)
def start_bulk(bulk_id: str) -> tuple[dict[str, Any], int]:
    return bulk_view(bulk.start_bulk(_bulk_desk(), caller(app), bulk_id)), 202


@app.get("/bulk-issues/<bulk_id>", summary="A bulk issue's progress and the rows it refused")
def read_bulk(bulk_id: str) -> dict[str, Any]:
    return bulk_view(bulk.own_bulk(bulks, caller(app), bulk_id))


handler = lambda_handler(app)

"""Seed 004: the programme issues vouchers for a list of members (up to 100,000) at once.

The list comes in the request (JSON rows) or as a file uploaded to a presigned URL (JSON, CSV,
Excel) and is issued behind a queue, a chunk of rows per message, each row exactly as a single
issue (``issuing.issue``): a row whose ``external_ref`` was issued before gives the same
voucher, so a redelivered message or a list sent twice issues nothing twice. The progress moves
on by a conditional write per chunk, so no chunk is counted twice either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import Conflict, DomainError, InvalidRequest, NotFound
from ticketing.domain.gift_bulk import (
    MAX_ERRORS,
    MAX_FILE_BYTES,
    BulkFormat,
    BulkIssue,
    BulkOrder,
    RowError,
    read_rows,
)
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.observability import count, logger
from ticketing.services.gift_vouchers import delivery, issuing
from ticketing.services.gift_vouchers.campaigns import own_campaign
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.services.ports_gift import BulkQueue, BulkStore, GiftFiles

CHUNK = 500  # rows per queue message: well within a worker's 5 minutes
CONTENT_TYPES: dict[BulkFormat, str] = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True, slots=True)
class BulkDesk:
    issue: issuing.IssueDesk
    deliver: delivery.Delivery
    bulks: BulkStore
    queue: BulkQueue
    files: GiftFiles


def file_key(bulk: BulkIssue) -> str:
    return f"gift-bulk/{bulk.campaign_id}/{bulk.bulk_id}.{bulk.format}"


def order_bulk(
    desk: BulkDesk, principal: Principal, campaign_id: str, order: BulkOrder
) -> tuple[BulkIssue, str | None]:
    """The bulk issue, and the URL to upload its file to (None when the rows came along)."""
    campaign = own_campaign(desk.issue.campaigns, principal, campaign_id)
    if (order.rows is None) == (order.upload is None):
        raise InvalidRequest(
            'send either "rows" (the list) or "upload" (json, csv or xlsx: a file to upload)',
            "rows",
            message_id="problem.gift.bulk_rows_or_upload",
        )
    now = desk.issue.clock.now()
    bulk = BulkIssue(
        bulk_id=new_id("blk"),
        campaign_id=campaign.campaign_id,
        organizer_id=campaign.organizer_id,
        issuer_id=campaign.issuer_id,
        issuer_key=principal.key_id,
        format=order.upload or "json",
        status="awaiting_upload" if order.upload else "pending",
        rows=len(order.rows or []),
        created_at=now,
        progress_at=now,
    )
    if order.rows is not None:
        desk.files.put(file_key(bulk), json.dumps(order.rows).encode(), CONTENT_TYPES["json"])
    desk.bulks.add_bulk(bulk)
    if order.upload is not None:
        return bulk, desk.files.upload_url(file_key(bulk), CONTENT_TYPES[order.upload])
    desk.queue.enqueue_bulk(bulk.bulk_id, 0)
    count("GiftBulkIssuesOrdered")
    return bulk, None


def own_bulk(bulks: BulkStore, principal: Principal, bulk_id: str) -> BulkIssue:
    """The issuer reads its own bulk issues; the tenant's organizer and the reviewer too."""
    require(principal, Role.ISSUER, Role.ORGANIZER, Role.REVIEWER)
    bulk = bulks.get_bulk(bulk_id)
    if bulk is None or not principal.owns(bulk.organizer_id):
        raise NotFound(f"no bulk issue {bulk_id}")
    if principal.role is Role.ISSUER and bulk.issuer_id != principal.subject_id:
        raise NotFound(f"no bulk issue {bulk_id}")
    return bulk


def start_bulk(desk: BulkDesk, principal: Principal, bulk_id: str) -> BulkIssue:
    """After the upload: read the file's rows behind the queue (a second start changes
    nothing)."""
    require(principal, Role.ISSUER)
    bulk = own_bulk(desk.bulks, principal, bulk_id)
    if bulk.status != "awaiting_upload":
        return bulk
    data = desk.files.get(file_key(bulk))
    if data is None:
        raise Conflict(
            "nothing was uploaded yet: PUT the file to upload_url first",
            message_id="problem.gift.bulk_not_uploaded",
        )
    now = desk.issue.clock.now()
    if desk.bulks.move_bulk(bulk_id, "awaiting_upload", "pending", now):
        desk.queue.enqueue_bulk(bulk_id, 0)
        count("GiftBulkIssuesOrdered")
    return own_bulk(desk.bulks, principal, bulk_id)


def work(desk: BulkDesk, bulk_id: str, start: int) -> bool:
    """Issue the rows of one chunk from ``start``; True when it queued the next chunk."""
    bulk = desk.bulks.get_bulk(bulk_id)
    if bulk is None or bulk.status in ("done", "failed", "awaiting_upload"):
        return False
    if bulk.next_row != start:
        return False  # a redelivered message: this chunk was done
    now = desk.issue.clock.now()
    data = desk.files.get(file_key(bulk))
    try:
        if data is None or len(data) > MAX_FILE_BYTES:
            raise ValueError("the file is missing or larger than 50 MB")
        rows = read_rows(data, bulk.format)
    except (ValueError, UnicodeDecodeError, OSError, KeyError) as unreadable:
        reason = str(unreadable)[:300] or type(unreadable).__name__
        error = RowError(row=0, reason=f"the list cannot be read: {reason}")
        desk.bulks.advance(bulk_id, start, start, (0, 0, 0), [error], now, done=False)
        desk.bulks.move_bulk(bulk_id, bulk.status, "failed", now)
        return False
    if start == 0:
        desk.bulks.move_bulk(bulk_id, bulk.status, "running", now, rows=len(rows))
    issuer = Principal(Role.ISSUER, bulk.issuer_id, bulk.organizer_id, bulk.issuer_key)
    end = min(start + CHUNK, len(rows))
    issued = repeated = 0
    errors: list[RowError] = []
    for row in rows[start:end]:
        if row.request is None:
            assert row.error is not None
            errors.append(row.error)
            continue
        try:
            voucher, new = issuing.issue(desk.issue, issuer, bulk.campaign_id, row.request)
        except DomainError as refused:
            ref = row.request.external_ref
            errors.append(RowError(row=row.number, external_ref=ref, reason=refused.detail))
            continue
        if new:
            issued += 1
            delivery.deliver(desk.deliver, voucher)
        else:
            repeated += 1
    done = end >= len(rows)
    kept = errors[: max(0, MAX_ERRORS - len(bulk.errors))]
    counts = (issued, repeated, len(errors))
    if not desk.bulks.advance(bulk_id, start, end, counts, kept, desk.issue.clock.now(), done):
        logger.info("bulk chunk done by another worker", extra={"bulk_id": bulk_id})
        return False
    count("GiftVouchersIssuedInBulk", issued)
    if not done:
        desk.queue.enqueue_bulk(bulk_id, end)
    return not done

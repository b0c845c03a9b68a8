"""Gift vouchers in the console (issue 14, item 8): the organizer's merchants with their
terminals (and their locks), a merchant's settlement for a period (with its Excel file), and
the campaigns with their statistics; the reviewer sees every tenant's campaigns.

The same use cases as the API (``services/access``, ``merchants``, ``gift_stats``,
``hotline.readable_campaigns``) with the session's principal. The hotline is
``console/pages/gift_hotline.py``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, get_args
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from ticketing.console.backoffice_forms import field_errors, typed
from ticketing.console.http import Answer, download
from ticketing.console.pages.orders import XLSX, formats, organizer_name
from ticketing.console.registry import page
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.gift_parties import MerchantDraft, TerminalDraft
from ticketing.domain.gift_vouchers import StatsBy
from ticketing.domain.identity import Role
from ticketing.domain.people import UserKind
from ticketing.services import access, gift_stats, hotline, merchants

if TYPE_CHECKING:
    from ticketing.console.visit import Visit

MERCHANTS = "/console/gift/merchants"
CAMPAIGNS = "/console/gift/campaigns"
STAFF = {UserKind.ORGANIZER}
READERS = {UserKind.ORGANIZER, UserKind.REVIEWER}
MERCHANT_FIELDS = ("name", "city", "category", "grade", "address", "settlement_rate")
GRADES = ("high", "middle", "low")
CHINA = "Asia/Shanghai"  # the seed's zone: a settlement's days are China's


def merchant_path(merchant_id: str) -> str:
    return f"{MERCHANTS}/{merchant_id}"


# merchants --------------------------------------------------------------------------------


def _merchants(visit: Visit, status: int = 200, **form: Any) -> Answer:
    listed = access.list_merchants(visit.stores.access, visit.principal)
    return visit.render(
        "gift_merchants.html",
        status,
        merchants=sorted(listed, key=lambda m: (m.city or "", m.name)),
        grades=GRADES,
        errors=form.get("errors", {}),
        values=form.get("values", {}),
    )


@page("GET", MERCHANTS, kinds=STAFF, nav="console.nav.gift_merchants")
def merchant_list(visit: Visit) -> Answer:
    return _merchants(visit)


@page("POST", MERCHANTS, kinds=STAFF)
def create_merchant(visit: Visit) -> Answer:
    values = typed(visit.form, MERCHANT_FIELDS)
    try:
        draft = MerchantDraft.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as invalid:
        return _merchants(visit, 422, errors=field_errors(visit.language, invalid), values=values)
    stores = visit.stores
    merchant = access.create_merchant(stores.access, stores.clock, visit.principal, draft)
    return visit.done(
        merchant_path(merchant.merchant_id), "console.gift.merchant_created", name=merchant.name
    )


def _merchant(visit: Visit, status: int = 200, **extra: Any) -> Answer:
    stores = visit.stores
    view = merchants.show_merchant(
        stores.access, stores.gift.locks, stores.clock, visit.principal, visit.params["merchant_id"]
    )
    today = visit.now.astimezone(ZoneInfo(CHINA)).date()
    extra = {"new_key": None, "new_terminal": None, "errors": {}, **extra}
    return visit.render(
        "gift_merchant.html",
        status,
        view=view,
        period={"from": today.replace(day=1).isoformat(), "to": today.isoformat()},
        **formats(visit, CHINA),
        **extra,
    )


@page("GET", MERCHANTS + "/{merchant_id}", kinds=STAFF)
def merchant_page(visit: Visit) -> Answer:
    return _merchant(visit)


@page("POST", MERCHANTS + "/{merchant_id}/terminals", kinds=STAFF)
def create_terminal(visit: Visit) -> Answer:
    """The new terminal's key is shown on this answer only (it is never stored)."""
    label = visit.form.get("label", "").strip()
    try:
        draft = TerminalDraft(label=label or None)
    except ValidationError as invalid:
        return _merchant(visit, 422, errors=field_errors(visit.language, invalid))
    stores = visit.stores
    created = access.create_terminal(
        stores.access, stores.clock, visit.principal, visit.params["merchant_id"], draft
    )
    return _merchant(visit, 201, new_terminal=created.party, new_key=created.api_key)


@page("POST", MERCHANTS + "/{merchant_id}/terminals/{terminal_id}/revoke", kinds=STAFF)
def revoke_terminal(visit: Visit) -> Answer:
    stores = visit.stores
    merchant_id, terminal_id = visit.params["merchant_id"], visit.params["terminal_id"]
    merchants.revoke_terminal(
        stores.access,
        stores.gift.revocation,
        stores.clock,
        visit.principal,
        merchant_id,
        terminal_id,
    )
    return visit.done(
        merchant_path(merchant_id), "console.gift.terminal_revoked", terminal=terminal_id
    )


def _period(visit: Visit) -> tuple[datetime, datetime, dict[str, str]]:
    """``?from=`` and ``?to=`` (days in China, both included) as ``[start, end)``; a page
    opened without them shows the current month up to today."""
    today = visit.now.astimezone(ZoneInfo(CHINA)).date()
    given = {
        "from": visit.query.get("from") or today.replace(day=1).isoformat(),
        "to": visit.query.get("to") or today.isoformat(),
    }
    try:
        first, last = date.fromisoformat(given["from"]), date.fromisoformat(given["to"])
    except ValueError:
        raise InvalidRequest(
            "from and to must be days (2026-10-01)",
            "from",
            message_id="problem.hotline.period",
        ) from None
    zone = ZoneInfo(CHINA)
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
    return start, end, given


@page("GET", MERCHANTS + "/{merchant_id}/settlement", kinds=STAFF)
def settlement(visit: Visit) -> Answer:
    stores = visit.stores
    start, end, given = _period(visit)
    settled = merchants.settlement(
        stores.access,
        stores.gift.redemptions,
        visit.principal,
        visit.params["merchant_id"],
        start,
        end,
    )
    return visit.render(
        "gift_settlement.html", settled=settled, period=given, **formats(visit, CHINA)
    )


@page("GET", MERCHANTS + "/{merchant_id}/settlement.xlsx", kinds=STAFF)
def settlement_xlsx(visit: Visit) -> Answer:
    """The same file as ``GET /merchants/{id}/settlement?format=xlsx``."""
    from ticketing.documents.settlement_layout import settlement_workbook

    stores = visit.stores
    start, end, _ = _period(visit)
    merchant_id = visit.params["merchant_id"]
    settled = merchants.settlement(
        stores.access, stores.gift.redemptions, visit.principal, merchant_id, start, end
    )
    author = organizer_name(visit, organizer_id=visit.principal.organizer_id or "")
    data = settlement_workbook(settled, visit.language, author=author)
    return download(data, XLSX, f"settlement-{merchant_id}.xlsx")


# campaigns --------------------------------------------------------------------------------


def desk(visit: Visit) -> hotline.HotlineDesk:
    return visit.stores.gift.hotline(visit.stores.clock, visit.stores.access)


@page("GET", CAMPAIGNS, kinds=READERS, nav="console.nav.gift_campaigns")
def campaign_list(visit: Visit) -> Answer:
    listed = hotline.readable_campaigns(desk(visit), visit.principal)
    return visit.render("gift_campaigns.html", campaigns=listed, **formats(visit, CHINA))


@page("GET", CAMPAIGNS + "/{campaign_id}", kinds=READERS)
def campaign_page(visit: Visit) -> Answer:
    by = visit.query.get("by", "tier")
    if by not in get_args(StatsBy):
        by = "tier"
    gift = visit.stores.gift
    stats = gift_stats.campaign_stats(
        gift.campaigns,
        gift.gifts,
        visit.principal,
        visit.params["campaign_id"],
        by,  # type: ignore[arg-type]
    )
    names: dict[str, str] = {}
    if by == "merchant" and visit.principal.role is Role.ORGANIZER:
        listed = access.list_merchants(visit.stores.access, visit.principal)
        names = {m.merchant_id: m.name for m in listed}
    return visit.render(
        "gift_campaign.html",
        stats=stats,
        names=names,
        dimensions=get_args(StatsBy),
        **formats(visit, stats.campaign.timezone),
    )

"""The hotline in the console (issue 14, items 6 and 8): an agent of the organizer looks a
gift voucher up by its code or the member's phone and sees its whole ledger, records a
complaint, and answers the open ones (an upheld one may reverse the redemption).

The same use cases as ``functions/hotline`` (``services/hotline.py``) with the session's
principal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from pydantic import ValidationError

from ticketing.console.backoffice_forms import field_errors, new_form_key, rule_error, typed
from ticketing.console.pages.gift import CHINA, STAFF, desk
from ticketing.console.pages.orders import formats
from ticketing.console.registry import page
from ticketing.domain.errors import InvalidRequest, NotFound
from ticketing.domain.gift_complaints import ComplaintAnswer, ComplaintDraft
from ticketing.domain.gift_vouchers import display
from ticketing.services import hotline

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit

HOTLINE = "/console/gift/hotline"
COMPLAINTS = "/console/gift/complaints"


def _hotline(
    visit: Visit, status: int = 200, given: dict[str, str] | None = None, **extra: Any
) -> Answer:
    """The lookup form and, for ``?campaign=&code=`` (or ``phone=``), what it found."""
    hotline_desk = desk(visit)
    campaigns = hotline.readable_campaigns(hotline_desk, visit.principal)
    source = visit.query if given is None else given
    query = {k: source.get(k, "").strip() for k in ("campaign", "code", "phone")}
    if not query["campaign"] and campaigns:
        query["campaign"] = campaigns[0].campaign_id
    found, errors, searched = [], dict(extra.pop("errors", {})), False
    if query["campaign"] and (query["code"] or query["phone"]):
        searched = True
        try:
            found = hotline.lookup(
                hotline_desk,
                visit.principal,
                query["campaign"],
                code=query["code"] or None,
                phone=None if query["code"] else query["phone"],
            )
        except InvalidRequest as refused:
            errors.update(rule_error(visit.language, refused))
    now = visit.now
    extra.setdefault("complaint_text", "")
    return visit.render(
        "gift_hotline.html",
        status,
        campaigns=campaigns,
        values=query,
        errors=errors,
        searched=searched,
        found=[(v, v.state(now), display(v.code)) for v in found],
        form_key=new_form_key(),
        **formats(visit, CHINA),
        **extra,
    )


@page("GET", HOTLINE, kinds=STAFF, nav="console.nav.gift_hotline")
def hotline_page(visit: Visit) -> Answer:
    return _hotline(visit)


@page("POST", COMPLAINTS, kinds=STAFF)
def file_complaint(visit: Visit) -> Answer:
    values = typed(visit.form, ("code", "text", "campaign"))
    back = HOTLINE + "?" + urlencode({"campaign": values["campaign"], "code": values["code"]})
    try:
        draft = ComplaintDraft(code=values["code"], text=values["text"])
    except ValidationError as invalid:
        errors = {f"complaint.{k}": v for k, v in field_errors(visit.language, invalid).items()}
        given = {"campaign": values["campaign"], "code": values["code"]}
        return _hotline(visit, 422, given, errors=errors, complaint_text=values["text"])
    try:
        complaint, _ = hotline.file_complaint(
            desk(visit), visit.principal, draft, visit.form.get("form_key") or None
        )
    except NotFound:
        return visit.done(back, "console.gift.no_voucher")
    return visit.done(back, "console.gift.complaint_recorded", complaint=complaint.complaint_id)


def _complaints(visit: Visit, status: int = 200, **extra: Any) -> Answer:
    listed = hotline.list_complaints(desk(visit), visit.principal, "open")
    return visit.render(
        "gift_complaints.html",
        status,
        complaints=[(c, display(c.code)) for c in listed],
        errors=extra.pop("errors", {}),
        **formats(visit, CHINA),
        **extra,
    )


@page("GET", COMPLAINTS, kinds=STAFF, nav="console.nav.gift_complaints")
def complaints_page(visit: Visit) -> Answer:
    return _complaints(visit)


@page("POST", COMPLAINTS + "/{complaint_id}/answer", kinds=STAFF)
def answer_complaint(visit: Visit) -> Answer:
    complaint_id = visit.params["complaint_id"]
    values = typed(visit.form, ("text", "outcome", "reverse"))
    try:
        answer = ComplaintAnswer(
            text=values["text"],
            outcome=values["outcome"],
            reverse=values["reverse"] == "yes",
        )
    except ValidationError as invalid:
        errors = {complaint_id: " ".join(field_errors(visit.language, invalid).values())}
        return _complaints(visit, 422, errors=errors)
    try:
        answered = hotline.answer_complaint(desk(visit), visit.principal, complaint_id, answer)
    except InvalidRequest as refused:
        errors = {complaint_id: rule_error(visit.language, refused).popitem()[1]}
        return _complaints(visit, 422, errors=errors)
    notice = "console.gift.complaint_reversed" if answered.reversed else "console.gift.answered"
    return visit.done(COMPLAINTS, notice, complaint=complaint_id)

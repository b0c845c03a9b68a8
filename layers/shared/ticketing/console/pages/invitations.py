"""Invitations in the console (issue 16, area ``invitations``): the exhibitor uploads its list
(CSV or Excel, the file the API's upload takes, read by ``documents/invitation_lists.py``) or
pastes a short one, previews the letter with a real row, sends, and follows the tracking list;
the organizer edits the sample letter and sees the summary per exhibitor.

Every page calls the use cases ``functions/invitations`` calls, with the session's principal.
The form is ``multipart/form-data`` (``console/multipart.py``: a file of up to 4 MB, about
10,000 rows); a pasted list has at most 10,000 characters (about 100-150 recipients).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from ticketing.api.spoken import detail
from ticketing.console.http import Answer, download
from ticketing.console.registry import page
from ticketing.domain.errors import Conflict, InvalidRequest
from ticketing.domain.invitations import LETTER_LANGUAGES, LetterText
from ticketing.domain.people import UserKind
from ticketing.i18n import format_datetime
from ticketing.services import events as event_rules
from ticketing.services.visitor_vouchers import invitation_tracking as tracking
from ticketing.services.visitor_vouchers import inviting
from ticketing.services.visitor_vouchers.batches import batches as own_batches
from ticketing.services.visitor_vouchers.invitation_mail import preview

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ticketing.console.visit import Visit

EXHIBITOR = {UserKind.EXHIBITOR}
ORGANIZER = {UserKind.ORGANIZER}
BASE = "/console/exhibitor/invitations"
EVENTS = "/console/invitations"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _desk(visit: Visit) -> inviting.InvitationDesk:
    ports, stores = visit.stores.invitations, visit.stores
    return inviting.InvitationDesk(
        ports.store,
        stores.visitor_vouchers.batches,
        stores.access,
        stores.events,
        ports.queue,
        stores.visitor_vouchers.idempotency,
        stores.clock,
    )


def tracking_of(visit: Visit) -> tracking.Tracking:
    return visit.stores.invitations.tracking(visit.stores)


def parse_pasted(text: str) -> list[dict[str, object]]:
    """A pasted list: CSV with its title row, separated by tabs (copied from Excel),
    semicolons or commas; an unreadable one is an ``InvalidRequest``."""
    from ticketing.documents.invitation_lists import read_list

    lines = text.strip().splitlines()
    if lines and "\t" in lines[0]:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        for row in csv.reader(io.StringIO("\n".join(lines)), delimiter="\t"):
            writer.writerow(row)
        text = out.getvalue()
    return read_list(text.encode("utf-8"))


def recipients(visit: Visit) -> tuple[list[dict[str, object]], str | None]:
    """The rows of the uploaded file (field ``file``) and its name, or else of the pasted
    list (field ``recipients``) and None."""
    from ticketing.documents.invitation_lists import read_list

    upload = visit.files.get("file")
    if upload is not None and (upload.filename or upload.data):
        return read_list(upload.data), upload.filename or "?"
    return parse_pasted(visit.form.get("recipients", "")), None


# the exhibitor ------------------------------------------------------------------------------


@page("GET", BASE, kinds=EXHIBITOR, nav="console.invitations.open")
def batches_page(visit: Visit) -> Answer:
    """The exhibitor's ready batches, each with its counts and a link to invite from it."""
    desk = tracking_of(visit)
    found = [b for b in own_batches(desk.batches, visit.principal) if b.status == "ready"]
    rows = [(b, tracking.batch_counts(desk, b)) for b in found]
    return visit.render("invitations_batches.html", rows=rows)


def _batch_page(
    visit: Visit,
    batch_id: str,
    status: int = 200,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    shown: Any = None,
) -> Answer:
    rows, counts = tracking.tracking(tracking_of(visit), visit.principal, batch_id)
    zone = visit.stores.events.get(visit.principal.scope or "")
    timezone = zone.timezone if zone else None

    def when(moment: Any) -> str:
        return format_datetime(moment, timezone, visit.language) if moment else ""

    lists = visit.stores.invitations.store.jobs(batch_id)[:10]
    return visit.render(
        "invitations_batch.html",
        status,
        batch_id=batch_id,
        counts=counts,
        rows=rows,
        lists=lists,
        when=when,
        values=values or {"recipients": "", "resend": "", "file": ""},
        error=error,
        preview=shown,
    )


@page("GET", BASE + "/{batch_id}", kinds=EXHIBITOR)
def batch_page(visit: Visit) -> Answer:
    return _batch_page(visit, visit.params["batch_id"])


@page("POST", BASE + "/{batch_id}", kinds=EXHIBITOR)
def send_or_preview(visit: Visit) -> Answer:
    batch_id = visit.params["batch_id"]
    values = {
        "recipients": visit.form.get("recipients", ""),
        "resend": visit.form.get("resend", ""),
        "file": "",
    }
    try:
        rows, filename = recipients(visit)
        values["file"] = filename or ""
        if visit.form.get("action") == "preview":
            shown = preview(_desk(visit), visit.principal, batch_id, rows)
            if shown is None:
                return _batch_page(
                    visit, batch_id, 422, values, visit.t("console.invitations.preview_none")
                )
            return _batch_page(visit, batch_id, 200, values, shown=shown)
        job, _ = inviting.invite(
            _desk(visit),
            visit.principal,
            batch_id,
            rows,
            values["resend"] == "on",
            visit.form.get("once", "").strip()[:200] or None,
        )
    except (InvalidRequest, Conflict) as refused:
        return _batch_page(visit, batch_id, 422, values, detail(visit.language, refused))
    visit.record(
        "EVENT",
        visit.principal.scope or "",
        "activity.invitations.sent",
        count=str(job.total),
        batch=batch_id,
    )
    return visit.done(
        f"{BASE}/{batch_id}",
        "console.invitations.sent",
        count=str(job.total),
        bad=str(len(job.bad_rows)),
        already=str(len(job.already_invited)),
    )


@page("GET", BASE + "/{batch_id}/invitations.xlsx", kinds=EXHIBITOR)
def tracking_file(visit: Visit) -> Answer:
    from ticketing.documents.invitation_layouts import invitations_workbook

    rows, _ = tracking.tracking(tracking_of(visit), visit.principal, visit.params["batch_id"])
    return download(invitations_workbook(rows), XLSX, "invitations.xlsx")


@page("GET", BASE + "/{batch_id}/template.xlsx", kinds=EXHIBITOR)
def template_file(visit: Visit) -> Answer:
    from ticketing.documents.invitation_lists import template_workbook
    from ticketing.services.visitor_vouchers.batches import own_batch

    own_batch(visit.stores.visitor_vouchers.batches, visit.principal, visit.params["batch_id"])
    return download(template_workbook(), XLSX, "invitations-template.xlsx")


# the organizer ------------------------------------------------------------------------------


@page("GET", EVENTS, kinds=ORGANIZER, nav="console.invitations.open")
def events_page(visit: Visit) -> Answer:
    found, _ = event_rules.list_events(visit.stores.events, visit.principal, 200, None)
    return visit.render("invitations_events.html", events=found)


def _event_page(
    visit: Visit,
    event_id: str,
    status: int = 200,
    errors: Mapping[str, str] | None = None,
    typed: Mapping[str, Mapping[str, str]] | None = None,
) -> Answer:
    letters = inviting.letters(_desk(visit), visit.principal, event_id)
    total, per = tracking.summary(tracking_of(visit), visit.principal, event_id)
    event = visit.stores.events.get(event_id)
    values = {
        lang: dict(
            (typed or {}).get(lang)
            or {
                "subject": letters[lang]["sample"].subject if letters[lang]["sample"] else "",
                "body": letters[lang]["sample"].body if letters[lang]["sample"] else "",
            }
        )
        for lang in LETTER_LANGUAGES
    }
    return visit.render(
        "invitations_event.html",
        status,
        event=event,
        values=values,
        errors=errors or {},
        total=total,
        per=per,
        languages=LETTER_LANGUAGES,
    )


@page("GET", EVENTS + "/{event_id}", kinds=ORGANIZER)
def event_page(visit: Visit) -> Answer:
    return _event_page(visit, visit.params["event_id"])


@page("POST", EVENTS + "/{event_id}", kinds=ORGANIZER)
def save_letter(visit: Visit) -> Answer:
    event_id = visit.params["event_id"]
    language = visit.form.get("language", "")
    typed = {"subject": visit.form.get("subject", ""), "body": visit.form.get("body", "")}
    try:
        text = LetterText.model_validate({"language": language, **typed})
        inviting.set_letter(_desk(visit), visit.principal, event_id, text)
    except InvalidRequest as refused:
        errors = {language: detail(visit.language, refused)}
        return _event_page(visit, event_id, 422, errors, {language: typed})
    except ValueError:  # pydantic: a language we have no letters in, a too long text
        errors = {language or "de": visit.t("console.invitations.refused")}
        return _event_page(visit, event_id, 422, errors, {language or "de": typed})
    visit.record("EVENT", event_id, "activity.invitations.letter", language=language)
    return visit.done(f"{EVENTS}/{event_id}", "console.invitations.saved", language=language)

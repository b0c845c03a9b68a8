"""An event's exhibitors (seed 000, the organizer's side): each one's statement (issued,
redeemed, used, billable, total), a new exhibitor (the use case of ``POST /exhibitors``; its
contact is invited to the console), a cancelled participation (``POST
/exhibitors/{id}/cancel``) and the Excel file of every statement (``GET
/events/{event_id}/statements?format=xlsx``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from ticketing.console.backoffice_forms import field_errors, typed
from ticketing.console.http import Answer, download
from ticketing.console.pages.orders import STAFF, XLSX, formats
from ticketing.console.registry import page
from ticketing.domain.errors import Conflict
from ticketing.domain.parties import ExhibitorDraft
from ticketing.services import access, backoffice
from ticketing.services.outbox import Outgoing
from ticketing.services.visitor_vouchers.billing import Billing, statements

if TYPE_CHECKING:
    from ticketing.console.visit import Visit

EXHIBITORS = "/console/events/{event_id}/exhibitors"


def _billing(visit: Visit) -> Billing:
    return Billing(visit.stores.figures, visit.stores.access, visit.stores.events)


def _page(visit: Visit, event_id: str, status: int = 200, **form: object) -> Answer:
    event, found = statements(_billing(visit), visit.principal, event_id)
    emails = {
        e.exhibitor_id: str(e.email)
        for e in access.list_exhibitors(visit.stores.access, visit.principal)
    }
    return visit.render(
        "backoffice_exhibitors.html",
        status,
        event=event,
        statements=sorted(found, key=lambda s: s.exhibitor_name.casefold()),
        emails=emails,
        errors=form.pop("errors", {}),
        values=form.pop("values", {}),
        **formats(visit, event.timezone),
    )


@page("GET", EXHIBITORS, kinds=STAFF)
def exhibitors_page(visit: Visit) -> Answer:
    return _page(visit, visit.params["event_id"])


@page("POST", EXHIBITORS, kinds=STAFF)
def create(visit: Visit) -> Answer:
    event_id = visit.params["event_id"]
    values = typed(visit.form, ("name", "email"))
    stores = visit.stores
    desk = backoffice.ExhibitorDesk(
        stores.access,
        stores.events,
        Outgoing(stores.backoffice.outbox, stores.mail),
        stores.people,
        stores.clock,
    )
    try:
        draft = ExhibitorDraft.model_validate({**values, "event_id": event_id})
    except ValidationError as invalid:
        errors = field_errors(visit.language, invalid)
        return _page(visit, event_id, 422, errors=errors, values=values)
    made = backoffice.create_exhibitor(desk, visit.principal, visit.user, draft)
    exhibitor = made.exhibitor
    visit.record("EVENT", event_id, "activity.event.exhibitor_added", name=exhibitor.name)
    notice = "console.backoffice.exhibitor_added"
    if made.contact is None:  # the address is a user already: not a second one
        notice = "console.backoffice.exhibitor_added_no_contact"
    return visit.done(
        EXHIBITORS.format(event_id=event_id), notice, name=exhibitor.name, email=values["email"]
    )


@page("POST", "/console/exhibitors/{exhibitor_id}/cancel", kinds=STAFF)
def cancel(visit: Visit) -> Answer:
    stores = visit.stores
    try:
        exhibitor = access.cancel_exhibitor(
            stores.access, stores.clock, visit.principal, visit.params["exhibitor_id"]
        )
    except Conflict:
        before = stores.access.get_exhibitor(visit.params["exhibitor_id"])
        assert before is not None  # the use case found it (and its tenant) before
        return visit.done(
            EXHIBITORS.format(event_id=before.event_id),
            "console.backoffice.cancelled_before",
            name=before.name,
        )
    visit.record(
        "EVENT", exhibitor.event_id, "activity.event.exhibitor_cancelled", name=exhibitor.name
    )
    return visit.done(
        EXHIBITORS.format(event_id=exhibitor.event_id),
        "console.backoffice.exhibitor_cancelled",
        name=exhibitor.name,
    )


@page("GET", EXHIBITORS.removesuffix("/exhibitors") + "/statements.xlsx", kinds=STAFF)
def statements_file(visit: Visit) -> Answer:
    from ticketing.documents.layouts import statements_workbook

    event, found = statements(_billing(visit), visit.principal, visit.params["event_id"])
    organizer = visit.stores.access.get_organizer(event.organizer_id)
    data = statements_workbook(event, found, organizer.name if organizer else "")
    return download(data, XLSX, f"statements-{event.event_id}.xlsx")

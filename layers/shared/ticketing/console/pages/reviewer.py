"""The reviewer's pages: the organizers on the platform, onboarding a new one (the use case
of ``POST /organizers``; its address becomes its first admin, as the API does) and each
organizer's page (its settings, how many events, its staff)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ticketing.console.backoffice_forms import field_errors, typed
from ticketing.console.registry import page
from ticketing.domain.parties import OrganizerDraft
from ticketing.domain.people import UserKind
from ticketing.i18n import LANGUAGES
from ticketing.services import access, backoffice, staff
from ticketing.services.outbox import Outgoing

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit

ORGANIZERS = "/console/organizers"
REVIEWER = {UserKind.REVIEWER}


def _list(visit: Visit, status: int = 200, **form: Any) -> Answer:
    listed = access.list_organizers(visit.stores.access, visit.principal)
    return visit.render(
        "organizers.html",
        status,
        organizers=sorted(listed, key=lambda o: o.name),
        errors=form.pop("errors", {}),
        values=form.pop("values", {"language": visit.language}),
        languages=LANGUAGES,
    )


@page("GET", ORGANIZERS, kinds=REVIEWER, nav="console.nav.organizers")
def organizers(visit: Visit) -> Answer:
    return _list(visit)


@page("POST", ORGANIZERS, kinds=REVIEWER)
def onboard(visit: Visit) -> Answer:
    values = typed(visit.form, ("name", "email", "language"))
    stores = visit.stores
    try:
        draft = OrganizerDraft.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as invalid:
        return _list(visit, 422, errors=field_errors(visit.language, invalid), values=values)
    outgoing = Outgoing(stores.backoffice.outbox, stores.mail)
    created = access.onboard_organizer(
        stores.access, outgoing, stores.clock, visit.principal, draft
    )
    organizer = created.party
    admin = staff.first_admin_of(stores.people, stores.clock, organizer)
    notice = "console.backoffice.onboarded" if admin else "console.backoffice.onboarded_no_admin"
    return visit.done(
        f"{ORGANIZERS}/{organizer.organizer_id}",
        notice,
        name=organizer.name,
        email=str(organizer.email),
    )


@page("GET", ORGANIZERS + "/{organizer_id}", kinds=REVIEWER)
def organizer_page(visit: Visit) -> Answer:
    stores = visit.stores
    overview = backoffice.organizer_overview(
        stores.access, stores.events, stores.people, visit.principal, visit.params["organizer_id"]
    )
    return visit.render("backoffice_organizer.html", overview=overview)

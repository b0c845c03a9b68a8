"""The console's home page, for every kind of user, and signing out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.console.http import SESSION_COOKIE, Answer, cookie, redirect
from ticketing.console.registry import page
from ticketing.domain.people import UserKind
from ticketing.services import sign_in

if TYPE_CHECKING:
    from ticketing.console.visit import Visit

EVERYONE = (UserKind.ORGANIZER, UserKind.EXHIBITOR, UserKind.REVIEWER)


@page("GET", "/console", kinds=EVERYONE, nav="console.nav.home")
def home(visit: Visit) -> Answer:
    """Who is signed in, for whom; the areas of each kind of user add their overview here."""
    if visit.user.kind is UserKind.EXHIBITOR:
        from ticketing.console.pages.exhibitor import exhibitor_home

        return exhibitor_home(visit)  # its event, its exhibitor, what it can do
    organizer = None
    if visit.user.organizer_id is not None:
        organizer = visit.stores.access.get_organizer(visit.user.organizer_id)
    from ticketing.console.pages.orders_events import event_overview  # after home: its nav

    return visit.render(
        "home.html",
        kind=visit.user.kind.value,
        organizer_name=organizer.name if organizer else "",
        events=event_overview(visit) if visit.user.kind is UserKind.ORGANIZER else [],
    )


@page("POST", "/console/sign-out", kinds=EVERYONE)
def sign_out(visit: Visit) -> Answer:
    sign_in.sign_out(visit.stores.desk, visit.request.cookies.get(SESSION_COOKIE))
    return redirect("/console/sign-in", [cookie(SESSION_COOKIE, "", max_age=0)])

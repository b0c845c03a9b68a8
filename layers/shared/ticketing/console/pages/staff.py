"""An organizer's staff: everyone sees the list, admins invite and remove colleagues."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from ticketing.console.registry import page
from ticketing.domain.errors import Conflict
from ticketing.domain.people import StaffInvitation, StaffRole, UserKind
from ticketing.services import staff

if TYPE_CHECKING:
    from ticketing.console.http import Answer
    from ticketing.console.visit import Visit

STAFF_PAGE = "/console/staff"


def _page(visit: Visit, status: int = 200, **form: object) -> Answer:
    return visit.render(
        "staff.html",
        status,
        staff=staff.list_staff(visit.stores.people, visit.principal),
        roles=[r.value for r in StaffRole],
        may_manage=visit.user.is_admin,
        me=visit.user.user_id,
        errors=form.pop("errors", {}),
        values=form.pop("values", {}),
    )


@page("GET", STAFF_PAGE, kinds={UserKind.ORGANIZER}, nav="console.nav.staff")
def staff_page(visit: Visit) -> Answer:
    return _page(visit)


@page("POST", f"{STAFF_PAGE}/invite", kinds={UserKind.ORGANIZER}, admin_only=True)
def invite(visit: Visit) -> Answer:
    values = {name: visit.form.get(name, "").strip() for name in ("email", "name", "role")}
    try:
        invitation = StaffInvitation(
            email=values["email"],
            name=values["name"],
            role=values["role"] or StaffRole.STAFF,
            language=visit.language,
        )
        invited = staff.invite_staff(
            visit.stores.staff_desk, visit.principal, visit.user, invitation
        )
    except ValidationError as invalid:
        fields = {str(e["loc"][0]) for e in invalid.errors() if e.get("loc")}
        errors = {f: visit.t(f"console.staff.invalid_{f}") for f in fields if f in values}
        return _page(visit, 422, errors=errors, values=values)
    except Conflict:
        errors = {"email": visit.t("console.staff.email_taken")}
        return _page(visit, 409, errors=errors, values=values)
    return visit.done(
        STAFF_PAGE, "console.staff.invited", name=invited.name, email=str(invited.email)
    )


@page("POST", STAFF_PAGE + "/{user_id}/remove", kinds={UserKind.ORGANIZER}, admin_only=True)
def remove(visit: Visit) -> Answer:
    removed = staff.remove_staff(
        visit.stores.staff_desk, visit.principal, visit.user, visit.params["user_id"]
    )
    return visit.done(STAFF_PAGE, "console.staff.removed", name=removed.name)

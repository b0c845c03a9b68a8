"""People of a tenant: an organizer's staff (invited and removed by its admins), exhibitors'
contacts (made with their exhibitor), and what the console's activity log records.

A staff use case takes the caller's principal, as every use case does, and the acting user
when the call came through the console: an API key of an organizer acts as its admin (a key
can do everything already), a console user only if their role is ``admin``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import Conflict, NotAllowed, NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.people import StaffInvitation, StaffRole, User, UserKind
from ticketing.links import console_sign_in_url
from ticketing.mail.messages import MailRequest
from ticketing.services.ports_console import Activity, ActivityLog, People, Subject
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.parties import Exhibitor, Organizer
    from ticketing.i18n.languages import Language
    from ticketing.services.ports import MailQueue


@dataclass(frozen=True, slots=True)
class StaffDesk:
    people: People
    mail: MailQueue
    clock: Clock


def _require_admin(principal: Principal, acting: User | None) -> str:
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    if acting is not None and not acting.is_admin:
        raise NotAllowed("only an admin manages the staff", message_id="console.staff.admins_only")
    return principal.organizer_id


def list_staff(people: People, principal: Principal) -> list[User]:
    """The tenant's staff who may sign in (removed ones are left out); any staff member may
    see who their colleagues are."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    return [u for u in people.list_staff(principal.organizer_id) if u.removed_at is None]


def invite_staff(
    desk: StaffDesk, principal: Principal, acting: User | None, invitation: StaffInvitation
) -> User:
    """A new staff member; their mail leads to the sign-in form, where they ask for their own
    link (a link is bound to the browser that asks, and the inviter's is not theirs).
    ``Conflict`` when a user holds the address already."""
    organizer_id = _require_admin(principal, acting)
    user = User(
        user_id=new_id("usr"),
        email=invitation.email,
        name=invitation.name,
        kind=UserKind.ORGANIZER,
        role=invitation.role,
        organizer_id=organizer_id,
        language=invitation.language,
        created_at=desk.clock.now(),
    )
    desk.people.add_user(user)
    desk.mail.enqueue(
        MailRequest(
            template="console_invitation",
            to=[str(user.email)],
            language=user.language,
            context={
                "name": user.name,
                "invited_by": acting.name if acting else "",
                "sign_in_url": console_sign_in_url(),
            },
            request_id=f"invitation-{user.user_id}",
        )
    )
    return user


def remove_staff(desk: StaffDesk, principal: Principal, acting: User | None, user_id: str) -> User:
    """Remove a staff member of the caller's tenant: they cannot sign in again, and their
    sessions end at once (a session reads its user on every request)."""
    organizer_id = _require_admin(principal, acting)
    user = desk.people.get_user(user_id)
    if user is None or user.kind is not UserKind.ORGANIZER or user.organizer_id != organizer_id:
        raise NotFound(f"no staff member {user_id}")
    if acting is not None and acting.user_id == user.user_id:
        raise Conflict("you cannot remove yourself", message_id="console.staff.not_yourself")
    if not desk.people.remove_user(user, desk.clock.now()):
        raise Conflict(f"{user_id} was removed before", message_id="console.staff.removed_before")
    return user


def add_first_admin(
    people: People,
    clock: Clock,
    organizer_id: str,
    email: str,
    name: str,
    language: Language = "de",
) -> User:
    """An organizer's first admin (onboarding, the local stack's demo tenant)."""
    user = User(
        user_id=new_id("usr"),
        email=email,
        name=name,
        kind=UserKind.ORGANIZER,
        role=StaffRole.ADMIN,
        organizer_id=organizer_id,
        language=language,
        created_at=clock.now(),
    )
    people.add_user(user)
    return user


def first_admin_of(people: People, clock: Clock, organizer: Organizer) -> User | None:
    """A newly onboarded organizer's address as its first admin; None when that address is
    a user already (it is left as it is)."""
    try:
        return add_first_admin(
            people,
            clock,
            organizer.organizer_id,
            str(organizer.email),
            organizer.name,
            organizer.language,
        )
    except (Conflict, ValueError):
        return None


def add_reviewer(people: People, clock: Clock, email: str, name: str) -> User:
    """One of the platform's reviewers (operators and the local stack)."""
    user = User(
        user_id=new_id("usr"),
        email=email,
        name=name,
        kind=UserKind.REVIEWER,
        created_at=clock.now(),
    )
    people.add_user(user)
    return user


def exhibitor_contact(
    people: People, exhibitor: Exhibitor, language: Language = "de"
) -> User | None:
    """The exhibitor's contact as a user who may sign in, made once: again for the same
    exhibitor (a retry) or for an address that is a user already, it is left as it is and
    None is returned."""
    try:
        user = User.model_validate(
            {
                "user_id": f"usr_{exhibitor.exhibitor_id}",  # one per exhibitor: a retry conflicts
                "email": str(exhibitor.email),
                "name": exhibitor.name,
                "kind": UserKind.EXHIBITOR,
                "organizer_id": exhibitor.organizer_id,
                "exhibitor_id": exhibitor.exhibitor_id,
                "event_id": exhibitor.event_id,
                "language": language,
                "created_at": exhibitor.created_at,
            }
        )
        people.add_user(user)
    except (Conflict, ValueError):  # an address the console does not take (mixed scripts)
        return None
    return user


def record_activity(
    log: ActivityLog,
    clock: Clock,
    principal: Principal,
    user: User | None,
    subject: Subject,
    subject_id: str,
    message_id: str,
    **params: str,
) -> Activity:
    """Log what a state-changing action did to an order or event: who (the user's name and
    address, or the key id), when, what (``activity.*`` message id and its values)."""
    who = f"{user.name} <{user.email}>" if user is not None else principal.key_id
    activity = Activity(
        subject=subject,
        subject_id=subject_id,
        at=clock.now(),
        who=who,
        message_id=message_id,
        params=params,
        user_id=user.user_id if user is not None else principal.user_id,
    )
    log.record(activity)
    return activity

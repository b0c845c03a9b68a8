"""The organizer's back office in the console (issue 13): what the console needs beyond the
API's use cases, built on them: an exhibitor whose contact is told about the console, a
voucher as its organizer sees it, and an organizer as the reviewer sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.voucher_codes import canonical
from ticketing.links import console_sign_in_url
from ticketing.mail.messages import MailRequest
from ticketing.services import access, staff
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.parties import Exhibitor, ExhibitorDraft, Organizer
    from ticketing.domain.people import User
    from ticketing.domain.visitor_vouchers import VisitorVoucher, VoucherBatch
    from ticketing.services.outbox import Outgoing
    from ticketing.services.ports import (
        AccessStore,
        BatchStore,
        EventStore,
        VisitorVoucherStore,
    )
    from ticketing.services.ports_console import People


@dataclass(frozen=True, slots=True)
class ExhibitorDesk:
    access: AccessStore
    events: EventStore
    outgoing: Outgoing
    people: People
    clock: Clock


@dataclass(frozen=True, slots=True)
class NewExhibitor:
    exhibitor: Exhibitor
    contact: User | None  # None: the address was a user already (left as it is)


def create_exhibitor(
    desk: ExhibitorDesk, principal: Principal, acting: User | None, draft: ExhibitorDraft
) -> NewExhibitor:
    """``POST /exhibitors``'s use case, and its contact as a console user (as the API makes
    it), who is invited to the console by mail: the welcome only speaks of the API key."""
    created = access.create_exhibitor(
        desk.access, desk.events, desk.outgoing, desk.clock, principal, draft
    )
    exhibitor = created.party
    event = desk.events.get(exhibitor.event_id)
    language = event.language if event else "de"
    contact = staff.exhibitor_contact(desk.people, exhibitor, language)
    if contact is not None:
        desk.outgoing.mail.enqueue(
            MailRequest(
                template="console_invitation",
                to=[str(contact.email)],
                language=contact.language,
                context={
                    "name": contact.name,
                    "invited_by": acting.name if acting else "",
                    "sign_in_url": console_sign_in_url(),
                },
                request_id=f"invitation-{contact.user_id}",
            )
        )
    return NewExhibitor(exhibitor, contact)


@dataclass(frozen=True, slots=True)
class VoucherView:
    voucher: VisitorVoucher
    batch: VoucherBatch | None
    exhibitor: Exhibitor | None


def voucher_of(
    vouchers: VisitorVoucherStore,
    batches: BatchStore,
    store: AccessStore,
    principal: Principal,
    typed_code: str,
) -> VoucherView:
    """One visitor voucher as its organizer sees it (seed 001's ticket page with the pencil):
    its validity and changes, state, batch, exhibitor and registration. Another tenant's code
    answers as missing."""
    require(principal, Role.ORGANIZER)
    code = canonical(typed_code)
    voucher = vouchers.get_voucher(code) if code else None
    if voucher is None or not principal.owns(voucher.organizer_id):
        raise NotFound(f"no voucher {typed_code}")
    return VoucherView(
        voucher, batches.get_batch(voucher.batch_id), store.get_exhibitor(voucher.exhibitor_id)
    )


@dataclass(frozen=True, slots=True)
class OrganizerOverview:
    organizer: Organizer
    events: int
    staff: list[User]


def organizer_overview(
    store: AccessStore,
    events: EventStore,
    people: People,
    principal: Principal,
    organizer_id: str,
) -> OrganizerOverview:
    """An organizer as the platform's reviewer sees it: its settings, how many events it
    has, and who of its staff may sign in."""
    require(principal, Role.REVIEWER)
    organizer = store.get_organizer(organizer_id)
    if organizer is None:
        raise NotFound(f"no organizer {organizer_id}")
    counted, cursor = 0, None
    while True:
        page, cursor = events.list_for(organizer_id, 100, cursor)
        counted += len(page)
        if cursor is None:
            break
    members = [u for u in people.list_staff(organizer_id) if u.removed_at is None]
    return OrganizerOverview(organizer, counted, sorted(members, key=lambda u: u.name))

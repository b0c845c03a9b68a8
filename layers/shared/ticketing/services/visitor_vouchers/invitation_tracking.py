"""What became of an exhibitor's invitations (seed 000 "wen Sie bereits eingeladen haben",
seed 001 "Einladungen nachverfolgen"), the organizer's summary per exhibitor, and the
exhibitor writing again to those who registered (and agreed to be contacted)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ticketing.clock import Clock
from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.invitations import Counts, ExhibitorMessage, MessageDraft, Tracked
from ticketing.domain.parties import Exhibitor
from ticketing.domain.visitor_vouchers import VoucherBatch
from ticketing.observability import count
from ticketing.services.ports import (
    AccessStore,
    BatchStore,
    EventStore,
    ExhibitorFigures,
    VisitorVoucherStore,
)
from ticketing.services.ports_invitations import InvitationStore, MessageStore
from ticketing.services.roles import require
from ticketing.services.visitor_vouchers.batches import exhibitor_of, own_batch


@dataclass(frozen=True, slots=True)
class Tracking:
    invitations: InvitationStore
    batches: BatchStore
    vouchers: VisitorVoucherStore
    figures: ExhibitorFigures
    access: AccessStore
    events: EventStore


def tracking(deps: Tracking, principal: Principal, batch_id: str) -> tuple[list[Tracked], Counts]:
    """Each recipient of the batch with code, invited at, mail state, registration (and by
    whom, if someone else registered the code) and check-in; and the batch's counts."""
    batch = own_batch(deps.batches, principal, batch_id)
    invited = list(deps.invitations.invitations(batch_id))
    vouchers = deps.invitations.vouchers([i.code for i in invited])
    bounced = deps.invitations.suppressed(
        sorted({i.address for i in invited if i.mail_state == "sent"})
    )
    rows: list[Tracked] = []
    for invitation in sorted(invited, key=lambda i: (i.invited_at, i.row)):
        voucher = vouchers.get(invitation.code)
        registration = voucher.registration if voucher else None
        state = invitation.mail_state
        if state == "sent" and invitation.address in bounced:
            state = "bounced" if bounced[invitation.address] == "bounce" else "suppressed"
        by = None
        if registration is not None and _mailbox(registration.email) != invitation.address:
            by = f"{registration.first_name} {registration.last_name} <{registration.email}>"
        rows.append(
            Tracked(
                code=invitation.code,
                first_name=invitation.first_name,
                last_name=invitation.last_name,
                email=invitation.email,
                company=invitation.company,
                invited_at=invitation.invited_at,
                mail_state=state,
                registered_at=registration.redeemed_at if registration else None,
                registered_by=by,
                checked_in_at=registration.checked_in_at if registration else None,
            )
        )
    return rows, batch_counts(deps, batch)


def _mailbox(email: str) -> str:
    from ticketing.domain.emails import mailbox

    return mailbox(email)


def batch_counts(deps: Tracking, batch: VoucherBatch) -> Counts:
    """codes, assigned and invited of the batch; registered and used: its codes redeemed and
    checked in (from the exhibitor's redemptions)."""
    stored = deps.invitations.counts(batch.batch_id)
    registered = used = 0
    for voucher in deps.vouchers.redemptions(batch.exhibitor_id):
        if voucher.batch_id != batch.batch_id or voucher.registration is None:
            continue
        registered += 1
        used += voucher.registration.checked_in_at is not None
    return Counts(
        codes=batch.quantity if batch.status == "ready" else batch.generated,
        assigned=stored.assigned,
        invited=stored.invited,
        registered=registered,
        used=used,
    )


def summary(
    deps: Tracking, principal: Principal, event_id: str
) -> tuple[Counts, list[dict[str, Any]]]:
    """The organizer's counts per exhibitor of the event (an exhibitor: its own row)."""
    require(principal, Role.ORGANIZER, Role.EXHIBITOR)
    if principal.role is Role.EXHIBITOR:
        own = exhibitor_of(deps.access, principal)
        if own.event_id != event_id:
            raise NotFound(f"no event {event_id}")
        exhibitors = [own]
    else:
        event = deps.events.get(event_id)
        if event is None or not principal.owns(event.organizer_id):
            raise NotFound(f"no event {event_id}")
        exhibitors = [
            e for e in deps.access.list_exhibitors(event.organizer_id) if e.event_id == event_id
        ]
    total = Counts()
    rows: list[dict[str, Any]] = []
    for exhibitor in exhibitors:
        counts = _exhibitor_counts(deps, exhibitor, event_id)
        rows.append(
            {"exhibitor_id": exhibitor.exhibitor_id, "name": exhibitor.name, **counts.model_dump()}
        )
        for name, value in counts.model_dump().items():
            setattr(total, name, getattr(total, name) + value)
    return total, rows


def _exhibitor_counts(deps: Tracking, exhibitor: Exhibitor, event_id: str) -> Counts:
    counts = Counts()
    for batch in deps.batches.list_batches(exhibitor.exhibitor_id):
        if batch.event_id != event_id:
            continue
        stored = deps.invitations.counts(batch.batch_id)
        counts.codes += batch.quantity if batch.status == "ready" else batch.generated
        counts.assigned += stored.assigned
        counts.invited += stored.invited
    figures = deps.figures.figures(exhibitor.exhibitor_id)
    counts.registered = figures.get("redeemed", 0)
    counts.used = figures.get("used", 0)
    return counts


# ------------------------------------------------------------------------------ writing again


def write_again(
    deps: Tracking,
    messages: MessageStore,
    clock: Clock,
    principal: Principal,
    event_id: str,
    draft: MessageDraft,
) -> ExhibitorMessage:
    """The exhibitor's message to the visitors who registered its codes and agreed at
    registration to be contacted by it. It waits for the platform's review (``submitted``);
    nothing is sent before a reviewer approves it."""
    exhibitor = exhibitor_of(deps.access, principal)
    if exhibitor.event_id != event_id:
        raise NotFound(f"no event {event_id}")
    consenting = sum(
        1
        for voucher in deps.vouchers.redemptions(exhibitor.exhibitor_id)
        if voucher.registration is not None and voucher.registration.contact_consent
    )
    message = ExhibitorMessage(
        message_id=new_id("xms"),
        organizer_id=exhibitor.organizer_id,
        event_id=event_id,
        exhibitor_id=exhibitor.exhibitor_id,
        subject=draft.subject,
        body=draft.body,
        recipients=consenting,
        created_at=clock.now(),
        created_by=principal.key_id,
    )
    messages.add_message(message)
    count("ExhibitorMessagesSubmitted")
    return message


def messages_of(
    deps: Tracking, messages: MessageStore, principal: Principal, event_id: str
) -> list[ExhibitorMessage]:
    require(principal, Role.ORGANIZER, Role.EXHIBITOR, Role.REVIEWER)
    if principal.role is Role.EXHIBITOR:
        own = exhibitor_of(deps.access, principal)
        if own.event_id != event_id:
            raise NotFound(f"no event {event_id}")
        return messages.messages(event_id, own.exhibitor_id)
    event = deps.events.get(event_id)
    if event is None or not principal.owns(event.organizer_id):
        raise NotFound(f"no event {event_id}")
    return messages.messages(event_id, None)

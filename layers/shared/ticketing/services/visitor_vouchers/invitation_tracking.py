"""What became of an exhibitor's invitations (seed 000 "wen Sie bereits eingeladen haben",
seed 001 "Einladungen nachverfolgen"), the organizer's summary per exhibitor, and the
exhibitor writing again to those who registered (and agreed to be contacted)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.ids import new_id
from ticketing.domain.invitations import MessageDraft, Tracked
from ticketing.domain.notifications import Notification, NotificationChange
from ticketing.domain.voucher_counts import Counts
from ticketing.observability import count
from ticketing.services import notifications
from ticketing.services.idempotency import Once
from ticketing.services.roles import require
from ticketing.services.visitor_vouchers import counting
from ticketing.services.visitor_vouchers.batches import exhibitor_of, own_batch

if TYPE_CHECKING:
    from ticketing.domain.parties import Exhibitor
    from ticketing.domain.visitor_vouchers import VoucherBatch
    from ticketing.services.notification_mail import Preview
    from ticketing.services.ports import (
        AccessStore,
        BatchStore,
        EventStore,
        ExhibitorFigures,
        VisitorVoucherStore,
    )
    from ticketing.services.ports_invitations import InvitationStore


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
    """The batch's counts from the tracking's stores (services/visitor_vouchers/counting.py)."""
    return counting.batch_counts(deps.invitations, deps.vouchers, batch)


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
    desk: notifications.Desk,
    principal: Principal,
    event_id: str,
    draft: MessageDraft,
    key: str | None = None,
) -> tuple[Notification, int, bool]:
    """The exhibitor's message to the visitors who registered its codes and agreed at
    registration to be contacted by it: a notification of the tenant with the audience
    ``exhibitor_registrants``, submitted at once to the platform's review, so nothing is sent
    before a reviewer approves it. Answers it, the consenting registrants now, and whether it
    is new (False: a retry with the same Idempotency-Key)."""
    require(principal, Role.EXHIBITOR)
    exhibitor = exhibitor_of(deps.access, principal)
    if exhibitor.event_id != event_id:
        raise NotFound(f"no event {event_id}")
    consenting = consenting_registrants(deps, exhibitor.exhibitor_id)
    request = f"{event_id}\n{exhibitor.exhibitor_id}\n{draft.model_dump_json()}"
    once = Once.of(desk.idempotency, exhibitor.organizer_id, "exhibitor-message", key, request)
    earlier = once.earlier()
    if earlier is not None:
        return _own_message(desk, exhibitor.exhibitor_id, earlier), consenting, False
    notification = _message(desk, principal, exhibitor, event_id, draft)
    notifications.check_links(desk, notification)
    twin = once.write(
        notification.notification_id,
        notification.created_at,
        lambda claim: desk.notifications.add(notification, claim),
    )
    if twin is not None:
        return _own_message(desk, exhibitor.exhibitor_id, twin), consenting, False
    notifications.tell_reviewers(desk, notification)
    count("ExhibitorMessagesSubmitted")
    return notification, consenting, True


def consenting_registrants(deps: Tracking, exhibitor_id: str) -> int:
    """The registrants of the exhibitor's codes who agreed that it may write to them (a walk
    of its registrations, not of its codes)."""
    return sum(
        1
        for voucher in deps.vouchers.redemptions(exhibitor_id)
        if voucher.registration is not None and voucher.registration.contact_consent
    )


def _message(
    desk: notifications.Desk,
    principal: Principal,
    exhibitor: Exhibitor,
    event_id: str,
    draft: MessageDraft,
) -> Notification:
    """The exhibitor's message as it is submitted (stored by ``write_again``, or only shown)."""
    now = desk.clock.now()
    return Notification(
        notification_id=new_id("ntf"),
        organizer_id=exhibitor.organizer_id,
        event_id=event_id,
        kind=draft.kind,
        subject=draft.subject,
        body=draft.body,
        audience="exhibitor_registrants",
        exhibitor_id=exhibitor.exhibitor_id,
        state="submitted",
        created_at=now,
        created_by=principal.key_id,
        updated_at=now,
        submitted_at=now,
    )


def _own_message(desk: notifications.Desk, exhibitor_id: str, notification_id: str) -> Notification:
    found = desk.notifications.get(notification_id)
    if found is None or found.exhibitor_id != exhibitor_id:
        raise NotFound(f"no message {notification_id}")
    return found


def messages_of(
    deps: Tracking, desk: notifications.Desk, principal: Principal, event_id: str
) -> list[Notification]:
    """The exhibitors' messages of the event (an exhibitor: its own), newest first, read from
    the notifications with their review and sending state."""
    require(principal, Role.ORGANIZER, Role.EXHIBITOR, Role.REVIEWER)
    if principal.role is Role.EXHIBITOR:
        own = exhibitor_of(deps.access, principal)
        if own.event_id != event_id:
            raise NotFound(f"no event {event_id}")
        mine = own.exhibitor_id
        return [n for n in desk.notifications.of_event(event_id) if n.exhibitor_id == mine]
    event = deps.events.get(event_id)
    if event is None or not principal.owns(event.organizer_id):
        raise NotFound(f"no event {event_id}")
    return [n for n in desk.notifications.of_event(event_id) if n.exhibitor_id is not None]


def message_view(notification: Notification) -> dict[str, Any]:
    """What the exhibitor reads of its message (``message_id`` is the notification's id)."""
    body = notification.model_dump(
        mode="json",
        exclude={"organizer_id", "created_by", "decided_by", "version", "pages", "cursor"},
    )
    return {"message_id": notification.notification_id, **body}


# ------------------------------------------------------------------------------ asked back


def message_of(
    deps: Tracking, desk: notifications.Desk, principal: Principal, event_id: str, message_id: str
) -> Notification:
    """One of the exhibitor's own messages of its event; another exhibitor's answers as
    missing (404), like one that does not exist."""
    exhibitor = exhibitor_of(deps.access, principal)
    if exhibitor.event_id != event_id:
        raise NotFound(f"no event {event_id}")
    found = _own_message(desk, exhibitor.exhibitor_id, message_id)
    if found.event_id != event_id:
        raise NotFound(f"no message {message_id}")
    return found


def change_message(
    deps: Tracking,
    desk: notifications.Desk,
    principal: Principal,
    event_id: str,
    message_id: str,
    change: NotificationChange,
) -> Notification:
    """The exhibitor changes its message while it is a draft or the reviewer asked back
    (the organizer's rule, ``notifications.edit``: one conditional write on its version;
    any other state answers 409)."""
    found = message_of(deps, desk, principal, event_id, message_id)
    return notifications.edit(desk, found, change)


def submit_message(
    deps: Tracking, desk: notifications.Desk, principal: Principal, event_id: str, message_id: str
) -> Notification:
    """The exhibitor submits its (changed) message to the platform's review again; the
    reviewers are told (``notifications.send_for_review``)."""
    found = message_of(deps, desk, principal, event_id, message_id)
    submitted = notifications.send_for_review(desk, found)
    count("ExhibitorMessagesSubmitted")
    return submitted


def draft_preview(
    deps: Tracking,
    desk: notifications.Desk,
    principal: Principal,
    event_id: str,
    draft: MessageDraft,
) -> tuple[Preview, int]:
    """The mail a registrant would get from ``draft`` (nothing stored), and how many
    registrants agreed to be written to now."""
    exhibitor = exhibitor_of(deps.access, principal)
    if exhibitor.event_id != event_id:
        raise NotFound(f"no event {event_id}")
    shown = message_preview(desk, _message(desk, principal, exhibitor, event_id, draft))
    return shown, consenting_registrants(deps, exhibitor.exhibitor_id)


def message_preview(desk: notifications.Desk, message: Notification) -> Preview:
    """``message`` as a registrant gets it, addressed to a sample registrant: the preview
    never shows a real visitor's order or self-service link to the exhibitor."""
    from ticketing.mail.render import render
    from ticketing.services.notification_mail import (
        Preview,
        holder_mail,
        sample_holder,
        sender_of,
    )

    event = desk.events.get(message.event_id)
    if event is None:
        raise NotFound(f"no event {message.event_id}")
    holder = sample_holder(event, desk.platform_url)
    mail = render(holder_mail(message, event, holder, sender_of(desk.access, message)))
    return Preview(
        to=holder.address,
        order_number=holder.order_number,
        language=holder.language,
        sample=True,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
    )

"""Who may call: authenticating keys, onboarding tenants, creating the parties they manage.

An organizer or exhibitor is welcomed by mail through the outbox: the party, its key and the
pending welcome are one commit, then the mail goes to the queue. With the queue down the
party still gets its key (shown this once) and the recovery schedule sends the welcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from ticketing.domain.errors import Conflict, InvalidRequest, NotFound
from ticketing.domain.gift_parties import (
    Issuer,
    IssuerDraft,
    Merchant,
    MerchantDraft,
    Terminal,
    TerminalDraft,
)
from ticketing.domain.identity import Principal, Role, issue_key
from ticketing.domain.ids import new_id
from ticketing.domain.parties import (
    ApiKeyRecord,
    Exhibitor,
    ExhibitorDraft,
    Organizer,
    OrganizerChange,
    OrganizerDraft,
)
from ticketing.mail.messages import MailRequest
from ticketing.services.authentication import authenticate
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.outbox import Outgoing
    from ticketing.services.ports import AccessStore, EventStore

__all__ = ["authenticate"]  # part of access management, kept lean in its own module

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Created(Generic[T]):
    """A new party and its API key, which is shown this once and never again."""

    party: T
    api_key: str
    key_id: str


def _key_for(
    clock: Clock, role: Role, subject_id: str, organizer_id: str | None, scope: str | None = None
) -> tuple[ApiKeyRecord, str]:
    issued = issue_key()
    record = ApiKeyRecord(
        key_id=issued.key_id,
        secret_hash=issued.secret_hash,
        role=role,
        subject_id=subject_id,
        organizer_id=organizer_id,
        scope=scope,
        created_at=clock.now(),
    )
    return record, issued.token


def create_reviewer(store: AccessStore, clock: Clock, reviewer_id: str | None = None) -> str:
    """A platform staff key. Only operators make these (ticketing-admin, the local stack)."""
    record, token = _key_for(clock, Role.REVIEWER, reviewer_id or new_id("rev"), None)
    store.add_key(record)
    return token


def _welcomed(
    store: AccessStore,
    outgoing: Outgoing,
    party: Organizer | Exhibitor,
    record: ApiKeyRecord,
    welcome: MailRequest,
) -> None:
    """Write the party, its key and its pending welcome together; then queue the welcome."""
    party_id = party.organizer_id if isinstance(party, Organizer) else party.exhibitor_id
    pending = outgoing.pending(welcome, party.created_at, party_id)
    store.add_party(party, record, [outgoing.part_of(pending)])
    outgoing.hand_over(pending)


def onboard_organizer(
    store: AccessStore,
    outgoing: Outgoing,
    clock: Clock,
    principal: Principal,
    draft: OrganizerDraft,
) -> Created[Organizer]:
    """The platform onboards a tenant; the organizer is told by mail, the key goes to staff."""
    require(principal, Role.REVIEWER)
    organizer = Organizer(**draft.model_dump(), organizer_id=new_id("org"), created_at=clock.now())
    record, token = _key_for(clock, Role.ORGANIZER, organizer.organizer_id, organizer.organizer_id)
    _welcomed(
        store,
        outgoing,
        organizer,
        record,
        MailRequest(
            template="organizer_welcome",
            to=[organizer.email],
            language=organizer.language,
            context={
                "organizer_name": organizer.name,
                "organizer_id": organizer.organizer_id,
            },
            request_id=f"welcome-{organizer.organizer_id}",
        ),
    )
    return Created(organizer, token, record.key_id)


def list_organizers(store: AccessStore, principal: Principal) -> list[Organizer]:
    require(principal, Role.REVIEWER)
    return store.list_organizers()


def add_organizer_key(
    store: AccessStore, clock: Clock, principal: Principal, organizer_id: str
) -> Created[Organizer]:
    """Another key for a tenant (rotation): the reviewer, or the organizer itself."""
    require(principal, Role.REVIEWER, Role.ORGANIZER)
    organizer = store.get_organizer(organizer_id)
    if organizer is None or not principal.owns(organizer.organizer_id):
        raise NotFound(f"no organizer {organizer_id}")
    record, token = _key_for(clock, Role.ORGANIZER, organizer_id, organizer_id)
    store.add_key(record)
    return Created(organizer, token, record.key_id)


def change_organizer(
    store: AccessStore, principal: Principal, organizer_id: str, change: OrganizerChange
) -> Organizer:
    """The organizer's settings (address, tax ids, bank, links): by itself or the reviewer.
    Only the fields sent change; ``null`` clears one (a field with a default goes back to it:
    ``small_business`` to false, ``payment_days`` to 14); the name and language cannot be
    cleared. One conditional write."""
    require(principal, Role.REVIEWER, Role.ORGANIZER)
    organizer = store.get_organizer(organizer_id)
    if organizer is None or not principal.owns(organizer.organizer_id):
        raise NotFound(f"no organizer {organizer_id}")
    sent = change.model_fields_set
    for required in ("name", "language"):
        if required in sent and getattr(change, required) is None:
            raise InvalidRequest(f"{required} cannot be cleared", field=required)
    merged = {**organizer.model_dump(), **change.model_dump(include=sent)}
    for field in sent:
        if merged[field] is None:
            merged[field] = Organizer.model_fields[field].get_default()
    # the change was checked as it came in; what is stored is read as written
    valid = Organizer.model_validate(merged, context={"stored": True})
    updated = valid.model_dump(mode="json", exclude_none=True)
    changed = store.update_organizer(organizer_id, {field: updated.get(field) for field in sent})
    if changed is None:
        raise NotFound(f"no organizer {organizer_id}")
    return changed


def create_exhibitor(
    store: AccessStore,
    events: EventStore,
    outgoing: Outgoing,
    clock: Clock,
    principal: Principal,
    draft: ExhibitorDraft,
) -> Created[Exhibitor]:
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    event = events.get(draft.event_id)
    if event is None or not principal.owns(event.organizer_id):
        raise NotFound(f"no event {draft.event_id}")
    exhibitor = Exhibitor(
        **draft.model_dump(),
        exhibitor_id=new_id("exh"),
        organizer_id=principal.organizer_id,
        created_at=clock.now(),
    )
    record, token = _key_for(
        clock, Role.EXHIBITOR, exhibitor.exhibitor_id, principal.organizer_id, event.event_id
    )
    organizer = store.get_organizer(principal.organizer_id)
    _welcomed(
        store,
        outgoing,
        exhibitor,
        record,
        MailRequest(
            template="exhibitor_welcome",
            to=[exhibitor.email],
            language=event.language,
            context={
                "exhibitor_name": exhibitor.name,
                "event_name": event.name,
                "organizer_name": organizer.name if organizer else "",
                # the organizer speaks: its name shown, answers to its contact address
                "sender_name": organizer.name if organizer else "",
                "reply_to": str(organizer.contact_email or organizer.email) if organizer else "",
            },
            request_id=f"welcome-{exhibitor.exhibitor_id}",
        ),
    )
    return Created(exhibitor, token, record.key_id)


def list_exhibitors(store: AccessStore, principal: Principal) -> list[Exhibitor]:
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    return store.list_exhibitors(principal.organizer_id)


def create_merchant(
    store: AccessStore, clock: Clock, principal: Principal, draft: MerchantDraft
) -> Merchant:
    """A partner merchant; it holds no key itself, its terminals do."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    merchant = Merchant(
        **draft.model_dump(),
        merchant_id=new_id("mer"),
        organizer_id=principal.organizer_id,
        created_at=clock.now(),
    )
    store.add_party(merchant, None)
    return merchant


def list_merchants(store: AccessStore, principal: Principal) -> list[Merchant]:
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    return store.list_merchants(principal.organizer_id)


def create_terminal(
    store: AccessStore, clock: Clock, principal: Principal, merchant_id: str, draft: TerminalDraft
) -> Created[Terminal]:
    """A merchant's verification terminal; its key may only validate and redeem."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    merchant = store.get_merchant(merchant_id)
    if merchant is None or not principal.owns(merchant.organizer_id):
        raise NotFound(f"no merchant {merchant_id}")
    terminal_id = new_id("trm")
    record, token = _key_for(
        clock, Role.TERMINAL, terminal_id, principal.organizer_id, merchant.merchant_id
    )
    terminal = Terminal(
        **draft.model_dump(),
        terminal_id=terminal_id,
        merchant_id=merchant.merchant_id,
        organizer_id=principal.organizer_id,
        created_at=record.created_at,
        key_id=record.key_id,  # revoking the terminal revokes this key
    )
    store.add_party(terminal, record)
    return Created(terminal, token, record.key_id)


def create_issuer(
    store: AccessStore, clock: Clock, principal: Principal, draft: IssuerDraft
) -> Created[Issuer]:
    """A partner system (a loyalty programme) that issues gift vouchers."""
    require(principal, Role.ORGANIZER)
    assert principal.organizer_id is not None
    issuer = Issuer(
        **draft.model_dump(),
        issuer_id=new_id("iss"),
        organizer_id=principal.organizer_id,
        created_at=clock.now(),
    )
    record, token = _key_for(clock, Role.ISSUER, issuer.issuer_id, principal.organizer_id)
    store.add_party(issuer, record)
    return Created(issuer, token, record.key_id)


def revoke_key(store: AccessStore, clock: Clock, principal: Principal, key_id: str) -> None:
    """Revoke a key at once. An organizer revokes its own tenant's keys; a reviewer any key."""
    require(principal, Role.ORGANIZER, Role.REVIEWER)
    tenant = None if principal.role is Role.REVIEWER else principal.organizer_id
    store.revoke_key(key_id, tenant, clock.now())


def cancel_exhibitor(
    store: AccessStore, clock: Clock, principal: Principal, exhibitor_id: str
) -> Exhibitor:
    """Seed 000: an exhibitor cancels its stand. Its codes stay valid for its customers, and
    it is still billed for the ones they use; it can order no new ones."""
    require(principal, Role.ORGANIZER)
    exhibitor = store.get_exhibitor(exhibitor_id)
    if exhibitor is None or not principal.owns(exhibitor.organizer_id):
        raise NotFound(f"no exhibitor {exhibitor_id}")
    if not store.cancel_exhibitor(exhibitor_id, clock.now()):
        raise Conflict(f"exhibitor {exhibitor_id} was cancelled before")
    cancelled = store.get_exhibitor(exhibitor_id)
    assert cancelled is not None
    return cancelled

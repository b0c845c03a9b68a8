"""Erasing a person under one organizer (issue 17): requested at once, done behind a queue.

The request records the erasure (a keyed hash of the address, never the address) and queues
it; the worker walks the person index: each entry's order, its positions, voucher registration,
claim, namesake, search entry, mail records and documents lose the person, then the entry goes
in one commit with the counts it adds (a sent mail's entry is its own record: it just goes).
A redelivered message resumes where the last stopped: every step is idempotent and a forgotten
entry is not counted twice. Reads grow with the person's own items, never with the organizer's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.domain.erasure import Erasure, PersonEntry, no_counts
from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.observability import count
from ticketing.services.idempotency import Once
from ticketing.services.ports_privacy import (
    DocumentRemoval,
    ErasureQueue,
    ErasureStore,
    PersonalData,
    PersonalGifts,
    PersonalInvitations,
    PersonIndex,
    export_prefix,
)
from ticketing.services.roles import require

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.domain.orders import Order
    from ticketing.services.ports import (
        AccessStore,
        DocumentStore,
        EventStore,
        IdempotencyStore,
        OrderStore,
        Transactions,
    )


@dataclass(frozen=True, slots=True)
class ErasureDesk:
    """What erasing a person needs."""

    people: PersonIndex
    data: PersonalData
    erasures: ErasureStore
    queue: ErasureQueue
    orders: OrderStore
    events: EventStore
    organizers: AccessStore
    docs: DocumentStore
    removal: DocumentRemoval
    clock: Clock
    gifts: PersonalGifts | None = None  # gift vouchers issued to the person, complaints
    # a retried request (the same Idempotency-Key) answers the first erasure
    transactions: Transactions | None = None
    idempotency: IdempotencyStore | None = None
    invitations: PersonalInvitations | None = None  # an exhibitor's invitations of the person


def request_erasure(
    deps: ErasureDesk, principal: Principal, email: str, key: str | None = None
) -> Erasure:
    """Record and queue the erasure of ``email`` under the caller's organizer.

    An address that has nothing is answered the same: a record, queued, that touches nothing.
    A retry with the same ``key`` (``Idempotency-Key``) answers the first request's erasure.
    """
    require(principal, Role.ORGANIZER)
    organizer_id = principal.organizer_id
    assert organizer_id is not None
    once = None
    if key is not None and deps.idempotency is not None and deps.transactions is not None:
        request = deps.people.erased_hash(organizer_id, email)  # the address, never as written
        once = Once.of(deps.idempotency, organizer_id, "erasure", key, request)
        earlier = once.earlier()
        if earlier is not None:
            return _answered_again(deps, earlier)
    erased = deps.people.erased_hash(organizer_id, email)
    erasure = Erasure(
        erasure_id=secrets.token_urlsafe(16),
        organizer_id=organizer_id,
        person=deps.people.person(organizer_id, email),
        erased=erased,
        requested_at=deps.clock.now(),
        already_erased=deps.erasures.erased_before(organizer_id, erased),
    )
    # the consent record is keyed by the address itself: the worker never learns it
    erasure.counts["consents"] = deps.data.erase_consent(organizer_id, email)
    if once is None or deps.transactions is None:
        deps.erasures.start(erasure)
    else:
        tx = deps.transactions
        started = deps.erasures.starting(erasure)
        twin = once.write(
            erasure.erasure_id, erasure.requested_at, lambda c: tx.commit([started, *c])
        )
        if twin is not None:
            return _answered_again(deps, twin)
    deps.queue.send(erasure.erasure_id)
    count("ErasuresRequested")
    return erasure


def _answered_again(deps: ErasureDesk, erasure_id: str) -> Erasure:
    """The erasure a retried request made first; queued again if it may not have been (the
    first request may have stopped between its commit and the queue: running it is idempotent)."""
    erasure = deps.erasures.get(erasure_id)
    if erasure is None:  # pragma: no cover - written in the same commit as the key's claim
        raise NotFound("There is no erasure with this id.", message_id="problem.erasure.unknown")
    if erasure.state == "queued":
        deps.queue.send(erasure_id)
    return erasure


def erasure_status(deps: ErasureDesk, principal: Principal, erasure_id: str) -> Erasure:
    require(principal, Role.ORGANIZER)
    erasure = deps.erasures.get(erasure_id)
    if erasure is None or erasure.organizer_id != principal.organizer_id:
        raise NotFound("There is no erasure with this id.", message_id="problem.erasure.unknown")
    return erasure


def run_erasure(deps: ErasureDesk, erasure_id: str) -> Erasure | None:
    """Do (or resume) the erasure ``erasure_id``; a done one is left as it is."""
    erasure = deps.erasures.get(erasure_id)
    if erasure is None or erasure.state == "done":
        return erasure
    deps.erasures.running(erasure_id)
    for entry in deps.people.entries(erasure.organizer_id, erasure.person):
        deps.data.forget(erasure, entry, _erase_entry(deps, erasure, entry))
    # the person's own exports (the portal's "send me my data"), before they expire
    for key in sorted(deps.docs.keys_under(export_prefix(erasure.organizer_id, erasure.person))):
        deps.removal.delete(key)
    done = deps.erasures.get(erasure_id) or erasure
    deps.erasures.finish(done, deps.clock.now())
    count("ErasuresDone")
    return deps.erasures.get(erasure_id)


def _erase_entry(deps: ErasureDesk, erasure: Erasure, entry: PersonEntry) -> dict[str, int]:
    """What erasing the item of ``entry`` touched (nothing when it is gone or not theirs)."""
    if entry.kind == "order":
        order = deps.orders.get(entry.ref)
        if order is not None and _still_theirs(deps, order, erasure):
            return erase_order(deps, order)
        return no_counts()
    if entry.kind == "invitation":
        return _erase_invitation(deps, erasure, entry.ref)
    if entry.kind == "mail":  # the entry is the record (its subject may name them): it goes
        counts = no_counts()
        counts["mail_records"] = 1
        return counts
    if deps.gifts is None:
        return no_counts()
    if entry.kind == "gift":
        voucher = deps.gifts.gift(entry.ref)
        email = None if voucher is None else voucher.recipient.email
        if voucher is None or voucher.organizer_id != erasure.organizer_id:
            return no_counts()
        if email is not None and deps.people.person(voucher.organizer_id, email) != erasure.person:
            return no_counts()  # the entry is another person's now (never re-addressed today)
        return deps.gifts.erase_gift(entry.ref)
    complaint = deps.gifts.complaint(entry.ref)
    if complaint is None or complaint.organizer_id != erasure.organizer_id:
        return no_counts()
    return deps.gifts.erase_complaint(entry.ref)


def _erase_invitation(deps: ErasureDesk, erasure: Erasure, ref: str) -> dict[str, int]:
    batch_id, _, code = ref.partition("/")
    found = None if deps.invitations is None else deps.invitations.invitation(batch_id, code)
    if deps.invitations is None or found is None or found.organizer_id != erasure.organizer_id:
        return no_counts()
    return deps.invitations.erase_invitation(batch_id, code)


def _still_theirs(deps: ErasureDesk, order: Order, erasure: Erasure) -> bool:
    """The order is the person's (its address was not changed to another's since), or it
    was left half erased by an earlier run."""
    if order.organizer_id != erasure.organizer_id:
        return False
    email = order.customer.email
    if email is None:
        return True
    return deps.people.person(order.organizer_id, str(email)) == erasure.person


def erase_order(deps: ErasureDesk, order: Order) -> dict[str, int]:
    """One order and everything hanging on it, without the person (retention uses it too)."""
    counts = deps.data.erase_order(order)
    for key in sorted(deps.docs.keys_under(f"tickets/{order.order_number}/")):
        counts["documents"] += int(deps.removal.delete(key))
    if order.invoice_number is not None:
        counts["invoices_rebuilt"] += _rebuild_invoice(deps, order, order.invoice_number)
    return counts


def _rebuild_invoice(deps: ErasureDesk, order: Order, number: str) -> int:
    """The invoice's current version without the buyer; the locked original stays until its
    retention ends (S3 Object Lock: docs/decision_log.md, 2026-12-02). An invoice never built
    needs nothing: it is built on demand from the order, which no longer names the buyer."""
    # the invoice's code is loaded only by an erasure that meets an invoice (cold start)
    from ticketing.domain.invoices import retained_until
    from ticketing.domain.orders import anonymized
    from ticketing.services.documents import PDF, invoice_key, invoice_view

    key = invoice_key(order, number)
    if not deps.docs.exists(key):
        return 0
    event = deps.events.get(order.event_id)
    organizer = deps.organizers.get_organizer(order.organizer_id)
    if event is None or organizer is None:
        return 0  # nothing to rebuild it from; the locked original stays as it must
    from ticketing.documents.invoice_pdf import render_invoice  # fpdf2: only when rendering

    invoiced_at = order.invoiced_at or order.created_at
    data = render_invoice(invoice_view(anonymized(order), event, organizer, number, invoiced_at))
    deps.docs.put(key, data, PDF, until=retained_until(invoiced_at))
    return 1

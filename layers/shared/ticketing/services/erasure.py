"""Erasing a person under one organizer (issue 17): requested at once, done behind a queue.

The request records the erasure (a keyed hash of the address, never the address) and queues
it; the worker walks the person index: each entry's order, its positions, voucher registration,
claim, namesake, search entry, mail records and documents lose the person, then the entry goes
in one commit with the counts it adds. A redelivered message resumes where the last stopped:
every step is idempotent and a forgotten entry is not counted twice. Reads grow with the
person's own items, never with the organizer's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from ticketing.clock import Clock
from ticketing.domain.erasure import Erasure, anonymized, no_counts
from ticketing.domain.errors import NotFound
from ticketing.domain.identity import Principal, Role
from ticketing.domain.invoices import retained_until
from ticketing.domain.orders import Order
from ticketing.observability import count
from ticketing.services.documents import PDF, invoice_key, invoice_view
from ticketing.services.ports import AccessStore, DocumentStore, EventStore, OrderStore
from ticketing.services.ports_privacy import (
    DocumentRemoval,
    ErasureQueue,
    ErasureStore,
    PersonalData,
    PersonIndex,
)
from ticketing.services.roles import require


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


def request_erasure(deps: ErasureDesk, principal: Principal, email: str) -> Erasure:
    """Record and queue the erasure of ``email`` under the caller's organizer.

    An address that has nothing is answered the same: a record, queued, that touches nothing.
    """
    require(principal, Role.ORGANIZER)
    organizer_id = principal.organizer_id
    assert organizer_id is not None
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
    deps.erasures.start(erasure)
    deps.queue.send(erasure.erasure_id)
    count("ErasuresRequested")
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
        order = deps.orders.get(entry.ref)
        counts = no_counts()
        if order is not None and _still_theirs(deps, order, erasure):
            counts = erase_order(deps, order)
        deps.data.forget(erasure, entry, counts)
    done = deps.erasures.get(erasure_id) or erasure
    deps.erasures.finish(done, deps.clock.now())
    count("ErasuresDone")
    return deps.erasures.get(erasure_id)


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
    key = invoice_key(order, number)
    if not deps.docs.exists(key):
        return 0
    event = deps.events.get(order.event_id)
    organizer = deps.organizers.get_organizer(order.organizer_id)
    if event is None or organizer is None:
        return 0  # nothing to rebuild it from; the locked original stays as it must
    from ticketing.documents.invoice_pdf import render_invoice

    invoiced_at = order.invoiced_at or order.created_at
    data = render_invoice(invoice_view(anonymized(order), event, organizer, number, invoiced_at))
    deps.docs.put(key, data, PDF, until=retained_until(invoiced_at))
    return 1

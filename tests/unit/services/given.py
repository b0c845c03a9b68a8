"""What service tests start from, written through the fakes: a fair, an exhibitor with issued
visitor vouchers, a booked order."""

from __future__ import annotations

from datetime import datetime

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from ticketing.domain.events import Event
from ticketing.domain.orders import Order
from ticketing.domain.parties import Exhibitor
from ticketing.domain.visitor_vouchers import RegistrationForm, VoucherBatch
from ticketing.domain.voucher_codes import new_code


def a_fair(platform: FakePlatform, capacity: int = 100, **times: str) -> Event:
    event = samples.a_fair(capacity, **times)
    platform.events.add(event)
    return event


def an_exhibitor(platform: FakePlatform, event: Event) -> Exhibitor:
    exhibitor = samples.an_exhibitor(event)
    platform.access.add_party(exhibitor, None)
    return exhibitor


def issued_vouchers(
    platform: FakePlatform,
    event: Event,
    exhibitor: Exhibitor,
    count: int,
    valid_until: datetime | None = None,
    valid_from: datetime | None = None,
) -> tuple[VoucherBatch, list[str]]:
    """A ready batch of ``count`` codes, as the worker leaves it."""
    batch = samples.a_batch(
        event, exhibitor.exhibitor_id, count, valid_until, created_at=platform.clock.now()
    )
    if valid_from is not None:
        batch = batch.model_copy(update={"valid_from": valid_from})
    platform.batches.add_batch(batch)
    codes = [new_code() for _ in range(count)]
    platform.batches.write_codes(batch, 0, codes)
    platform.batches.finish_batch(batch, platform.clock.now())
    ready = platform.batches.get_batch(batch.batch_id)
    assert ready is not None
    return ready, codes


def a_visitor(email: str = "erika@example.org", event_id: str | None = None) -> RegistrationForm:
    return RegistrationForm(
        first_name="Erika",
        last_name="Mustermann",
        email=email,
        company="Waldbau Schmidt",
        event_id=event_id,
    )


def a_booked_order(platform: FakePlatform, event: Event, quantity: int = 1, **fields: str) -> Order:
    """An order placed through the stores, as a booking leaves it."""
    order = samples.an_order(event, quantity, at=platform.clock.now(), **fields)
    platform.transactions.commit(platform.orders.placement(order, event.capacity))
    stored = platform.orders.get(order.order_number)
    assert stored is not None
    return stored

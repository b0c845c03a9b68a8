"""The same scenarios against the in-memory fakes and the DynamoDB adapters on moto.

Every port with a conditional write is here: what the fakes promise the service tests is what
DynamoDB does. A scenario that passes on one backend only is a fake that lies, or an adapter
that does not do what its port says.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import cast

import pytest

from tests.fakes import samples
from tests.fakes.events import FakeEventStore
from tests.fakes.platform import FakePlatform
from ticketing.domain.events import Event
from ticketing.domain.figures import EventFigures, OptionFigures
from ticketing.domain.orders import Order
from ticketing.domain.visitor_vouchers import Registration, VisitorVoucher, VoucherBatch
from ticketing.domain.voucher_codes import new_code
from ticketing.services.ports import (
    AccessStore,
    AlreadyCheckedIn,
    Attempts,
    BatchStore,
    CodesTaken,
    EventStore,
    ExhibitorFigures,
    IdempotencyRecord,
    IdempotencyStore,
    OrderStore,
    Outbox,
    Part,
    ProgressMoved,
    Transactions,
    VisitorVoucherStore,
    WriteRefused,
)
from ticketing.services.ports_dashboard import EventFigureStore

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@dataclass
class Ports:
    backend: str
    transactions: Transactions
    events: EventStore
    orders: OrderStore
    idempotency: IdempotencyStore
    attempts: Attempts
    outbox: Outbox
    batches: BatchStore
    vouchers: VisitorVoucherStore
    figures: ExhibitorFigures


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        fake = FakePlatform()
        return Ports(
            "fake",
            fake.transactions,
            fake.events,
            fake.orders,
            fake.idempotency,
            fake.attempts,
            fake.outbox,
            fake.batches,
            fake.vouchers,
            fake.figures,
        )
    request.getfixturevalue("aws")
    from ticketing.adapters.attempts import DynamoAttempts
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.outbox import DynamoOutbox
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore, DynamoExhibitorFigures

    return Ports(
        "dynamodb",
        DynamoTransactions(),
        DynamoEventStore(),
        DynamoOrderStore(),
        DynamoIdempotencyStore(),
        DynamoAttempts(),
        DynamoOutbox(),
        DynamoBatchStore(),
        DynamoVisitorVoucherStore(),
        DynamoExhibitorFigures(),
    )


def refused(commit: Callable[[], object]) -> list[str]:
    with pytest.raises(WriteRefused) as caught:
        commit()
    return caught.value.labels


def a_fair(ports: Ports, capacity: int = 5, **times: str) -> Event:
    event = samples.a_fair(capacity, **times)
    ports.events.add(event)
    return event


def place(ports: Ports, order: Order, capacity: int, *also: Part) -> None:
    ports.transactions.commit([*ports.orders.placement(order, capacity), *also])


def a_claim(ports: Ports, key: str = "key-1", scope: str = "org#booking") -> Part:
    return ports.idempotency.claim(scope, key, IdempotencyRecord("result", "hash"), NOW)


# ------------------------------------------------------------------------------ placing orders


def test_an_order_takes_its_places_and_is_read_back_with_every_position(ports: Ports) -> None:
    event = a_fair(ports, capacity=200)
    order = samples.an_order(event, quantity=150)

    place(ports, order, event.capacity)

    stored = ports.orders.get(order.order_number)
    assert stored is not None
    assert [p.position_id for p in stored.positions] == [p.position_id for p in order.positions]
    header = ports.orders.get_header(order.order_number)
    assert header is not None
    assert header.positions == []
    assert ports.events.get(event.event_id).sold == 150  # type: ignore[union-attr]


def test_an_order_beyond_the_places_left_is_refused_and_writes_nothing(ports: Ports) -> None:
    event = a_fair(ports, capacity=5)
    place(ports, samples.an_order(event, quantity=3), 5)
    second = samples.an_order(event, quantity=3)

    assert refused(lambda: place(ports, second, 5)) == ["capacity"]
    assert ports.orders.get(second.order_number) is None
    assert ports.events.get(event.event_id).sold == 3  # type: ignore[union-attr]


def test_more_tickets_than_the_capacity_are_refused_before_any_write(ports: Ports) -> None:
    event = a_fair(ports, capacity=2)
    assert refused(lambda: ports.orders.placement(samples.an_order(event, quantity=3), 2)) == [
        "capacity"
    ]


def test_a_capacity_changed_since_it_was_read_refuses_the_order(ports: Ports) -> None:
    event = a_fair(ports, capacity=5)
    order = samples.an_order(event, quantity=1)
    assert refused(lambda: place(ports, order, 4)) == ["capacity"]
    assert ports.orders.get(order.order_number) is None


def test_a_taken_order_number_is_refused_and_takes_no_places(ports: Ports) -> None:
    event = a_fair(ports, capacity=5)
    first = samples.an_order(event)
    place(ports, first, 5)
    twin = samples.an_order(event, quantity=2, number=first.order_number)

    assert refused(lambda: place(ports, twin, 5)) == ["order"]
    assert ports.events.get(event.event_id).sold == 1  # type: ignore[union-attr]
    assert ports.orders.get(first.order_number).quantity == 1  # type: ignore[union-attr]


def test_every_failing_part_is_named_in_the_order_of_the_parts(ports: Ports) -> None:
    event = a_fair(ports, capacity=2)
    first = samples.an_order(event, quantity=2)
    place(ports, first, 2, a_claim(ports))
    twin = samples.an_order(event, quantity=1, number=first.order_number)

    labels = refused(lambda: place(ports, twin, 2, a_claim(ports)))

    assert labels == ["capacity", "order", "idempotency"]


def test_pending_mail_is_written_with_the_order_and_listed_until_removed(ports: Ports) -> None:
    from ticketing.services.ordering import confirmation_request

    event = a_fair(ports)
    order = samples.an_order(event)
    pending = ports.outbox.pending(confirmation_request(order, "confirm-1"), NOW, "x")
    place(ports, order, event.capacity, ports.outbox.part_of(pending))

    assert ports.outbox.pending_mail(older_than=NOW) == []
    [listed] = ports.outbox.pending_mail(older_than=NOW + timedelta(minutes=2))
    assert listed.request == pending.request
    ports.outbox.remove(listed)
    assert ports.outbox.pending_mail(older_than=NOW + timedelta(minutes=2)) == []


# ------------------------------------------------------------------------------ guards


def test_an_idempotency_key_is_taken_once_per_scope(ports: Ports) -> None:
    assert ports.idempotency.find("org#booking", "key-1") is None
    ports.transactions.commit([a_claim(ports)])

    assert ports.idempotency.find("org#booking", "key-1") == IdempotencyRecord("result", "hash")
    assert refused(lambda: ports.transactions.commit([a_claim(ports)])) == ["idempotency"]
    ports.transactions.commit([a_claim(ports, scope="org#event")])


def test_a_commit_may_write_each_item_once(ports: Ports) -> None:
    with pytest.raises(Exception) as twice:  # noqa: PT011 - DynamoDB: a ValidationException
        ports.transactions.commit([a_claim(ports), a_claim(ports)])

    assert not isinstance(twice.value, WriteRefused)
    assert ports.idempotency.find("org#booking", "key-1") is None


def test_an_event_whose_idempotency_key_is_taken_is_not_written(ports: Ports) -> None:
    ports.transactions.commit([a_claim(ports)])
    event = samples.a_fair()

    assert refused(lambda: ports.events.add(event, also=[a_claim(ports)])) == ["idempotency"]
    assert ports.events.get(event.event_id) is None
    ports.events.add(event)
    assert refused(lambda: ports.events.add(event)) == ["event"]


def test_attempts_hold_below_the_limit_and_count_each_failure(ports: Ports) -> None:
    now, window = 1_800_000_000_000, 600_000
    assert ports.attempts.recent("203.0.113.10", now, window) == []
    counted = [ports.attempts.record_failure("203.0.113.10", now + i, window, 3) for i in range(2)]

    assert counted == [[now], [now, now + 1]]
    assert ports.attempts.recent("203.0.113.10", now + 2, window) == [now, now + 1]
    ports.transactions.commit([ports.attempts.below("203.0.113.10", now + 2), a_claim(ports)])
    ports.attempts.record_failure("203.0.113.10", now + 2, window, 3)  # the third: refused
    refused_now = ports.attempts.below("203.0.113.10", now + 3)
    labels = refused(lambda: ports.transactions.commit([refused_now, a_claim(ports, "key-2")]))
    assert labels == ["attempts"]
    assert ports.attempts.recent("203.0.113.11", now, window) == []
    # refused until the oldest of the three is a window old
    ports.transactions.commit([ports.attempts.below("203.0.113.10", now + window)])


def test_attempts_slide_with_time_across_a_clock_boundary(ports: Ports) -> None:
    # 09:59:55 to 10:00:05: what used to start a new window changes nothing
    start, window = int(datetime(2026, 5, 4, 9, 59, 55, tzinfo=UTC).timestamp() * 1000), 600_000
    for second in range(11):
        recent = ports.attempts.record_failure("203.0.113.10", start + second * 1000, window, 10)
    assert len(recent) == 11  # the limit and one more are kept: "more than ten"
    assert refused(
        lambda: ports.transactions.commit([ports.attempts.below("203.0.113.10", start + 11_000)])
    ) == ["attempts"]

    later = start + window + 5_000  # the first five have left the window
    assert len(ports.attempts.recent("203.0.113.10", later, window)) == 5


def test_link_secrets_are_read_alone_and_only_for_an_existing_order(ports: Ports) -> None:
    from tests.fakes import FakeLinkSecrets
    from ticketing.adapters.link_secrets import DynamoLinkSecrets

    secrets = (
        FakeLinkSecrets(ports.orders.db)  # type: ignore[attr-defined]
        if ports.backend == "fake"
        else DynamoLinkSecrets()
    )
    event = a_fair(ports)
    order = samples.an_order(event, 2, at=NOW)
    place(ports, order, event.capacity)
    second = order.positions[1]

    assert secrets.self_service_secret(order.order_number) == order.self_service_secret
    token = second.download_token
    assert secrets.download_token(order.order_number, token) == token
    assert secrets.self_service_secret("00XX-000000-000000") is None
    assert secrets.download_token(order.order_number, f"{token[:-1]}~") is None
    assert secrets.download_token("00XX-000000-000000", token) is None


# ------------------------------------------------------------------------------ visitor vouchers


def issued(ports: Ports, event: Event, count: int, **batch: datetime) -> VoucherBatch:
    made = samples.a_batch(event, "exh_huber0000000000", count, **batch)
    ports.batches.add_batch(made)
    ports.batches.write_codes(made, 0, [new_code() for _ in range(count)])
    return made


def voucher(ports: Ports, code: str) -> VisitorVoucher:
    found = ports.vouchers.get_voucher(code)
    assert found is not None
    return found


def registration_of(code: str, email: str) -> Registration:
    return Registration(
        code=code,
        first_name="Erika",
        last_name="Mustermann",
        email=email,
        order_number="72BE-040526-000001",
        redeemed_at=NOW,
    )


def register(ports: Ports, code: str, mailbox: str, namesake: str | None = None) -> None:
    found = voucher(ports, code)
    registration = registration_of(code, mailbox)
    if namesake is not None and ports.vouchers.namesake(found.event_id, namesake) is not None:
        registration = registration.model_copy(update={"possible_duplicate": True})
    # a namesake of its own unless given: the scenarios below are about vouchers and claims
    named = namesake or uuid.uuid4().hex
    parts = ports.vouchers.registration(found, registration, mailbox, named)
    ports.transactions.commit([*parts, ports.figures.counted(found.exhibitor_id, "redeemed", 1)])


def test_a_voucher_is_registered_once_and_a_mailbox_claims_once_per_event(ports: Ports) -> None:
    event = a_fair(ports)
    first, second = list(ports.batches.batch_codes(issued(ports, event, 2).batch_id))

    register(ports, first, "erika@example.org")

    assert voucher(ports, first).state == "redeemed"
    assert voucher(ports, first).registration == registration_of(first, "erika@example.org")
    assert [v.code for v in ports.vouchers.redemptions("exh_huber0000000000")] == [first]
    assert refused(lambda: register(ports, first, "max@example.org")) == ["voucher"]
    assert refused(lambda: register(ports, second, "erika@example.org")) == ["claim"]
    assert refused(lambda: register(ports, first, "erika@example.org")) == ["voucher", "claim"]
    assert voucher(ports, second).state == "issued"
    assert ports.figures.figures("exh_huber0000000000")["redeemed"] == 1


def test_namesakes_are_counted_and_the_earlier_one_is_flagged(ports: Ports) -> None:
    event = a_fair(ports)
    first, second, third = list(ports.batches.batch_codes(issued(ports, event, 3).batch_id))
    register(ports, first, "erika@example.org", "erika-mustermann")
    assert ports.vouchers.namesake(event.event_id, "erika-mustermann") == first

    found = voucher(ports, second)
    not_flagged = registration_of(second, "erika@example.com")  # as if none had been there
    parts = ports.vouchers.registration(found, not_flagged, "erika@example.com", "erika-mustermann")
    assert refused(lambda: ports.transactions.commit(parts)) == ["namesake"]
    register(ports, second, "erika@example.com", "erika-mustermann")
    ports.vouchers.mark_possible_duplicate(first)
    ports.vouchers.mark_possible_duplicate(third)  # not registered: nothing to flag

    flags = [voucher(ports, c).registration for c in (first, second, third)]
    assert [r.possible_duplicate if r else None for r in flags] == [True, True, None]
    assert ports.vouchers.namesake(event.event_id, "erika-mustermann") == first


def test_codes_and_progress_are_written_together(ports: Ports) -> None:
    event = a_fair(ports)
    batch = samples.a_batch(event, "exh_huber0000000000", 5)
    ports.batches.add_batch(batch)
    codes = [new_code() for _ in range(3)]

    ports.batches.write_codes(batch, 0, codes)

    stored = ports.batches.get_batch(batch.batch_id)
    assert stored is not None
    assert (stored.status, stored.generated) == ("generating", 3)
    assert list(ports.batches.batch_codes(batch.batch_id)) == codes
    made = voucher(ports, codes[0])
    assert (made.state, made.batch_id, made.valid_until) == (
        "issued",
        batch.batch_id,
        event.ends_at,
    )
    with pytest.raises(ProgressMoved):  # this chunk is written: refused as a whole
        ports.batches.write_codes(batch, 0, [new_code()])
    assert ports.batches.get_batch(batch.batch_id).generated == 3  # type: ignore[union-attr]
    later = [new_code()]
    ports.batches.write_codes(batch, 2, later)  # chunks go in any order
    assert ports.batches.written_chunks(batch.batch_id) == {0, 2}
    ports.batches.write_codes(batch, 1, [new_code()])
    stored = ports.batches.get_batch(batch.batch_id)
    assert stored is not None
    assert stored.generated == 5
    assert ports.batches.written_chunks(batch.batch_id) == {0, 1, 2}
    assert voucher(ports, later[0]).batch_id == batch.batch_id
    assert ports.batches.written_chunks("no-such-batch") == set()


def test_open_batches_are_found_by_their_last_progress_and_restarted_once(ports: Ports) -> None:
    event = a_fair(ports)
    stuck, moving, done = (samples.a_batch(event, "exh_huber0000000000", 5) for _ in range(3))
    for batch in (stuck, moving, done):
        ports.batches.add_batch(batch)
    ports.batches.write_codes(moving, 0, [new_code()], at=NOW + timedelta(minutes=9))
    ports.batches.write_codes(done, 0, [new_code() for _ in range(5)], at=NOW)
    ports.batches.finish_batch(done, NOW)

    found = ports.batches.stalled_batches(NOW + timedelta(minutes=5))
    assert [b.batch_id for b in found] == [stuck.batch_id]
    assert (found[0].progress_at, found[0].restarts) == (stuck.created_at, 0)

    later = NOW + timedelta(minutes=10)
    assert ports.batches.restart_batch(found[0], later) is True
    assert ports.batches.restart_batch(found[0], later) is False  # it moved since it was read
    restarted = ports.batches.get_batch(stuck.batch_id)
    assert restarted is not None
    assert (restarted.progress_at, restarted.restarts) == (later, 1)
    assert ports.batches.stalled_batches(NOW + timedelta(minutes=10)) == [
        ports.batches.get_batch(moving.batch_id)
    ]

    ports.batches.write_codes(restarted, 0, [new_code()], at=later + timedelta(minutes=1))
    ports.batches.touch_batch(stuck.batch_id, later + timedelta(minutes=2))
    moved = ports.batches.get_batch(stuck.batch_id)
    assert moved is not None
    assert (moved.progress_at, moved.restarts) == (later + timedelta(minutes=2), 0)
    ports.batches.fail_batch(moving.batch_id, later, "given up")
    assert ports.batches.stalled_batches(later + timedelta(hours=1)) == [moved]
    with pytest.raises(ProgressMoved):  # a closed batch takes no more codes
        ports.batches.write_codes(done, 1, [new_code()], at=later)


def test_codes_another_batch_drew_are_named_by_their_position(ports: Ports) -> None:
    event = a_fair(ports)
    theirs = list(ports.batches.batch_codes(issued(ports, event, 3).batch_id))
    batch = samples.a_batch(event, "exh_huber0000000000", 4)
    ports.batches.add_batch(batch)
    fresh = [new_code(), new_code()]

    with pytest.raises(CodesTaken) as taken:
        ports.batches.write_codes(batch, 0, [fresh[0], theirs[0], fresh[1], theirs[2]])

    assert taken.value.positions == [1, 3]
    assert ports.vouchers.get_voucher(fresh[0]) is None
    assert voucher(ports, theirs[0]).batch_id != batch.batch_id
    assert ports.batches.get_batch(batch.batch_id).generated == 0  # type: ignore[union-attr]


def test_one_worker_claims_a_batch_file_and_only_a_stale_claim_is_taken_over(
    ports: Ports,
) -> None:
    batch = samples.a_batch(a_fair(ports), "exh_huber0000000000", 1)
    ports.batches.add_batch(batch)
    ports.batches.write_codes(batch, 0, [new_code()], at=NOW)

    assert ports.batches.touch_batch(batch.batch_id, NOW) is True
    assert ports.batches.touch_batch(batch.batch_id, NOW) is False  # another share, same moment
    later = NOW + timedelta(minutes=6)
    assert ports.batches.touch_batch(batch.batch_id, later, stale=NOW) is False
    assert ports.batches.touch_batch(batch.batch_id, later, stale=later) is True  # its worker died
    claimed = ports.batches.get_batch(batch.batch_id)
    assert claimed is not None
    assert (claimed.step, claimed.step_at, claimed.progress_at) == ("writing_file", later, later)
    ports.batches.finish_batch(batch, later)
    assert ports.batches.touch_batch(batch.batch_id, later, stale=later) is False  # ready


def test_a_batch_is_finished_and_counted_as_issued_once(ports: Ports) -> None:
    batch = issued(ports, a_fair(ports), 3)

    assert ports.batches.finish_batch(batch, NOW) is True
    assert ports.batches.finish_batch(batch, NOW) is False

    assert ports.batches.get_batch(batch.batch_id).status == "ready"  # type: ignore[union-attr]
    assert ports.figures.figures(batch.exhibitor_id) == {"issued": 3, "redeemed": 0, "used": 0}
    with pytest.raises(Exception):  # noqa: B017,PT011 - a ready batch never fails
        ports.batches.fail_batch(batch.batch_id, NOW, "too late")


def test_an_extension_leaves_a_redeemed_voucher_alone_and_reissues_an_expired_one(
    ports: Ports,
) -> None:
    batch = issued(ports, a_fair(ports), 2, valid_until=NOW - timedelta(days=1))
    used, lapsed = list(ports.batches.batch_codes(batch.batch_id))
    register(ports, used, "erika@example.org")
    assert ports.vouchers.expire([lapsed], NOW) == 1
    later = NOW + timedelta(days=30)

    assert ports.vouchers.extend(voucher(ports, used), later, NOW, "key_organizer") is False
    assert ports.vouchers.extend(voucher(ports, lapsed), later, NOW, "key_organizer") is True

    again = voucher(ports, lapsed)
    assert (again.state, again.valid_until, again.expired_at) == ("issued", later, None)
    assert [c.current for c in again.validity_changes] == [later]
    assert voucher(ports, used).valid_until == NOW - timedelta(days=1)


def test_the_sweep_expires_only_issued_vouchers_past_their_end_and_each_once(
    ports: Ports,
) -> None:
    event = a_fair(ports)
    [past] = ports.batches.batch_codes(issued(ports, event, 1, valid_until=NOW).batch_id)
    [later] = ports.batches.batch_codes(
        issued(ports, event, 1, valid_until=NOW + timedelta(hours=1)).batch_id
    )
    sweep = NOW + timedelta(minutes=1)

    assert [code for code, _ in ports.vouchers.due(NOW)] == [past]  # its end is now: over
    assert [code for code, _ in ports.vouchers.due(NOW - timedelta(microseconds=1))] == []
    assert [code for code, _ in ports.vouchers.due(sweep)] == [past]
    assert ports.vouchers.expire([past, later, new_code()], sweep) == 1
    assert ports.vouchers.expire([past, later], sweep) == 0

    assert (voucher(ports, past).state, voucher(ports, past).expired_at) == ("expired", sweep)
    assert voucher(ports, later).state == "issued"
    assert list(ports.vouchers.due(sweep)) == []


def test_vouchers_ending_in_a_window_are_found_from_its_start_to_before_its_end(
    ports: Ports,
) -> None:
    event = a_fair(ports)
    ends = [NOW + timedelta(days=7), NOW + timedelta(days=7, hours=12), NOW + timedelta(days=8)]
    made = [issued(ports, event, 1, valid_until=end) for end in ends]

    found = list(ports.vouchers.ending_between(NOW + timedelta(days=7), NOW + timedelta(days=8)))

    assert sorted(f["batch_id"] for f in found) == sorted(b.batch_id for b in made[:2])
    assert {f["exhibitor_id"] for f in found} == {"exh_huber0000000000"}


def test_a_redeemed_voucher_is_neither_due_nor_ending(ports: Ports) -> None:
    event = a_fair(ports)
    batch = issued(ports, event, 1, valid_until=NOW + timedelta(days=7, hours=1))
    [code] = ports.batches.batch_codes(batch.batch_id)
    register(ports, code, "erika@example.org")

    week = NOW + timedelta(days=7)
    assert list(ports.vouchers.ending_between(week, week + timedelta(days=1))) == []
    assert list(ports.vouchers.due(NOW + timedelta(days=8))) == []


def test_a_voucher_ending_at_another_offset_expires_once_its_end_has_passed(
    ports: Ports,
) -> None:
    event = a_fair(ports)  # Europe/Berlin: the batch ends at the fair's end, +02:00
    [code] = ports.batches.batch_codes(issued(ports, event, 1).batch_id)
    sweep = event.ends_at.astimezone(UTC) + timedelta(minutes=30)

    assert [c for c, _ in ports.vouchers.due(sweep)] == [code]
    assert ports.vouchers.expire([code], sweep) == 1


# ------------------------------------------------------------------------------ after the order


def test_a_ticket_is_checked_in_once_and_the_second_scan_learns_when(ports: Ports) -> None:
    event = a_fair(ports)
    order = samples.an_order(event, quantity=2)
    place(ports, order, event.capacity)
    ticket = order.positions[0]

    ports.orders.check_in(order, ticket.position_id, ticket.secret, NOW)
    with pytest.raises(AlreadyCheckedIn) as second:
        ports.orders.check_in(order, ticket.position_id, ticket.secret, NOW + timedelta(hours=1))

    assert second.value.at == NOW
    other = order.positions[1]
    wrong = other.secret[:-1] + ("x" if other.secret[-1] != "x" else "y")  # last one changed
    with pytest.raises(Exception) as forged:  # noqa: PT011 - a wrong secret checks nothing in
        ports.orders.check_in(order, other.position_id, wrong, NOW)
    assert not isinstance(forged.value, AlreadyCheckedIn)
    assert ports.orders.check_in_all(order, NOW) == 1
    assert ports.orders.check_in_all(order, NOW) == 0


def event_figures(ports: Ports, event: Event) -> EventFigures | None:
    found = cast(EventFigureStore, ports.events).with_figures(event.event_id)
    assert found is not None
    assert found[0] == ports.events.get(event.event_id)  # the counters are no event field
    return found[1]


def test_the_event_counts_its_bookings_per_price_option_and_each_check_in_once(
    ports: Ports,
) -> None:
    event = a_fair(ports, capacity=300)
    assert event_figures(ports, event) == EventFigures({}, 0)
    big = samples.an_order(event, quantity=150).model_copy(update={"total": Decimal("3775.50")})
    small = samples.an_order(event, quantity=1).model_copy(
        update={"price_option": "visitor-voucher", "total": Decimal("0.10")}
    )
    place(ports, big, event.capacity)
    place(ports, small, event.capacity)
    assert refused(lambda: place(ports, samples.an_order(event, 200), event.capacity)) == [
        "capacity"
    ]

    counted = event_figures(ports, event)
    assert counted is not None
    assert counted.options == {
        "day": OptionFigures(1, 150, Decimal("3775.50")),
        "visitor-voucher": OptionFigures(1, 1, Decimal("0.10")),
    }
    scanned = big.positions[120]  # in the second item of positions
    ports.orders.check_in(big, scanned.position_id, scanned.secret, NOW)
    with pytest.raises(AlreadyCheckedIn):
        ports.orders.check_in(big, scanned.position_id, scanned.secret, NOW)
    assert event_figures(ports, event) == replace(counted, checked_in=1)
    # "check in all" from the order as read before the scan: the rest, once
    assert ports.orders.check_in_all(big, NOW) == 149
    assert ports.orders.check_in_all(big, NOW) == 0
    assert event_figures(ports, event) == replace(counted, checked_in=150)
    shards = check_in_counters(ports, event)  # 3 check-in transactions, a shard each
    assert 1 <= len(shards) <= 3
    assert shards <= {f"{n}" for n in range(16)}
    assert [e.event_id for e in ports.events.list_for(event.organizer_id, 10, None)[0]] == [
        event.event_id
    ]


def check_in_counters(ports: Ports, event: Event) -> set[str]:
    """The shards the check-ins were counted on: items apart from the event item, which
    carries no check-in count (many scanners at once would contend for it)."""
    if ports.backend == "fake":
        counters = cast(FakeEventStore, ports.events).db.event_figures[event.event_id]
        return {k.removeprefix("checked_in#") for k in counters if k.startswith("checked_in")}
    from ticketing.adapters import keys
    from ticketing.adapters.dynamo import Table

    item = Table().get(keys.event(event.event_id))
    assert item is not None
    assert not [name for name in item if "checked" in name]
    shards = Table().query_partition(f"EVENT#{event.event_id}", "CHECKINS#")
    return {str(s["SK"]).removeprefix("CHECKINS#") for s in shards}


def test_an_event_written_before_its_figures_were_kept_has_none(ports: Ports) -> None:
    event = a_fair(ports)
    if ports.backend == "fake":
        cast(FakeEventStore, ports.events).db.event_figures[event.event_id].pop("kept")
    else:
        from ticketing.adapters import keys
        from ticketing.adapters.dynamo import Table, Update

        Table().write(Update(keys.event(event.event_id), "REMOVE figure_kept"))
    place(ports, samples.an_order(event, quantity=2), event.capacity)

    assert event_figures(ports, event) is None
    assert ports.events.get(event.event_id).sold == 2  # type: ignore[union-attr]


def test_a_tickets_name_changes_alone_and_not_once_it_was_used(ports: Ports) -> None:
    event = a_fair(ports)
    order = samples.an_order(event, quantity=2)
    place(ports, order, event.capacity)
    first, second = order.positions

    assert ports.orders.rename_holder(order, second.position_id, "张伟") is True

    stored = ports.orders.get(order.order_number)
    assert stored is not None
    assert [p.holder_name for p in stored.positions] == [first.holder_name, "张伟"]
    assert stored.positions[1].secret == second.secret
    ports.orders.check_in(order, first.position_id, first.secret, NOW)
    assert ports.orders.rename_holder(order, first.position_id, "Anna Schmidt") is False
    again = ports.orders.get(order.order_number)
    assert again is not None
    assert again.positions[0].holder_name == first.holder_name


def test_invoice_numbers_are_gap_free_and_an_order_keeps_its_number(ports: Ports) -> None:
    event = a_fair(ports)
    first, second = samples.an_order(event), samples.an_order(event)
    for order in (first, second):
        place(ports, order, event.capacity)

    def number(sequence: int) -> str:
        return f"R2026-{sequence:06d}"

    numbers = [
        ports.orders.assign_invoice_number(order, number, NOW) for order in (first, second, first)
    ]

    assert numbers == ["R2026-000001", "R2026-000002", "R2026-000001"]


def test_an_order_is_marked_paid_once(ports: Ports) -> None:
    event = a_fair(ports)
    order = samples.an_order(event).model_copy(update={"payment_status": "open"})
    place(ports, order, event.capacity)

    assert ports.orders.mark_paid(order.order_number, NOW) is True
    assert ports.orders.mark_paid(order.order_number, NOW) is False
    assert ports.orders.mark_paid("72BE-040526-999999", NOW) is False


def test_an_order_gets_three_portal_mails_a_day(ports: Ports) -> None:
    from ticketing.services.ports import PortalMails

    mails: PortalMails = ports.orders  # type: ignore[assignment]
    taken = [mails.take_portal_mail("72BE-040526-000001", NOW, 3) for _ in range(4)]
    next_day = mails.take_portal_mail("72BE-040526-000001", NOW + timedelta(hours=25), 3)

    assert taken == [True, True, True, False]
    assert next_day is True


# ------------------------------------------------------------------------------ searching orders


def test_a_last_name_search_pages_with_a_cursor_through_every_match(ports: Ports) -> None:
    from ticketing.domain.errors import InvalidRequest

    event = a_fair(ports, capacity=20)
    found = []
    for minute, name in enumerate(["Müller"] * 5 + ["Mustermann", "Mulder", "Schmidt"]):
        order = samples.an_order(event, last_name=name, at=NOW + timedelta(minutes=minute))
        place(ports, order, event.capacity)
        found.append(order.order_number)
    organizer_id = event.organizer_id

    pages, cursor = [], None
    for _ in range(4):
        page, cursor = ports.orders.search_last_name(organizer_id, "muller", 2, cursor)
        pages.append([o.order_number for o in page])
        if cursor is None:
            break

    assert [n for page in pages for n in page] == found[4::-1]  # newest first, each once
    assert all(len(page) <= 2 for page in pages)
    _, first_cursor = ports.orders.search_last_name(organizer_id, "mu", 2)
    assert first_cursor is not None
    with pytest.raises(InvalidRequest):  # a cursor of another search is refused
        ports.orders.search_last_name(organizer_id, "schmidt", 2, first_cursor)


# ------------------------------------------------------------------------ organizer settings


@pytest.fixture(params=["fake", "dynamodb"])
def access_store(request: pytest.FixtureRequest) -> AccessStore:
    if request.param == "fake":
        return FakePlatform().access
    request.getfixturevalue("aws")
    from ticketing.adapters.access_store import DynamoAccessStore

    return DynamoAccessStore()


def test_an_organizer_is_changed_field_by_field_and_only_if_it_exists(
    access_store: AccessStore,
) -> None:
    organizer = samples.an_organizer(f"org_{uuid.uuid4().hex[:16]}")
    access_store.add_party(organizer, None)
    bank = {"account_holder": "Demo Messe GmbH", "iban": "DE89370400440532013000"}

    changed = access_store.update_organizer(
        organizer.organizer_id, {"city": "München", "bank": bank, "payment_days": 10}
    )
    cleared = access_store.update_organizer(organizer.organizer_id, {"city": None, "zip": "80331"})

    assert changed is not None
    assert (changed.city, changed.payment_days) == ("München", 10)
    assert changed.bank is not None
    assert changed.bank.iban == "DE89370400440532013000"
    assert cleared is not None
    assert (cleared.city, cleared.zip) == (None, "80331")
    assert (cleared.bank, cleared.name) == (changed.bank, organizer.name)
    assert access_store.get_organizer(organizer.organizer_id) == cleared
    assert access_store.update_organizer("org_nobody000000000", {"city": "Köln"}) is None
    assert access_store.get_organizer("org_nobody000000000") is None


def test_a_batch_extension_runs_once_at_a_time_and_moves_step_by_step(ports: Ports) -> None:
    # issue 12: the job on the batch (services.ports_vouchers.ExtensionStore)
    from ticketing.domain.visitor_vouchers import BatchExtension
    from ticketing.services.ports_vouchers import ExtensionStore

    jobs: ExtensionStore = ports.batches  # type: ignore[assignment]
    batch = issued(ports, a_fair(ports), 3)
    ports.batches.finish_batch(batch, NOW)
    end = datetime(2030, 7, 15, 22, 0, tzinfo=UTC)
    job = BatchExtension(
        job_id="ext_1", state="running", valid_until=end, by="key", total=3,
        started_at=NOW, progress_at=NOW,
    )  # fmt: skip
    other = job.model_copy(update={"job_id": "ext_2"})
    stale = NOW - timedelta(minutes=5)

    assert jobs.start_extension(batch.batch_id, job, stale) is True
    assert jobs.start_extension(batch.batch_id, other, stale) is False
    assert jobs.chunk_codes(batch.batch_id, 0) == list(ports.batches.batch_codes(batch.batch_id))
    assert jobs.chunk_codes(batch.batch_id, 1) == []
    step = job.model_copy(update={"next_chunk": 1, "done": 3, "changed": 3})
    jobs.move_extension(batch.batch_id, job, step)
    with pytest.raises(ProgressMoved):  # the same step again, from a stale read
        jobs.move_extension(batch.batch_id, job, step)
    with pytest.raises(ProgressMoved):  # another job's step
        jobs.move_extension(batch.batch_id, other, other.model_copy(update={"next_chunk": 1}))
    stored = ports.batches.get_batch(batch.batch_id)
    assert stored is not None
    assert (stored.extension, stored.valid_until) == (step, batch.valid_until)
    finished = step.model_copy(update={"state": "done", "finished_at": NOW})
    jobs.move_extension(batch.batch_id, step, finished)
    stored = ports.batches.get_batch(batch.batch_id)
    assert stored is not None
    assert (stored.extension, stored.valid_until) == (finished, end)
    assert jobs.stalled_extensions(NOW + timedelta(hours=1)) == []  # done: not running
    assert jobs.start_extension(batch.batch_id, other, stale) is True  # the first is done
    assert jobs.stalled_extensions(NOW) == []  # only those that moved before ``before``
    [found] = jobs.stalled_extensions(NOW + timedelta(seconds=1))
    assert (found.batch_id, found.extension) == (batch.batch_id, other)
    # a running one that stalled (no move since before ``stale``) may be replaced
    assert jobs.start_extension(batch.batch_id, job, NOW + timedelta(minutes=1)) is True
    # a batch in the making is never extended
    making = samples.a_batch(a_fair(ports), "exh_huber0000000000", 5)
    ports.batches.add_batch(making)
    assert jobs.start_extension(making.batch_id, job, stale) is False
    assert [b.batch_id for b in ports.batches.stalled_batches(NOW + timedelta(days=9))] == [
        making.batch_id
    ]


def test_many_vouchers_are_read_together_and_extended_once_each(ports: Ports) -> None:
    # issue 12: the extension's batch reads and writes (services.ports_vouchers.ManyVouchers)
    from ticketing.services.ports_vouchers import ManyVouchers

    many: ManyVouchers = ports.vouchers  # type: ignore[assignment]
    batch = issued(ports, a_fair(ports), 3, valid_until=NOW - timedelta(days=1))
    used, lapsed, plain = list(ports.batches.batch_codes(batch.batch_id))
    more = [new_code() for _ in range(147)]  # 150 codes: more than one read, one transaction
    ports.batches.write_codes(batch, 1, more[:90])
    ports.batches.write_codes(batch, 2, more[90:])
    seen = many.get_vouchers([used, lapsed, plain, *more, new_code(), plain])
    assert sorted(seen) == sorted([used, lapsed, plain, *more])  # a missing code is left out
    register(ports, used, "erika@example.org")  # after the read: the walk holds it as issued
    assert ports.vouchers.expire([lapsed], NOW) == 1
    later = NOW + timedelta(days=30)

    # the redeemed one cancels a transaction by its condition: left alone, not counted
    assert many.extend_vouchers(list(seen.values()), later, NOW, "key_organizer") == 149
    assert voucher(ports, used).state == "redeemed"
    assert voucher(ports, used).valid_until == NOW - timedelta(days=1)
    again = voucher(ports, lapsed)
    assert (again.state, again.valid_until, again.expired_at) == ("issued", later, None)
    assert all(voucher(ports, code).valid_until == later for code in [plain, *more])
    # a second walk with its stale read: counted as at the end, nothing written twice
    assert many.extend_vouchers(list(seen.values()), later, NOW, "key_organizer") == 149
    assert [len(voucher(ports, c).validity_changes) for c in [lapsed, plain, *more]] == [1] * 149
    assert [c.current for c in voucher(ports, plain).validity_changes] == [later]

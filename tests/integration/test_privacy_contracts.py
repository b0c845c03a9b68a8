"""The ports of a person's data (issue 17) on the fakes and on DynamoDB (moto): the person
index written with the order, the erasure record moved once, an entry forgotten and counted
once, an order erased idempotently, and the events the retention schedule walks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from ticketing.domain.erasure import ERASED, Erasure, PersonEntry, no_counts

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
EMAIL = "Erika+fair@Example.org"


@dataclass
class Ports:
    backend: str
    transactions: Any
    events: Any
    orders: Any
    people: Any
    data: Any
    erasures: Any
    retention: Any
    access: Any


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        fake = FakePlatform()
        return Ports(
            "fake",
            fake.transactions,
            fake.events,
            fake.orders,
            fake.people,
            fake.personal_data,
            fake.erasures,
            fake.retention_events,
            fake.access,
        )
    request.getfixturevalue("aws")
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.erasure_store import DynamoErasureStore
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.adapters.personal_data import DynamoPersonalData
    from ticketing.adapters.retention_events import DynamoRetentionEvents
    from ticketing.adapters.transactions import DynamoTransactions

    return Ports(
        "dynamodb",
        DynamoTransactions(),
        DynamoEventStore(),
        DynamoOrderStore(),
        DynamoPersonIndex(),
        DynamoPersonalData(),
        DynamoErasureStore(),
        DynamoRetentionEvents(),
        DynamoAccessStore(),
    )


def placed(ports: Ports, quantity: int = 2) -> Any:
    event = samples.a_fair(5)
    ports.events.add(event)
    order = samples.an_order(event, quantity, email="erika@example.org")
    entry = ports.people.entry(event.organizer_id, EMAIL, order.order_number)
    ports.transactions.commit([*ports.orders.placement(order, event.capacity), entry])
    return order


def an_erasure(ports: Ports, organizer_id: str) -> Erasure:
    erasure = Erasure(
        erasure_id=f"ers_{ports.backend}",
        organizer_id=organizer_id,
        person=ports.people.person(organizer_id, "erika@example.org"),
        erased=ports.people.erased_hash(organizer_id, "erika@example.org"),
        requested_at=NOW,
    )
    ports.erasures.start(erasure)
    return erasure


def test_an_order_is_listed_under_its_person_whatever_the_spelling(ports: Ports) -> None:
    order = placed(ports)
    same = ports.people.person(order.organizer_id, "ERIKA@example.org")
    assert ports.people.entries(order.organizer_id, same) == [
        PersonEntry(kind="order", ref=order.order_number)
    ]
    other = ports.people.person("org_other", "erika@example.org")
    assert ports.people.entries("org_other", other) == []


def test_an_entry_is_forgotten_and_counted_once(ports: Ports) -> None:
    order = placed(ports)
    erasure = an_erasure(ports, order.organizer_id)
    entry = PersonEntry(kind="order", ref=order.order_number)
    counts = {**no_counts(), "orders": 1, "positions": 2}

    assert ports.data.forget(erasure, entry, counts) is True
    assert ports.data.forget(erasure, entry, counts) is False

    stored = ports.erasures.get(erasure.erasure_id)
    assert (stored.counts["orders"], stored.counts["positions"]) == (1, 2)
    assert ports.people.entries(order.organizer_id, erasure.person) == []


def test_an_erasure_finishes_once_and_its_address_is_known_as_erased(ports: Ports) -> None:
    erasure = an_erasure(ports, "org_a")
    assert ports.erasures.erased_before("org_a", erasure.erased) is False
    ports.erasures.running(erasure.erasure_id)
    ports.erasures.finish(erasure, NOW)
    ports.erasures.finish(erasure, NOW + timedelta(hours=1))
    done = ports.erasures.get(erasure.erasure_id)
    assert (done.state, done.finished_at) == ("done", NOW)
    assert ports.erasures.erased_before("org_a", erasure.erased) is True
    assert ports.erasures.erased_before("org_b", erasure.erased) is False


def test_an_erased_order_keeps_its_figures_and_a_second_erasure_changes_nothing(
    ports: Ports,
) -> None:
    order = placed(ports)
    first = ports.data.erase_order(order)
    again = ports.data.erase_order(ports.orders.get(order.order_number))
    erased = ports.orders.get(order.order_number)
    assert (first["orders"], first["positions"]) == (1, 2)
    assert again["voucher_registrations"] == 0
    assert erased.customer.email is None
    assert erased.customer.last_name == ERASED
    assert {p.holder_name for p in erased.positions} == {ERASED}
    assert (erased.total, erased.quantity, erased.created_at) == (
        order.total,
        order.quantity,
        order.created_at,
    )
    found, _ = ports.orders.search_last_name(order.organizer_id, "mu", 10)
    assert found == []


def test_retention_finds_ended_events_and_marks_them(ports: Ports) -> None:
    ports.access.add_party(samples.an_organizer(), None)  # the schedule walks every tenant
    order = placed(ports)
    ended = ports.retention.ended_before(datetime(2031, 1, 1, tzinfo=UTC))
    assert order.event_id in [e.event_id for e in ended]
    assert ports.retention.ended_before(datetime(2029, 1, 1, tzinfo=UTC)) == []
    assert ports.retention.order_numbers(order.event_id) == [order.order_number]
    ports.retention.set_retention(order.event_id, 30, True)
    ports.retention.mark_retained(order.event_id, NOW)
    event = ports.events.get(order.event_id)
    assert (event.retention_days, event.legal_hold, event.retained_at) == (30, True, NOW)

"""Every fake has every method of its port, with the same parameters: a port that grows a
method makes this fail until its fake grows it too (mypy does not read the tests)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from tests import fakes
from tests.fakes.platform import FakePlatform
from ticketing.services import ports

PORTS: list[tuple[type[Any], type[Any]]] = [
    (ports.Transactions, fakes.FakeTransactions),
    (ports.KeyStore, fakes.FakeAccessStore),
    (ports.AccessStore, fakes.FakeAccessStore),
    (ports.EventStore, fakes.FakeEventStore),
    (ports.OrderPages, fakes.FakeOrderStore),
    (ports.OrderStore, fakes.FakeOrderStore),
    (ports.PortalMails, fakes.FakeOrderStore),
    (ports.IdempotencyStore, fakes.FakeIdempotencyStore),
    (ports.MailQueue, fakes.FakeMailQueue),
    (ports.Outbox, fakes.FakeOutbox),
    (ports.Mailer, fakes.FakeMailer),
    (ports.SentMailLog, fakes.FakeSentMailLog),
    (ports.MailFailures, fakes.FakeMailFailures),
    (ports.ReminderLog, fakes.FakeReminderLog),
    (ports.DocumentStore, fakes.FakeDocumentStore),
    (ports.BatchStore, fakes.FakeBatchStore),
    (ports.VisitorVoucherStore, fakes.FakeVisitorVoucherStore),
    (ports.ExhibitorFigures, fakes.FakeExhibitorFigures),
    (ports.BatchQueue, fakes.FakeBatchQueue),
    (ports.Attempts, fakes.FakeAttempts),
    (ports.LinkSecrets, fakes.FakeLinkSecrets),
]


def every_port() -> set[type[Any]]:
    return {
        value
        for value in vars(ports).values()
        if inspect.isclass(value)
        and getattr(value, "_is_protocol", False)
        and value.__module__ == ports.__name__
    }


def members(protocol: type[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for base in reversed(protocol.__mro__):
        if (
            base is object
            or not getattr(base, "_is_protocol", False)
            or base.__module__ == "typing"
        ):
            continue
        found.update({k: v for k, v in vars(base).items() if not k.startswith("_")})
    return found


def test_every_port_has_a_fake() -> None:
    assert every_port() == {port for port, _ in PORTS}


@pytest.mark.parametrize(("port", "fake"), PORTS, ids=lambda c: c.__name__)
def test_a_fake_has_every_method_of_its_port_with_its_parameters(
    port: type[Any], fake: type[Any]
) -> None:
    for name, member in members(port).items():
        assert hasattr(fake, name), f"{fake.__name__} has no {name} of {port.__name__}"
        if callable(member):
            wanted = list(inspect.signature(member).parameters)
            given = list(inspect.signature(getattr(fake, name)).parameters)
            assert given == wanted, f"{fake.__name__}.{name}{given} is not {port.__name__}'s"


def test_the_platform_holds_a_fake_of_every_store() -> None:
    platform = FakePlatform()
    held = {type(value) for value in vars(platform).values()}
    assert {fake for _, fake in PORTS} <= held

"""Parked mail and a party written with its welcome: the fakes and the DynamoDB adapters on
moto, through the same scenarios (as ``test_port_contracts.py`` does for the other ports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.platform import FakePlatform
from ticketing.domain.identity import Role
from ticketing.domain.parties import ApiKeyRecord, Organizer
from ticketing.mail.messages import MailRequest
from ticketing.services.ports import AccessStore, MailFailure, MailFailures, Outbox, WriteRefused

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@dataclass
class Ports:
    failures: MailFailures
    access: AccessStore
    outbox: Outbox


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        fake = FakePlatform()
        return Ports(fake.mail_failures, fake.access, fake.outbox)
    request.getfixturevalue("aws")
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.mail_failures import DynamoMailFailures
    from ticketing.adapters.outbox import DynamoOutbox

    return Ports(DynamoMailFailures(), DynamoAccessStore(), DynamoOutbox())


def failure(request_id: str, order_number: str | None, minutes: int = 0) -> MailFailure:
    return MailFailure(
        request_id=request_id,
        template="order_confirmation",
        reason="RenderFailed: 'x' is undefined",
        at=NOW + timedelta(minutes=minutes),
        order_number=order_number,
    )


def test_parked_mail_is_found_by_its_order_oldest_first_and_parking_again_replaces(
    ports: Ports,
) -> None:
    ports.failures.park(failure("confirm-B", "72BE-1", minutes=5))
    ports.failures.park(failure("resend-A", "72BE-1"))
    ports.failures.park(failure("confirm-C", "72BE-2"))
    ports.failures.park(failure("welcome-x", None))
    ports.failures.park(failure("confirm-B", "72BE-1", minutes=5))  # a redelivery

    found = ports.failures.for_order("72BE-1")

    assert [f.request_id for f in found] == ["resend-A", "confirm-B"]
    assert found[1] == failure("confirm-B", "72BE-1", minutes=5)
    assert ports.failures.for_order("72BE-3") == []


def organizer(organizer_id: str) -> tuple[Organizer, ApiKeyRecord]:
    party = Organizer(
        organizer_id=organizer_id, name="Demo", email="demo@example.org", created_at=NOW
    )
    key = ApiKeyRecord(
        key_id=f"{organizer_id[-16:]:0>16}",
        secret_hash="0" * 64,
        role=Role.ORGANIZER,
        subject_id=organizer_id,
        organizer_id=organizer_id,
        created_at=NOW,
    )
    return party, key


def welcome(organizer_id: str) -> MailRequest:
    return MailRequest(
        template="organizer_welcome", to=["demo@example.org"], request_id=f"welcome-{organizer_id}"
    )


def test_a_party_its_key_and_its_pending_welcome_are_written_together_or_not_at_all(
    ports: Ports,
) -> None:
    party, key = organizer("org_aaaaaaaaaaaaaaaa")
    pending = ports.outbox.pending(welcome(party.organizer_id), NOW, party.organizer_id)

    ports.access.add_party(party, key, [ports.outbox.part_of(pending)])

    assert ports.access.get_organizer(party.organizer_id) == party
    assert ports.access.get_key(key.key_id) is not None
    later = NOW + timedelta(minutes=1)
    assert [p.request.request_id for p in ports.outbox.pending_mail(later)] == [
        "welcome-org_aaaaaaaaaaaaaaaa"
    ]

    # the same party again: refused, and neither its new key nor its mail is written
    _, other_key = organizer("org_bbbbbbbbbbbbbbbb")
    again = ports.outbox.pending(welcome("again"), NOW + timedelta(seconds=1), "again")
    with pytest.raises(WriteRefused) as refused:
        ports.access.add_party(party, other_key, [ports.outbox.part_of(again)])
    assert refused.value.labels == ["party"]
    assert ports.access.get_key(other_key.key_id) is None
    assert len(ports.outbox.pending_mail(later)) == 1

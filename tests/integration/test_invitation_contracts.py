"""The invitation store (issue 16) on the fakes and on DynamoDB (moto): the same scenarios.

A code is given once (the voucher's condition), an address once per exhibitor (its item's),
a list's step moves on once, and the counts follow the steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.fakes import samples
from tests.fakes.invitations import FakeInvitationStore
from tests.fakes.platform import FakePlatform
from ticketing.domain.invitations import (
    Invitation,
    InvitationJob,
    Letter,
    Recipient,
)
from ticketing.domain.visitor_vouchers import Registration, VoucherBatch
from ticketing.domain.voucher_codes import new_code
from ticketing.services.ports import BatchStore, ProgressMoved, Transactions, VisitorVoucherStore
from ticketing.services.ports_invitations import InvitationStore

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@dataclass
class Ports:
    transactions: Transactions
    batches: BatchStore
    vouchers: VisitorVoucherStore
    invitations: InvitationStore
    suppressions: Any


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        fake = FakePlatform()
        return Ports(
            fake.transactions,
            fake.batches,
            fake.vouchers,
            FakeInvitationStore(fake.db, fake.suppressions),
            fake.suppressions,
        )
    request.getfixturevalue("aws")
    from ticketing.adapters.consent_store import DynamoSuppressionStore
    from ticketing.adapters.invitation_store import DynamoInvitationStore
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    return Ports(
        DynamoTransactions(),
        DynamoBatchStore(),
        DynamoVisitorVoucherStore(),
        DynamoInvitationStore(),
        DynamoSuppressionStore(),
    )


def a_batch(ports: Ports, count: int = 3) -> tuple[VoucherBatch, list[str]]:
    event = samples.a_fair(100)
    made = samples.a_batch(event, "exh_huber0000000000", count)
    ports.batches.add_batch(made)
    codes = [new_code() for _ in range(count)]
    ports.batches.write_codes(made, 0, codes)
    return made, codes


def invitation(batch: VoucherBatch, code: str, address: str, job: str = "inv_1") -> Invitation:
    return Invitation(
        code=code,
        batch_id=batch.batch_id,
        event_id=batch.event_id,
        exhibitor_id=batch.exhibitor_id,
        organizer_id=batch.organizer_id,
        job_id=job,
        row=1,
        first_name="Erika",
        last_name="Muster",
        email=address,
        address=address,
        invited_at=NOW,
        mail_state="sent",
    )


def test_a_code_is_given_once_and_an_address_once_per_exhibitor(ports: Ports) -> None:
    batch, (one, two, three) = a_batch(ports)
    store = ports.invitations

    assert store.assign(invitation(batch, one, "a@example.org"), None) == "assigned"
    assert store.assign(invitation(batch, one, "b@example.org"), None) == "code taken"
    assert store.assign(invitation(batch, two, "a@example.org"), None) == "address taken"
    assert sorted(store.free_codes(batch.batch_id, 0)) == sorted([two, three])
    held = store.invited(batch.exhibitor_id, ["a@example.org", "z@example.org"])
    assert list(held) == ["a@example.org"]
    assert held["a@example.org"].code == one
    # a resend from another batch replaces what the address holds, knowing what it held
    assert (
        store.assign(invitation(batch, two, "a@example.org"), held["a@example.org"]) == "assigned"
    )
    assert {i.code for i in store.invitations(batch.batch_id)} == {one, two}


def test_a_resend_counts_once_per_list(ports: Ports) -> None:
    batch, (one, *_) = a_batch(ports)
    store = ports.invitations
    first = invitation(batch, one, "a@example.org")
    store.assign(first, None)

    assert store.resend(first, "inv_2") is True
    assert store.resend(first, "inv_2") is False
    held = store.invited(batch.exhibitor_id, ["a@example.org"])["a@example.org"]
    assert (held.sends, held.job_id) == (2, "inv_2")
    listed = store.get_invitation(batch.batch_id, one)
    assert listed is not None
    assert listed.sends == 2


def test_a_registered_code_is_not_free(ports: Ports) -> None:
    batch, (one, two, _) = a_batch(ports)
    voucher = ports.vouchers.get_voucher(one)
    assert voucher is not None
    registration = Registration(
        code=one,
        first_name="E",
        last_name="M",
        email="e@example.org",
        order_number="N-1",
        redeemed_at=NOW,
        contact_consent=True,
    )
    ports.transactions.commit(
        ports.vouchers.registration(voucher, registration, "e@example.org", "n")
    )

    assert one not in ports.invitations.free_codes(batch.batch_id, 0)
    assert ports.invitations.assign(invitation(batch, one, "x@example.org"), None) == "code taken"
    found = ports.invitations.vouchers([one, two])
    assert found[one].registration is not None
    assert found[one].registration.contact_consent


def test_a_lists_step_moves_on_once_and_counts(ports: Ports) -> None:
    batch, _ = a_batch(ports)
    store = ports.invitations
    job = InvitationJob(
        job_id="inv_1",
        batch_id=batch.batch_id,
        exhibitor_id=batch.exhibitor_id,
        total=150,
        chunks=2,
        created_at=NOW,
        created_by="k",
        progress_at=NOW,
    )
    rows = [
        Recipient(
            row=n + 1,
            first_name="A",
            last_name="B",
            email=f"r{n}@example.org",
            address=f"r{n}@example.org",
        )
        for n in range(150)
    ]
    store.add_job(job, rows)

    assert len(store.job_recipients(batch.batch_id, "inv_1", 0)) == 100
    assert store.job_recipients(batch.batch_id, "inv_1", 1)[-1].row == 150
    moved = job.model_copy(update={"next_chunk": 1, "assigned": 3, "invited": 4})
    store.move_job(job, moved)
    with pytest.raises(ProgressMoved):
        store.move_job(job, moved)
    assert store.counts(batch.batch_id).model_dump()["assigned"] == 3
    assert store.counts(batch.batch_id).invited == 4
    assert [j.job_id for j in store.jobs(batch.batch_id)] == ["inv_1"]
    got = store.get_job(batch.batch_id, "inv_1")
    assert got is not None
    assert got.next_chunk == 1


def test_letters_and_messages_are_read_back(ports: Ports) -> None:
    store = ports.invitations
    sample = Letter(
        event_id="evt_1",
        organizer_id="org_1",
        language="de",
        subject="S",
        body="{code}",
        updated_at=NOW,
        updated_by="k",
    )
    own = sample.model_copy(update={"exhibitor_id": "exh_1", "body": "mine {code}"})
    store.put_letter(sample)
    store.put_letter(own)

    assert store.get_letter("evt_1", None, "de") == sample
    assert store.get_letter("evt_1", "exh_1", "de") == own
    assert store.get_letter("evt_2", "exh_1", "de") is None
    assert store.get_letter("evt_1", None, "en") is None


def test_suppressed_addresses_are_read_with_their_reason(ports: Ports) -> None:
    from ticketing.domain.consent import Suppression

    ports.suppressions.suppress(
        Suppression(address="b@example.org", reason="bounce", source="ses", at=NOW)
    )

    found = ports.invitations.suppressed(["a@example.org", "b@example.org"])

    assert found == {"b@example.org": "bounce"}

"""``PersonalInvitations`` (issue 17) on the fakes and on DynamoDB (moto): an invitation's
person index entry is written with its assignment; the erasure leaves the listing with the
marker, frees the address, keeps the code taken, drops the address's row of the uploaded
list (the others stay), and a second erasure counts nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.fakes.platform import FakePlatform
from tests.integration.test_invitation_contracts import NOW, a_batch, invitation
from ticketing.domain.erasure import ERASED, PersonEntry
from ticketing.domain.invitations import InvitationJob, Recipient


@dataclass
class Ports:
    transactions: Any
    batches: Any
    vouchers: Any
    invitations: Any
    suppressions: Any
    people: Any
    personal: Any


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        from tests.fakes.invitations import FakeInvitationStore

        fake = FakePlatform()
        return Ports(
            fake.transactions,
            fake.batches,
            fake.vouchers,
            FakeInvitationStore(fake.db, fake.suppressions),
            fake.suppressions,
            fake.people,
            fake.personal_invitations,
        )
    request.getfixturevalue("aws")
    from ticketing.adapters.invitation_store import DynamoInvitationStore
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.adapters.personal_invitations import DynamoPersonalInvitations
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    return Ports(
        DynamoTransactions(),
        DynamoBatchStore(),
        None,
        DynamoInvitationStore(),
        None,
        DynamoPersonIndex(),
        DynamoPersonalInvitations(),
    )


def recipient(row: int, address: str) -> Recipient:
    return Recipient(
        row=row, first_name="Erika", last_name="Muster", email=address, address=address
    )


def test_an_invitation_loses_its_person_and_keeps_its_code_taken(ports: Ports) -> None:
    batch, (one, two, _) = a_batch(ports)  # type: ignore[arg-type]
    store = ports.invitations
    job = InvitationJob(
        job_id="inv_1",
        batch_id=batch.batch_id,
        exhibitor_id=batch.exhibitor_id,
        total=2,
        chunks=1,
        created_at=NOW,
        created_by="k",
        progress_at=NOW,
    )
    store.add_job(job, [recipient(1, "a@example.org"), recipient(2, "b@example.org")])
    for code, address in ((one, "a@example.org"), (two, "b@example.org")):
        entry = ports.people.entry(
            batch.organizer_id, address, f"{batch.batch_id}/{code}", "invitation"
        )
        assert store.assign(invitation(batch, code, address), None, [entry]) == "assigned"
    person = ports.people.person(batch.organizer_id, "A@example.org")
    assert ports.people.entries(batch.organizer_id, person) == [
        PersonEntry(kind="invitation", ref=f"{batch.batch_id}/{one}")
    ]

    first = ports.personal.erase_invitation(batch.batch_id, one)
    again = ports.personal.erase_invitation(batch.batch_id, one)

    assert (first["invitations"], again["invitations"]) == (1, 0)
    erased = ports.personal.invitation(batch.batch_id, one)
    assert (erased.first_name, erased.email, erased.address) == (ERASED, ERASED, ERASED)
    assert erased.invited_at == NOW
    assert store.invited(batch.exhibitor_id, ["a@example.org", "b@example.org"]).keys() == {
        "b@example.org"
    }
    assert one not in store.free_codes(batch.batch_id, 0)
    assert [r.address for r in store.job_recipients(batch.batch_id, "inv_1", 0)] == [
        "b@example.org"
    ]

"""The person index's backfill on moto (issue 17): an order, a registered visitor voucher, a
gift voucher, a complaint and an invitation written without their entries are found by the
export once the backfill ran; a run stopped after a page goes on where it stood, a second run
writes nothing, an erased order gets no entry back, and another organizer's export finds none
of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import Aws
from tests.fakes import samples
from tests.integration.test_invitation_contracts import a_batch, invitation
from ticketing.domain.gift_complaints import Complaint
from ticketing.domain.gift_vouchers import GiftVoucher, LedgerEntry, Recipient, new_code

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
EMAIL = "erika.vorher@example.org"


def written_before_the_index(aws: Aws) -> dict[str, Any]:
    """Items of each kind for EMAIL, written as they were before the person index existed."""
    from ticketing.adapters import keys
    from ticketing.adapters.complaint_store import DynamoComplaintStore
    from ticketing.adapters.dynamo import Table, Update
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.gift_store import DynamoGiftVoucherStore
    from ticketing.adapters.invitation_store import DynamoInvitationStore
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    transactions, orders = DynamoTransactions(), DynamoOrderStore()
    event = samples.a_fair(50)
    DynamoEventStore().add(event)
    org = event.organizer_id
    order = samples.an_order(event, 2, email=EMAIL)
    transactions.commit(orders.placement(order, event.capacity))
    batch, (code, invited, _) = a_batch(SimpleNamespace(batches=DynamoBatchStore()))
    registered = samples.an_order(event, 1, email=EMAIL.upper()).model_copy(
        update={"voucher_code": code}
    )
    transactions.commit(orders.placement(registered, event.capacity))
    registration = {
        "code": code,
        "first_name": "Erika",
        "last_name": "Vorher",
        "email": EMAIL,
        "order_number": registered.order_number,
        "redeemed_at": NOW.isoformat(),
    }
    Table().write(Update(keys.voucher(code), "SET registration = :r", values={":r": registration}))
    gifts = DynamoGiftVoucherStore()
    voucher = GiftVoucher(
        code=new_code(),
        campaign_id="cmp_gift",
        organizer_id=org,
        issuer_id="iss_club",
        tier="B",
        value=Decimal("50.00"),
        currency="EUR",
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=90),
        recipient=Recipient(email=EMAIL, name="Erika Vorher"),
        external_ref="pts-1",
        token=new_code(),
        issued_at=NOW,
    )
    transactions.commit(gifts.issuing(voucher, LedgerEntry(kind="issued", at=NOW, by="k", seq=1)))
    complaint = Complaint(
        complaint_id=f"cpl_{new_code()}",
        organizer_id=org,
        campaign_id="cmp_gift",
        code=voucher.code,
        text="Erika Vorher was refused",
        created_at=NOW,
        by="key_org",
    )
    transactions.commit([DynamoComplaintStore().recording(complaint)])
    assert batch.organizer_id == org
    DynamoInvitationStore().assign(invitation(batch, invited, EMAIL), None)
    return {
        "event": event,
        "orders": sorted([order.order_number, registered.order_number]),
        "registered": registered.order_number,
        "gift": voucher.code,
        "complaint": complaint.complaint_id,
        "invitation": invited,
    }


def exported(event: Any, email: str = EMAIL, organizer: Any = None) -> dict[str, Any]:
    from ticketing.adapters.privacy_desks import export_desk
    from ticketing.services.person_export import export_person

    return export_person(export_desk(), organizer or samples.organizer_of(event), email)


def backfill(**given: Any) -> Any:
    from ticketing.adapters.person_backfill import PersonIndexBackfill
    from ticketing.adapters.person_index import DynamoPersonIndex

    return PersonIndexBackfill(DynamoPersonIndex()).run(**given)


def test_items_written_before_the_index_are_exported_once_backfilled(aws: Aws) -> None:
    written = written_before_the_index(aws)
    assert not any(exported(written["event"]).values())

    report = backfill(segments=3)

    assert report.finished
    assert report.by_kind == {"order": 2, "gift": 1, "complaint": 1, "invitation": 1}
    assert report.present == 1  # the registration's order, met a second time by its voucher
    found = exported(written["event"])
    assert sorted(o["order_number"] for o in found["orders"]) == written["orders"]
    assert [r["order_number"] for r in found["voucher_registrations"]] == [written["registered"]]
    assert [g["code"] for g in found["gift_vouchers"]] == [written["gift"]]
    assert [c["complaint_id"] for c in found["complaints"]] == [written["complaint"]]
    assert [i["code"] for i in found["invitations"]] == [written["invitation"]]
    other = samples.organizer_of(samples.a_fair(organizer_id="org_other0000000000"))
    assert not any(exported(written["event"], organizer=other).values())


@pytest.mark.parametrize("segments", [1, 2])
def test_a_stopped_run_goes_on_where_it_stood_and_a_second_writes_nothing(
    aws: Aws, segments: int
) -> None:
    written_before_the_index(aws)

    first = backfill(segments=segments, page_size=3, max_pages=1)
    assert not first.finished
    rest = backfill(segments=segments, page_size=3)
    again = backfill(segments=segments, page_size=3)

    assert rest.finished
    assert first.written + rest.written == 5  # every entry once, however the run was cut
    # the second run read on from the kept positions: together they read what one run reads
    fresh = backfill(segments=segments + 5)  # another segment count starts afresh
    assert first.items + rest.items == fresh.items
    assert fresh.written == 0
    assert (again.items, again.written) == (0, 0)  # every segment is done: nothing is read


def test_an_erased_order_gets_no_entry_back(aws: Aws) -> None:
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.personal_data import DynamoPersonalData

    written = written_before_the_index(aws)
    for number in written["orders"]:
        order = DynamoOrderStore().get(number)
        assert order is not None
        DynamoPersonalData().erase_order(order)

    report = backfill(segments=1)

    assert report.by_kind.get("order", 0) == 0
    assert exported(written["event"])["orders"] == []


def test_the_operator_runs_it_with_ticketing_admin(
    aws: Aws, capsys: pytest.CaptureFixture[str]
) -> None:
    from ticketing.admin import main

    written = written_before_the_index(aws)

    assert main(["backfill-person-index", "--table", aws.table, "--segments", "2"]) == 0

    said = capsys.readouterr().out
    assert "wrote 5 entries" in said
    assert "segments done 2/2" in said
    assert len(exported(written["event"])["orders"]) == 2
    unfinished = ["backfill-person-index", "--table", aws.table, "--segments", "3"]
    assert main([*unfinished, "--page-size", "1", "--max-pages", "1"]) == 3
    assert "run again" in capsys.readouterr().out

"""The hotline's port (``services/ports_hotline.py``) on the fake and on DynamoDB (moto): a
complaint is recorded once, answered once, and listed by tenant and status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes import FakeComplaintStore, FakeDatabase, FakeTransactions
from ticketing.domain.gift_complaints import Complaint
from ticketing.services.ports import Transactions, WriteRefused
from ticketing.services.ports_hotline import ComplaintStore

NOW = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)


@dataclass
class Ports:
    complaints: ComplaintStore
    tx: Transactions


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        db = FakeDatabase()
        return Ports(FakeComplaintStore(db), FakeTransactions(db))
    request.getfixturevalue("aws")
    from ticketing.adapters.complaint_store import DynamoComplaintStore
    from ticketing.adapters.transactions import DynamoTransactions

    return Ports(DynamoComplaintStore(), DynamoTransactions())


def refused(commit: Callable[[], object]) -> list[str]:
    with pytest.raises(WriteRefused) as caught:
        commit()
    return caught.value.labels


def a_complaint(cid: str, org: str = "org_1", minutes: int = 0) -> Complaint:
    return Complaint(
        complaint_id=cid,
        organizer_id=org,
        campaign_id="cmp_1",
        code="ABCD2345EFGH6789J",
        redemption_id="red_1",
        text="会员说影院拒收了礼品券",
        created_at=NOW + timedelta(minutes=minutes),
        by="session:usr_1",
    )


def test_a_complaint_is_recorded_once_and_answered_once(ports: Ports) -> None:
    first = a_complaint("cpl_1")
    ports.tx.commit([ports.complaints.recording(first)])
    assert refused(lambda: ports.tx.commit([ports.complaints.recording(first)])) == ["complaint"]
    assert ports.complaints.get_complaint("cpl_1") == first
    assert ports.complaints.get_complaint("cpl_none") is None

    answered = first.model_copy(
        update={
            "status": "answered",
            "answer": "已核实，退回",
            "outcome": "upheld",
            "answered_at": NOW + timedelta(hours=1),
            "answered_by": "key_org",
            "reversed": True,
        }
    )
    ports.tx.commit([ports.complaints.answering(answered)])
    assert ports.complaints.get_complaint("cpl_1") == answered
    assert refused(lambda: ports.tx.commit([ports.complaints.answering(answered)])) == ["complaint"]
    # one that was never recorded cannot be answered
    ghost = answered.model_copy(update={"complaint_id": "cpl_ghost"})
    assert refused(lambda: ports.tx.commit([ports.complaints.answering(ghost)])) == ["complaint"]


def test_complaints_are_listed_by_tenant_and_status_oldest_first(ports: Ports) -> None:
    for cid, org, minutes in [("cpl_b", "org_1", 5), ("cpl_a", "org_1", 1), ("cpl_x", "org_2", 0)]:
        ports.tx.commit([ports.complaints.recording(a_complaint(cid, org, minutes))])
    assert [c.complaint_id for c in ports.complaints.list_complaints("org_1", "open")] == [
        "cpl_a",
        "cpl_b",
    ]
    done = a_complaint("cpl_a", minutes=1).model_copy(
        update={"status": "answered", "answer": "好", "outcome": "rejected", "answered_at": NOW}
    )
    ports.tx.commit([ports.complaints.answering(done)])
    assert [c.complaint_id for c in ports.complaints.list_complaints("org_1", "open")] == ["cpl_b"]
    assert [c.complaint_id for c in ports.complaints.list_complaints("org_1", "answered")] == [
        "cpl_a"
    ]
    assert [c.complaint_id for c in ports.complaints.list_complaints("org_2", "open")] == ["cpl_x"]

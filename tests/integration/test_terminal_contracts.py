"""The terminal's ports (``services/ports_terminal.py``) on the fakes and on DynamoDB (moto):
the lock of a terminal, the redemption records by merchant and time, revoking a terminal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.fakes.platform import FakePlatform
from tests.fakes.terminal import FakeRedemptionStore, FakeTerminalLocks
from ticketing.domain.errors import Conflict, NotFound
from ticketing.domain.gift_parties import MerchantDraft, TerminalDraft
from ticketing.domain.gift_redemptions import Redemption
from ticketing.domain.identity import Principal, Role
from ticketing.services import access
from ticketing.services.ports import AccessStore, Part, Transactions, WriteRefused
from ticketing.services.ports_terminal import RedemptionStore, TerminalLocks

NOW = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)
MINUTE = 60_000
NOW_MS = int(NOW.timestamp() * 1000)


@dataclass
class Ports:
    transactions: Transactions
    locks: TerminalLocks
    redemptions: RedemptionStore
    access: AccessStore
    revocation: Any


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        fake = FakePlatform()
        db = fake.db
        return Ports(
            fake.transactions,
            FakeTerminalLocks(db),
            FakeRedemptionStore(db),
            fake.access,
            fake.access,
        )
    request.getfixturevalue("aws")
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.redemption_store import DynamoRedemptionStore
    from ticketing.adapters.terminal_locks import DynamoTerminalLocks
    from ticketing.adapters.transactions import DynamoTransactions

    store = DynamoAccessStore()
    return Ports(DynamoTransactions(), DynamoTerminalLocks(), DynamoRedemptionStore(), store, store)


def test_the_tenth_failure_within_a_minute_locks_for_fifteen_minutes(ports: Ports) -> None:
    lock = 15 * MINUTE
    for i in range(9):
        state = ports.locks.record_failure("trm_1", NOW_MS + i * 1000, MINUTE, 10, lock)
        assert state.locked_until == 0
    # spread over more than a minute: the oldest fell out, nothing locks
    spread = ports.locks.record_failure("trm_1", NOW_MS + 61_000, MINUTE, 10, lock)
    assert (len(spread.failures), spread.locked_until) == (8, 0)
    for i in range(9):
        ports.locks.record_failure("trm_2", NOW_MS + i, MINUTE, 10, lock)
    tenth = ports.locks.record_failure("trm_2", NOW_MS + 10, MINUTE, 10, lock)
    assert tenth.locked_until == NOW_MS + 10 + lock
    # failures while locked do not extend the lock
    later = ports.locks.record_failure("trm_2", NOW_MS + 20, MINUTE, 10, lock)
    assert later.locked_until == tenth.locked_until
    assert ports.locks.state("trm_2", NOW_MS + 30, MINUTE).locked_until == tenth.locked_until
    assert ports.locks.state("trm_never", NOW_MS, MINUTE).locked_until == 0
    with pytest.raises(WriteRefused) as refused:
        ports.transactions.commit([ports.locks.unlocked("trm_2", NOW_MS + lock)])
    assert refused.value.labels == ["terminal_lock"]
    ports.transactions.commit([ports.locks.unlocked("trm_2", NOW_MS + 10 + lock)])
    ports.transactions.commit([ports.locks.unlocked("trm_never", NOW_MS)])


def _redemption(merchant_id: str, at: datetime, rid: str) -> Redemption:
    return Redemption(
        redemption_id=rid,
        code="7KQ2M9XD4HTBW2",
        campaign_id="cmp_1",
        organizer_id="org_1",
        merchant_id=merchant_id,
        merchant_name="南京新街口影城",
        city="南京",
        category="cinema",
        terminal_id="trm_1",
        tier="B",
        value=Decimal("50.00"),
        currency="CNY",
        settlement_rate=Decimal("0.45"),
        payable=Decimal("22.50"),
        redeemed_at=at,
    )


def test_redemptions_are_recorded_once_and_found_by_merchant_and_period(ports: Ports) -> None:
    first = _redemption("mer_1", NOW, "red_1")
    ports.transactions.commit([ports.redemptions.recording(first)])
    with pytest.raises(WriteRefused):
        ports.transactions.commit([ports.redemptions.recording(first)])
    ports.transactions.commit(
        [ports.redemptions.recording(_redemption("mer_1", NOW + timedelta(days=1), "red_2"))]
    )
    ports.transactions.commit([ports.redemptions.recording(_redemption("mer_2", NOW, "red_3"))])
    found = ports.redemptions.for_merchant("mer_1", NOW, NOW + timedelta(days=1))
    assert [r.redemption_id for r in found] == ["red_1"]  # the end is not in the period
    assert found[0].merchant_name == "南京新街口影城"
    assert found[0].payable == Decimal("22.50")
    ports.transactions.commit([ports.redemptions.reversing(first, NOW, "trm_2")])
    with pytest.raises(WriteRefused):
        ports.transactions.commit([ports.redemptions.reversing(first, NOW, "trm_2")])
    again = ports.redemptions.get_redemption("red_1")
    assert again is not None
    assert (again.reversed_at, again.reversed_by) == (NOW, "trm_2")
    assert ports.redemptions.get_redemption("red_none") is None


def test_a_revoked_terminal_and_its_key_are_revoked_together_once(ports: Ports) -> None:
    class Clock:
        def now(self) -> datetime:
            return NOW

    organizer = Principal(Role.ORGANIZER, "org_1", "org_1", "key_org")
    merchant = access.create_merchant(
        ports.access,
        Clock(),
        organizer,
        MerchantDraft(name="北京钱柜KTV", city="北京", category="ktv"),
    )
    made = access.create_terminal(
        ports.access, Clock(), organizer, merchant.merchant_id, TerminalDraft()
    )
    with pytest.raises(NotFound):
        ports.revocation.revoke_terminal(merchant.merchant_id, made.party.terminal_id, "org_x", NOW)
    revoked = ports.revocation.revoke_terminal(
        merchant.merchant_id, made.party.terminal_id, "org_1", NOW
    )
    assert revoked.revoked_at == NOW
    key = ports.access.get_key(made.key_id)
    assert key is not None
    assert key.revoked_at == NOW
    with pytest.raises(Conflict):
        ports.revocation.revoke_terminal(merchant.merchant_id, made.party.terminal_id, "org_1", NOW)
    listed = ports.access.list_terminals(merchant.merchant_id)
    assert [t.revoked_at for t in listed] == [NOW]


def test_a_commit_cancelled_by_a_concurrent_transaction_is_tried_again() -> None:
    from botocore.exceptions import ClientError

    from ticketing.adapters.dynamo import ConditionCheck
    from ticketing.adapters.retried_transactions import RetriedTransactions

    class Conflicting:
        def __init__(self, conflicts: int) -> None:
            self.conflicts, self.calls = conflicts, 0

        def transact(self, ops: object) -> None:
            self.calls += 1
            if self.calls <= self.conflicts:
                error = {"Error": {"Code": "TransactionCanceledException", "Message": "conflict"}}
                raise ClientError(error, "TransactWriteItems")  # type: ignore[arg-type]

    part = [Part("x", ConditionCheck({"PK": "A", "SK": "B"}, "attribute_exists(PK)"))]
    once = Conflicting(1)
    RetriedTransactions(once).commit(part)  # type: ignore[arg-type]
    assert once.calls == 2
    always = Conflicting(99)
    with pytest.raises(ClientError):
        RetriedTransactions(always).commit(part)  # type: ignore[arg-type]
    assert always.calls == 3

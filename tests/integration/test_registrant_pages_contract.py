"""The registrants of one exhibitor's codes, page by page (issue 16 item 5), on the fake and
on DynamoDB (moto): the fan-out of an exhibitor's message walks the exhibitor's redemptions
index with these pages, so each registration is on exactly one page, with its consent, and
another exhibitor's registrations never are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes import samples
from tests.fakes.notifications import FakeNotificationStore
from tests.fakes.platform import FakePlatform
from tests.fakes.registrants import FakeRegistrantPages
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.notifications import Notification
from ticketing.domain.visitor_vouchers import Registration
from ticketing.domain.voucher_codes import new_code
from ticketing.services.ports import BatchStore, Transactions, VisitorVoucherStore
from ticketing.services.ports_notifications import NotificationStore, RegistrantPages

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
MINE, THEIRS = "exh_mine0000000000", "exh_theirs00000000"


@dataclass
class Ports:
    transactions: Transactions
    batches: BatchStore
    vouchers: VisitorVoucherStore
    registrants: RegistrantPages
    notifications: NotificationStore


@pytest.fixture(params=["fake", "dynamodb"])
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        fake = FakePlatform()
        return Ports(
            fake.transactions,
            fake.batches,
            fake.vouchers,
            FakeRegistrantPages(fake.db),
            FakeNotificationStore(fake.db),
        )
    request.getfixturevalue("aws")
    from ticketing.adapters.notification_store import DynamoNotificationStore
    from ticketing.adapters.registrant_pages import DynamoRegistrantPages
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    return Ports(
        DynamoTransactions(),
        DynamoBatchStore(),
        DynamoVisitorVoucherStore(),
        DynamoRegistrantPages(),
        DynamoNotificationStore(),
    )


def registered(ports: Ports, exhibitor_id: str, consents: list[bool]) -> list[str]:
    """A batch of the exhibitor with one code per entry, each registered (a minute apart,
    newest last) with that consent; its order numbers."""
    event = samples.a_fair(100)
    batch = samples.a_batch(event, exhibitor_id, len(consents))
    ports.batches.add_batch(batch)
    codes = [new_code() for _ in consents]
    ports.batches.write_codes(batch, 0, codes)
    numbers: list[str] = []
    for i, (code, consent) in enumerate(zip(codes, consents, strict=True)):
        voucher = ports.vouchers.get_voucher(code)
        assert voucher is not None
        number = f"01DE-040526-{exhibitor_id[-4:]}{i:02d}"
        registration = Registration(
            code=code,
            first_name=f"V{i}",
            last_name="Besucher",
            email=f"v{i}.{exhibitor_id}@example.org",
            order_number=number,
            redeemed_at=NOW + timedelta(minutes=i),
            contact_consent=consent,
        )
        mailbox = registration.email
        ports.transactions.commit(
            ports.vouchers.registration(voucher, registration, mailbox, f"n{exhibitor_id}{i}")
        )
        numbers.append(number)
    return numbers


def test_pages_walk_each_registration_of_one_exhibitor_once_with_its_consent(
    ports: Ports,
) -> None:
    mine = registered(ports, MINE, [True, False, True, True, False])
    registered(ports, THEIRS, [True, True])

    seen: list[tuple[str, bool]] = []
    cursor = None
    pages = 0
    while True:
        page, cursor = ports.registrants.registrants(MINE, 2, cursor)
        assert len(page) <= 2
        seen.extend((r.order_number, r.contact_consent) for r in page)
        pages += 1
        if cursor is None:
            break
        assert pages < 10

    assert seen == list(zip(mine, [True, False, True, True, False], strict=True))
    assert pages in (3, 4)  # DynamoDB may hand out a last, empty page
    assert ports.registrants.registrants("exh_nobody00000000", 10, None) == ([], None)


def test_another_exhibitors_cursor_is_refused(ports: Ports) -> None:
    registered(ports, MINE, [True, True, True])
    registered(ports, THEIRS, [True, True, True])
    _, theirs = ports.registrants.registrants(THEIRS, 1, None)
    assert theirs is not None
    with pytest.raises(InvalidRequest):
        ports.registrants.registrants(MINE, 1, theirs)


def test_an_exhibitors_message_reads_back_with_its_audience(ports: Ports) -> None:
    written = Notification(
        notification_id="ntf_x1",
        organizer_id="org_a",
        event_id="evt_a",
        kind="information",
        subject="Wir sehen uns",
        body="Halle B",
        audience="exhibitor_registrants",
        exhibitor_id=MINE,
        state="submitted",
        created_at=NOW,
        created_by="key_exhibitor",
        updated_at=NOW,
        submitted_at=NOW,
    )
    ports.notifications.add(written)

    assert ports.notifications.get("ntf_x1") == written
    assert [n.notification_id for n in ports.notifications.in_state("submitted")] == ["ntf_x1"]
    listed = ports.notifications.of_event("evt_a")
    assert [(n.audience, n.exhibitor_id) for n in listed] == [("exhibitor_registrants", MINE)]

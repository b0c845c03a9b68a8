"""In-memory fakes of every port in ``ticketing.services.ports``.

They share one ``FakeDatabase`` and hand out ``Part``s of ``FakeWrite``s, so that a
``FakeTransactions.commit`` is all or nothing and names every failing part, as DynamoDB does.
``tests/integration/test_port_contracts.py`` runs the same scenarios against them and the
DynamoDB adapters on moto: that is what keeps them honest.
"""

from tests.fakes.access import FakeAccessStore
from tests.fakes.clock import FixedClock
from tests.fakes.database import FakeDatabase, FakeTransactions, FakeWrite
from tests.fakes.documents import FakeDocumentStore
from tests.fakes.events import FakeEventStore
from tests.fakes.gift import (
    FakeBulkQueue,
    FakeBulkStore,
    FakeCampaignStore,
    FakeGiftFiles,
    FakeGiftVoucherStore,
    FakeSms,
)
from tests.fakes.guards import FakeAttempts, FakeIdempotencyStore, FakeLinkSecrets
from tests.fakes.hotline import FakeComplaintStore
from tests.fakes.mail import (
    FakeMailer,
    FakeMailFailures,
    FakeMailQueue,
    FakeOutbox,
    FakeReminderLog,
    FakeSentMailLog,
    QueueDown,
    SentMail,
)
from tests.fakes.orders import FakeOrderStore
from tests.fakes.terminal import FakeRedemptionStore, FakeTerminalLocks
from tests.fakes.visitor_vouchers import (
    FakeBatchQueue,
    FakeBatchStore,
    FakeExhibitorFigures,
    FakeVisitorVoucherStore,
)

__all__ = [
    "FakeAccessStore",
    "FakeAttempts",
    "FakeBatchQueue",
    "FakeBatchStore",
    "FakeBulkQueue",
    "FakeBulkStore",
    "FakeCampaignStore",
    "FakeComplaintStore",
    "FakeDatabase",
    "FakeDocumentStore",
    "FakeEventStore",
    "FakeExhibitorFigures",
    "FakeGiftFiles",
    "FakeGiftVoucherStore",
    "FakeIdempotencyStore",
    "FakeLinkSecrets",
    "FakeMailFailures",
    "FakeMailQueue",
    "FakeMailer",
    "FakeOrderStore",
    "FakeOutbox",
    "FakeRedemptionStore",
    "FakeReminderLog",
    "FakeSentMailLog",
    "FakeSms",
    "FakeTerminalLocks",
    "FakeTransactions",
    "FakeVisitorVoucherStore",
    "FakeWrite",
    "FixedClock",
    "QueueDown",
    "SentMail",
]

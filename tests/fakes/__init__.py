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
from tests.fakes.guards import FakeAttempts, FakeIdempotencyStore, FakeLinkSecrets
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
    "FakeDatabase",
    "FakeDocumentStore",
    "FakeEventStore",
    "FakeExhibitorFigures",
    "FakeIdempotencyStore",
    "FakeLinkSecrets",
    "FakeMailFailures",
    "FakeMailQueue",
    "FakeMailer",
    "FakeOrderStore",
    "FakeOutbox",
    "FakeReminderLog",
    "FakeSentMailLog",
    "FakeTransactions",
    "FakeVisitorVoucherStore",
    "FakeWrite",
    "FixedClock",
    "QueueDown",
    "SentMail",
]

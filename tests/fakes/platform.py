"""Every fake on one database, and the dependency objects the use cases take, built from them.

A service test makes one ``FakePlatform`` and reads what happened from its stores, queues and
mailer; nothing in it reaches a network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.fakes.access import FakeAccessStore
from tests.fakes.clock import FixedClock
from tests.fakes.database import FakeDatabase, FakeTransactions
from tests.fakes.documents import FakeDocumentStore
from tests.fakes.events import FakeEventStore
from tests.fakes.guards import FakeAttempts, FakeIdempotencyStore, FakeLinkSecrets
from tests.fakes.hotline import FakeComplaintStore
from tests.fakes.mail import (
    FakeMailer,
    FakeMailFailures,
    FakeMailQueue,
    FakeOutbox,
    FakeReminderLog,
    FakeSentMailLog,
)
from tests.fakes.mail_policy import (
    FakeConsentStore,
    FakeMailTokens,
    FakeSuppressionStore,
    FakeWithheldMails,
)
from tests.fakes.orders import FakeOrderStore
from tests.fakes.privacy import (
    FakeErasureQueue,
    FakeErasureStore,
    FakePersonalData,
    FakePersonalGifts,
    FakePersonalInvitations,
    FakePersonIndex,
    FakeRetentionEvents,
)
from tests.fakes.questions import FakeQuestionStore
from tests.fakes.visitor_vouchers import (
    CODES_PER_WRITE,
    FakeBatchQueue,
    FakeBatchStore,
    FakeExhibitorFigures,
    FakeVisitorVoucherStore,
)
from ticketing.services.bookings import Booking
from ticketing.services.erasure import ErasureDesk
from ticketing.services.events import EventDesk
from ticketing.services.ordering import Ordering
from ticketing.services.person_export import ExportDesk
from ticketing.services.portal import LinkDesk
from ticketing.services.reminders import Reminding
from ticketing.services.visitor_vouchers.batches import BatchDesk
from ticketing.services.visitor_vouchers.billing import Billing
from ticketing.services.visitor_vouchers.registration import RegistrationDesk
from ticketing.services.visitor_vouchers.validity import Validity

START = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # the moment the ``aws`` fixture starts at too


@dataclass
class FakePlatform:
    clock: FixedClock = field(default_factory=lambda: FixedClock(START))
    db: FakeDatabase = field(default_factory=FakeDatabase)
    codes_per_write: int = CODES_PER_WRITE

    def __post_init__(self) -> None:
        db = self.db
        self.transactions = FakeTransactions(db)
        self.access = FakeAccessStore(db)
        self.events = FakeEventStore(db)
        self.orders = FakeOrderStore(db)
        self.idempotency = FakeIdempotencyStore(db)
        self.attempts = FakeAttempts(db)
        self.link_secrets = FakeLinkSecrets(db)
        self.outbox = FakeOutbox(db)
        self.mail = FakeMailQueue()
        self.mailer = FakeMailer()
        self.sent_mail = FakeSentMailLog(db)
        self.mail_failures = FakeMailFailures(db)
        self.reminder_log = FakeReminderLog(db)
        self.documents = FakeDocumentStore()
        self.batches = FakeBatchStore(db, self.codes_per_write)
        self.vouchers = FakeVisitorVoucherStore(db)
        self.figures = FakeExhibitorFigures(db)
        self.batch_queue = FakeBatchQueue()
        # issue 15: mail policy
        self.consents = FakeConsentStore()
        self.suppressions = FakeSuppressionStore()
        self.mail_tokens = FakeMailTokens()
        self.withheld = FakeWithheldMails()
        self.questions = FakeQuestionStore(self.db)
        # issue 17: a person's data
        self.people = FakePersonIndex(self.db)
        self.erasures = FakeErasureStore()
        self.erasure_queue = FakeErasureQueue()
        self.retention_events = FakeRetentionEvents(self.db)
        self.personal_data = FakePersonalData(self.db, self.people, self.erasures, self.consents)
        self.complaints = FakeComplaintStore(self.db)
        self.personal_gifts = FakePersonalGifts(self.db, self.complaints)
        self.personal_invitations = FakePersonalInvitations(self.db)

    # what the use cases take ------------------------------------------------------------------

    def ordering(self) -> Ordering:
        return Ordering(
            self.orders, self.outbox, self.mail, self.transactions, self.clock, self.people
        )

    def booking(self) -> Booking:
        return Booking(self.ordering(), self.events, self.idempotency, self.questions)

    def event_desk(self) -> EventDesk:
        return EventDesk(self.events, self.idempotency, self.clock)

    def link_desk(self) -> LinkDesk:
        return LinkDesk(self.orders, self.orders, self.attempts, self.mail, self.clock)

    def registration_desk(self) -> RegistrationDesk:
        return RegistrationDesk(
            self.ordering(),
            self.vouchers,
            self.figures,
            self.events,
            self.attempts,
            self.questions,
        )

    def batch_desk(self) -> BatchDesk:
        return BatchDesk(
            self.batches, self.access, self.events, self.batch_queue, self.idempotency, self.clock
        )

    def billing(self) -> Billing:
        return Billing(self.figures, self.access, self.events)

    def erasure_desk(self) -> ErasureDesk:
        return ErasureDesk(
            self.people,
            self.personal_data,
            self.erasures,
            self.erasure_queue,
            self.orders,
            self.events,
            self.access,
            self.documents,
            self.documents,
            self.clock,
            self.personal_gifts,
            self.transactions,
            self.idempotency,
            self.personal_invitations,
        )

    def export_desk(self) -> ExportDesk:
        return ExportDesk(
            self.people,
            self.personal_data,
            self.orders,
            self.consents,
            self.personal_gifts,
            self.mail_failures,
            self.withheld,
            self.personal_invitations,
        )

    def validity(self) -> Validity:
        return Validity(
            self.vouchers, self.batches, self.events, self.clock, self.batches, self.batch_queue
        )

    def reminding(self) -> Reminding:
        return Reminding(
            self.events,
            self.orders,
            self.vouchers,
            self.batches,
            self.access,
            self.reminder_log,
            self.mail,
            self.clock,
            self.consents,
        )

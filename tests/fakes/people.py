"""Console users, sign-in links, sessions and the activity log in memory
(the ports of services/ports_console.py)."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from ticketing.domain.errors import Conflict
from ticketing.domain.people import Session, SignInLink, User, UserKind
from ticketing.services.ports_console import Activity, Subject


class FakePeople:
    """``People``, ``SignInLinks`` and ``Sessions`` in one, as DynamoPeopleStore is."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.mailboxes: dict[str, str] = {}  # mailbox -> user id
        self.links: dict[str, SignInLink] = {}
        self.sessions: dict[str, Session] = {}
        self.touches = 0

    def add_user(self, user: User) -> None:
        with self.lock:
            if user.user_id in self.users or user.mailbox in self.mailboxes:
                raise Conflict("a user with this e-mail address exists already")
            self.users[user.user_id] = user
            self.mailboxes[user.mailbox] = user.user_id

    def get_user(self, user_id: str) -> User | None:
        return self.users.get(user_id)

    def find_by_email(self, mailbox: str) -> User | None:
        user = self.users.get(self.mailboxes.get(mailbox, ""))
        return None if user is None or user.removed_at is not None else user

    def list_staff(self, organizer_id: str) -> list[User]:
        staff = [
            u
            for u in self.users.values()
            if u.kind is UserKind.ORGANIZER and u.organizer_id == organizer_id
        ]
        return sorted(staff, key=lambda u: (u.created_at, u.user_id))

    def remove_user(self, user: User, at: datetime) -> bool:
        with self.lock:
            stored = self.users.get(user.user_id)
            if stored is None or stored.removed_at is not None:
                return False
            self.users[user.user_id] = stored.model_copy(update={"removed_at": at})
            if self.mailboxes.get(stored.mailbox) == stored.user_id:
                del self.mailboxes[stored.mailbox]
            return True

    def add_link(self, link: SignInLink) -> None:
        self.links[link.token_hash] = link

    def get_link(self, token_hash: str) -> SignInLink | None:
        return self.links.get(token_hash)

    def use_link(self, token_hash: str, at: datetime) -> bool:
        with self.lock:
            link = self.links.get(token_hash)
            if link is None or link.used_at is not None:
                return False
            self.links[token_hash] = link.model_copy(update={"used_at": at})
            return True

    def add_session(self, session: Session) -> None:
        self.sessions[session.session_hash] = session

    def get_session(self, session_hash: str) -> Session | None:
        return self.sessions.get(session_hash)

    def touch(self, session: Session, at: datetime) -> None:
        with self.lock:
            if session.session_hash in self.sessions:
                self.sessions[session.session_hash] = session.model_copy(update={"last_seen": at})
                self.touches += 1

    def end_session(self, session_hash: str) -> None:
        self.sessions.pop(session_hash, None)


class FakeActivityLog:
    def __init__(self) -> None:
        self.entries: list[Activity] = []

    def record(self, activity: Activity) -> None:
        self.entries.append(activity)

    def of(self, subject: Subject, subject_id: str, limit: int = 100) -> list[Activity]:
        found = [a for a in self.entries if (a.subject, a.subject_id) == (subject, subject_id)]
        return sorted(found, key=lambda a: a.at)[:limit]


def fake_visitor_voucher_ports(db: Any) -> Any:
    """The exhibitors' visitor voucher ports of the console on fakes (on ``db``)."""
    from tests.fakes.guards import FakeIdempotencyStore
    from tests.fakes.visitor_vouchers import FakeBatchQueue, FakeBatchStore, FakeVisitorVoucherStore
    from ticketing.console.visitor_voucher_ports import VisitorVoucherPorts

    return VisitorVoucherPorts(
        batches=FakeBatchStore(db),
        vouchers=FakeVisitorVoucherStore(db),
        queue=FakeBatchQueue(),
        idempotency=FakeIdempotencyStore(db),
    )


def fake_backoffice_ports(db: Any) -> Any:
    """The organizer's back office ports of the console on fakes (on ``db``)."""
    from tests.fakes.database import FakeTransactions
    from tests.fakes.guards import FakeIdempotencyStore
    from tests.fakes.mail import FakeOutbox
    from tests.fakes.visitor_vouchers import FakeBatchQueue, FakeBatchStore
    from ticketing.console.backoffice_ports import BackofficePorts

    return BackofficePorts(
        outbox=FakeOutbox(db),
        transactions=FakeTransactions(db),
        idempotency=FakeIdempotencyStore(db),
        jobs=FakeBatchStore(db),
        extensions=FakeBatchQueue(),
    )


def fake_gift_ports(db: Any) -> Any:
    """The gift voucher ports of the console on fakes (on ``db``)."""
    from tests.fakes.access import FakeAccessStore
    from tests.fakes.database import FakeTransactions
    from tests.fakes.gift import FakeCampaignStore, FakeGiftVoucherStore
    from tests.fakes.guards import FakeIdempotencyStore
    from tests.fakes.hotline import FakeComplaintStore
    from tests.fakes.terminal import FakeRedemptionStore, FakeTerminalLocks
    from ticketing.console.gift_ports import GiftPorts

    return GiftPorts(
        campaigns=FakeCampaignStore(db),
        gifts=FakeGiftVoucherStore(db),
        complaints=FakeComplaintStore(db),
        redemptions=FakeRedemptionStore(db),
        locks=FakeTerminalLocks(db),
        revocation=FakeAccessStore(db),
        transactions=FakeTransactions(db),
        idempotency=FakeIdempotencyStore(db),
    )


def fake_notification_ports(db: Any) -> Any:
    from tests.fakes.guards import FakeIdempotencyStore
    from tests.fakes.mail_policy import FakeConsentStore, FakeWithheldMails
    from tests.fakes.notifications import FakeNotificationQueue, FakeNotificationStore
    from ticketing.console.notification_ports import NotificationPorts

    return NotificationPorts(
        FakeNotificationStore(db),
        FakeNotificationQueue(),
        FakeIdempotencyStore(db),
        FakeConsentStore(),
        FakeWithheldMails(),
    )


def fake_console_stores(clock: Any, **given: Any) -> Any:
    """The console's ``Stores`` on fakes; ``given`` replaces any of them by name."""
    from tests.fakes.access import FakeAccessStore
    from tests.fakes.database import FakeDatabase
    from tests.fakes.documents import FakeDocumentStore
    from tests.fakes.events import FakeEventStore
    from tests.fakes.guards import FakeAttempts
    from tests.fakes.mail import FakeMailFailures, FakeMailQueue
    from tests.fakes.orders import FakeOrderStore
    from tests.fakes.questions import FakeQuestionStore
    from tests.fakes.visitor_vouchers import FakeExhibitorFigures
    from ticketing.console.stores import Stores

    db = given.pop("db", None) or FakeDatabase()
    people = given.pop("people", None) or FakePeople()
    parts: dict[str, Any] = {
        "people": people,
        "links": people,
        "sessions": people,
        "attempts": FakeAttempts(db),
        "mail": FakeMailQueue(),
        "activity": FakeActivityLog(),
        "access": FakeAccessStore(db),
        "clock": clock,
        "events": FakeEventStore(db),
        "orders": FakeOrderStore(db),
        "docs": FakeDocumentStore(),
        "mail_failures": FakeMailFailures(db),
        "figures": FakeExhibitorFigures(db),
        "visitor_vouchers": fake_visitor_voucher_ports(db),
        "backoffice": fake_backoffice_ports(db),
        "gift": fake_gift_ports(db),
        "questions": FakeQuestionStore(db),
        "notifications": fake_notification_ports(db),
        "invitations": _fake_invitation_ports(db),
        "privacy": fake_privacy_ports(db, clock),
    }
    return Stores(**{**parts, **given})


def fake_privacy_ports(db: Any, clock: Any) -> Any:
    """The privacy desks on fakes sharing ``db`` with the console's orders and events."""
    from tests.fakes.access import FakeAccessStore
    from tests.fakes.database import FakeTransactions
    from tests.fakes.documents import FakeDocumentStore
    from tests.fakes.events import FakeEventStore
    from tests.fakes.guards import FakeIdempotencyStore
    from tests.fakes.hotline import FakeComplaintStore
    from tests.fakes.mail_policy import FakeConsentStore
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
    from ticketing.console.privacy_ports import PrivacyPorts
    from ticketing.services.erasure import ErasureDesk
    from ticketing.services.person_export import ExportDesk
    from ticketing.services.retention import RetentionDesk

    people, erasures, consents = FakePersonIndex(db), FakeErasureStore(), FakeConsentStore()
    data = FakePersonalData(db, people, erasures, consents)
    gifts = FakePersonalGifts(db, FakeComplaintStore(db))
    invitations = FakePersonalInvitations(db)
    orders, events, docs = FakeOrderStore(db), FakeEventStore(db), FakeDocumentStore()
    desk = ErasureDesk(
        people,
        data,
        erasures,
        FakeErasureQueue(),
        orders,
        events,
        FakeAccessStore(db),
        docs,
        docs,
        clock,
        gifts,
        # the confirmation form's key is the erasure's Idempotency-Key (a double submit)
        transactions=FakeTransactions(db),
        idempotency=FakeIdempotencyStore(db),
        invitations=invitations,
    )
    return PrivacyPorts(
        desk,
        ExportDesk(people, data, orders, consents, gifts, invitations=invitations),
        RetentionDesk(FakeRetentionEvents(db), desk),
    )


def _fake_invitation_ports(db: Any) -> Any:
    from tests.fakes.invitations import FakeInvitationQueue, FakeInvitationStore
    from ticketing.console.invitation_ports import InvitationPorts

    return InvitationPorts(store=FakeInvitationStore(db), queue=FakeInvitationQueue())

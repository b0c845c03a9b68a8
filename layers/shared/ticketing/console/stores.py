"""The ports the console's pages use, in one object the function builds once per container
(:func:`dynamo_stores`) and tests build from fakes (``tests/fakes/people.py``).

A page engineer who needs another port adds a field here and its adapter in
:func:`dynamo_stores` (and its fake in ``fake_console_stores``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ticketing.services.sign_in import ConsoleDesk
from ticketing.services.staff import StaffDesk

if TYPE_CHECKING:
    from datetime import datetime

    from ticketing.clock import Clock
    from ticketing.console.backoffice_ports import BackofficePorts
    from ticketing.console.gift_ports import GiftPorts
    from ticketing.console.invitation_ports import InvitationPorts
    from ticketing.console.notification_ports import NotificationPorts
    from ticketing.console.privacy_ports import PrivacyPorts
    from ticketing.console.visitor_voucher_ports import VisitorVoucherPorts
    from ticketing.services.ports import (
        AccessStore,
        Attempts,
        DocumentStore,
        ExhibitorFigures,
        MailFailures,
        MailQueue,
        OrderStore,
    )
    from ticketing.services.ports_console import ActivityLog, People, Sessions, SignInLinks
    from ticketing.services.ports_dashboard import EventFigureStore
    from ticketing.services.ports_questions import QuestionStore


@dataclass
class Stores:
    people: People
    links: SignInLinks
    sessions: Sessions
    attempts: Attempts
    mail: MailQueue
    activity: ActivityLog
    access: AccessStore
    clock: Clock
    # the organizer's orders side (console/pages/orders.py)
    events: EventFigureStore  # an EventStore that reads the dashboard's figures too
    orders: OrderStore
    docs: DocumentStore
    mail_failures: MailFailures
    figures: ExhibitorFigures
    # exhibitors' visitor vouchers (console/pages/exhibitor.py)
    visitor_vouchers: VisitorVoucherPorts
    # the organizer's back office (console/pages/backoffice*.py)
    backoffice: BackofficePorts
    # gift vouchers: merchants, campaigns, the hotline (console/pages/gift*.py)
    gift: GiftPorts
    # an event's questions, seed 002 (console/pages/questions.py)
    questions: QuestionStore
    # notifications to ticket holders and their review, issue 15 (console/pages/messages.py)
    notifications: NotificationPorts
    # exhibitors' invitations, issue 16 (console/pages/invitations.py)
    invitations: InvitationPorts
    # a person's data, issue 17 (console/pages/privacy.py)
    privacy: PrivacyPorts

    @cached_property
    def desk(self) -> ConsoleDesk:
        return ConsoleDesk(
            self.people, self.links, self.sessions, self.attempts, self.mail, self.clock
        )

    @cached_property
    def staff_desk(self) -> StaffDesk:
        return StaffDesk(self.people, self.mail, self.clock)


def dynamo_stores() -> Stores:
    """The DynamoDB/SQS adapters (imported here: importing the console imports no boto3)."""
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.activity_log import DynamoActivityLog
    from ticketing.adapters.attempts import DynamoAttempts
    from ticketing.adapters.document_store import S3DocumentStore
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.mail_failures import DynamoMailFailures
    from ticketing.adapters.mail_queue import SqsMailQueue
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.people_store import DynamoPeopleStore
    from ticketing.adapters.question_store import DynamoQuestionStore
    from ticketing.adapters.voucher_batch_store import DynamoExhibitorFigures
    from ticketing.console.backoffice_ports import dynamo_backoffice_ports
    from ticketing.console.gift_ports import dynamo_gift_ports
    from ticketing.console.invitation_ports import dynamo_invitation_ports
    from ticketing.console.notification_ports import dynamo_notification_ports
    from ticketing.console.privacy_ports import dynamo_privacy_ports
    from ticketing.console.visitor_voucher_ports import dynamo_visitor_voucher_ports

    people = DynamoPeopleStore()
    return Stores(
        people=people,
        links=people,
        sessions=people,
        attempts=DynamoAttempts(),
        mail=SqsMailQueue(),
        activity=DynamoActivityLog(),
        access=DynamoAccessStore(),
        clock=_Current(),
        events=DynamoEventStore(),
        orders=DynamoOrderStore(),
        docs=S3DocumentStore(),
        mail_failures=DynamoMailFailures(),
        figures=DynamoExhibitorFigures(),
        visitor_vouchers=dynamo_visitor_voucher_ports(),
        backoffice=dynamo_backoffice_ports(),
        gift=dynamo_gift_ports(),
        questions=DynamoQuestionStore(),
        notifications=dynamo_notification_ports(),
        invitations=dynamo_invitation_ports(),
        privacy=dynamo_privacy_ports(),
    )


class _Current:
    """The process's clock as it is at each call (the local stack moves it)."""

    def now(self) -> datetime:
        from ticketing import clock

        return clock.current().now()

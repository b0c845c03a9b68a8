"""The privacy use cases wired to DynamoDB, S3 and SQS: the API, the erasure worker and the
retention schedule build the same desks.

Every store a desk holds for one kind of data is ``deferred``: its adapter (and the domain
models it reads) is imported when a request first uses it. Asking for an erasure then loads
no order, gift or invitation code at all, and an export or erasure loads the kinds the
person holds (docs/decision_log.md, cold start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing import clock
from ticketing.adapters.deferred import deferred
from ticketing.adapters.dynamo import Table
from ticketing.adapters.erasure_store import DynamoErasureStore, SqsErasureQueue
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.person_index import DynamoPersonIndex
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.services.erasure import ErasureDesk
from ticketing.services.person_export import ExportDesk
from ticketing.services.retention import RetentionDesk

if TYPE_CHECKING:
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.consent_store import DynamoConsentStore
    from ticketing.adapters.document_store import S3DocumentStore
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.mail_failures import DynamoMailFailures
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.personal_data import DynamoPersonalData
    from ticketing.adapters.personal_gifts import DynamoPersonalGifts
    from ticketing.adapters.personal_invitations import DynamoPersonalInvitations
    from ticketing.adapters.retention_events import DynamoRetentionEvents
    from ticketing.adapters.withheld_mails import DynamoWithheldMails


def erasure_desk() -> ErasureDesk:
    t = Table()
    docs = deferred(_documents)
    return ErasureDesk(
        people=DynamoPersonIndex(t),
        data=deferred(lambda: _personal_data(t)),
        erasures=DynamoErasureStore(t),
        queue=SqsErasureQueue(),
        orders=deferred(lambda: _orders(t)),
        events=deferred(lambda: _events(t)),
        organizers=deferred(lambda: _organizers(t)),
        docs=docs,
        removal=docs,
        clock=clock.current(),
        gifts=deferred(lambda: _gifts(t)),
        transactions=DynamoTransactions(t),
        idempotency=DynamoIdempotencyStore(t),
        invitations=deferred(lambda: _invitations(t)),
    )


def export_desk() -> ExportDesk:
    t = Table()
    return ExportDesk(
        people=DynamoPersonIndex(t),
        data=deferred(lambda: _personal_data(t)),
        orders=deferred(lambda: _orders(t)),
        consents=deferred(lambda: _consents(t)),
        gifts=deferred(lambda: _gifts(t)),
        mail_failures=deferred(lambda: _mail_failures(t)),
        withheld=deferred(lambda: _withheld(t)),
        invitations=deferred(lambda: _invitations(t)),
    )


def retention_desk() -> RetentionDesk:
    return RetentionDesk(deferred(_retention_events), erasure_desk())


# One maker per adapter: each imports its module when the desk's store is first used.


def _personal_data(t: Table) -> DynamoPersonalData:
    from ticketing.adapters.personal_data import DynamoPersonalData

    return DynamoPersonalData(t)


def _orders(t: Table) -> DynamoOrderStore:
    from ticketing.adapters.order_store import DynamoOrderStore

    return DynamoOrderStore(t)


def _events(t: Table) -> DynamoEventStore:
    from ticketing.adapters.event_store import DynamoEventStore

    return DynamoEventStore(t)


def _organizers(t: Table) -> DynamoAccessStore:
    from ticketing.adapters.access_store import DynamoAccessStore

    return DynamoAccessStore(t)


def _documents() -> S3DocumentStore:
    from ticketing.adapters.document_store import S3DocumentStore

    return S3DocumentStore()


def _gifts(t: Table) -> DynamoPersonalGifts:
    from ticketing.adapters.personal_gifts import DynamoPersonalGifts

    return DynamoPersonalGifts(t)


def _invitations(t: Table) -> DynamoPersonalInvitations:
    from ticketing.adapters.personal_invitations import DynamoPersonalInvitations

    return DynamoPersonalInvitations(t)


def _consents(t: Table) -> DynamoConsentStore:
    from ticketing.adapters.consent_store import DynamoConsentStore

    return DynamoConsentStore(t)


def _mail_failures(t: Table) -> DynamoMailFailures:
    from ticketing.adapters.mail_failures import DynamoMailFailures

    return DynamoMailFailures(t)


def _withheld(t: Table) -> DynamoWithheldMails:
    from ticketing.adapters.withheld_mails import DynamoWithheldMails

    return DynamoWithheldMails(t)


def _retention_events() -> DynamoRetentionEvents:
    from ticketing.adapters.retention_events import DynamoRetentionEvents

    return DynamoRetentionEvents()

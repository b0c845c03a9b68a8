"""The privacy use cases wired to DynamoDB, S3 and SQS: the API, the erasure worker and the
retention schedule build the same desks."""

from __future__ import annotations

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.consent_store import DynamoConsentStore, DynamoWithheldMails
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.dynamo import Table
from ticketing.adapters.erasure_store import DynamoErasureStore, SqsErasureQueue
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
from ticketing.adapters.mail_failures import DynamoMailFailures
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.adapters.person_index import DynamoPersonIndex
from ticketing.adapters.personal_data import DynamoPersonalData
from ticketing.adapters.personal_gifts import DynamoPersonalGifts
from ticketing.adapters.personal_invitations import DynamoPersonalInvitations
from ticketing.adapters.retention_events import DynamoRetentionEvents
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.services.erasure import ErasureDesk
from ticketing.services.person_export import ExportDesk
from ticketing.services.retention import RetentionDesk


def erasure_desk() -> ErasureDesk:
    docs, t = S3DocumentStore(), Table()
    return ErasureDesk(
        people=DynamoPersonIndex(t),
        data=DynamoPersonalData(t),
        erasures=DynamoErasureStore(t),
        queue=SqsErasureQueue(),
        orders=DynamoOrderStore(t),
        events=DynamoEventStore(t),
        organizers=DynamoAccessStore(t),
        docs=docs,
        removal=docs,
        clock=clock.current(),
        gifts=DynamoPersonalGifts(t),
        transactions=DynamoTransactions(t),
        idempotency=DynamoIdempotencyStore(t),
        invitations=DynamoPersonalInvitations(t),
    )


def export_desk() -> ExportDesk:
    t = Table()
    return ExportDesk(
        people=DynamoPersonIndex(t),
        data=DynamoPersonalData(t),
        orders=DynamoOrderStore(t),
        consents=DynamoConsentStore(t),
        gifts=DynamoPersonalGifts(t),
        mail_failures=DynamoMailFailures(t),
        withheld=DynamoWithheldMails(t),
        invitations=DynamoPersonalInvitations(t),
    )


def retention_desk() -> RetentionDesk:
    return RetentionDesk(DynamoRetentionEvents(), erasure_desk())

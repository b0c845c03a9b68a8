"""The ports the organizer's back office (bookings, events, exhibitors, vouchers, onboarding)
needs beyond the core's: what ``functions/bookings``, ``functions/access`` and
``functions/voucher_batches`` build for the same use cases, as ``stores.backoffice``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ticketing.services.ports import IdempotencyStore, Outbox, Transactions
    from ticketing.services.ports_vouchers import ExtensionQueue, ExtensionStore


@dataclass
class BackofficePorts:
    outbox: Outbox  # a booking's confirmation, a welcome: committed with their write
    transactions: Transactions  # an order's places, number and positions in one commit
    idempotency: IdempotencyStore  # a form's one-time key: a double submit books once
    # the validity use cases take a batch's extension job and its queue (one voucher: neither)
    jobs: ExtensionStore
    extensions: ExtensionQueue


def dynamo_backoffice_ports() -> BackofficePorts:
    from ticketing.adapters.extension_queue import SqsExtensionQueue
    from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
    from ticketing.adapters.outbox import DynamoOutbox
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    return BackofficePorts(
        outbox=DynamoOutbox(),
        transactions=DynamoTransactions(),
        idempotency=DynamoIdempotencyStore(),
        jobs=DynamoBatchStore(),
        extensions=SqsExtensionQueue(),
    )

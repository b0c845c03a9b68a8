"""The ports of exhibitors' visitor vouchers (seed 000) the console's pages need beyond the
core's: the same stores ``functions/voucher_batches`` builds, as ``stores.visitor_vouchers``
(events, documents and figures are the core's ``stores.events``, ``docs``, ``figures``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ticketing.services.ports import (
        BatchQueue,
        BatchStore,
        IdempotencyStore,
        VisitorVoucherStore,
    )


@dataclass
class VisitorVoucherPorts:
    batches: BatchStore
    vouchers: VisitorVoucherStore
    queue: BatchQueue
    idempotency: IdempotencyStore


def dynamo_visitor_voucher_ports() -> VisitorVoucherPorts:
    from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
    from ticketing.adapters.mail_queue import SqsBatchQueue
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore

    return VisitorVoucherPorts(
        batches=DynamoBatchStore(),
        vouchers=DynamoVisitorVoucherStore(),
        queue=SqsBatchQueue(),
        idempotency=DynamoIdempotencyStore(),
    )

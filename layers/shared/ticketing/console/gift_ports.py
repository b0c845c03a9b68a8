"""The ports of gift vouchers (seed 004) the console's pages need beyond the core's: the same
stores ``functions/access``, ``gift_reports`` and ``hotline`` build, as ``stores.gift``
(merchants and terminals are the core's ``stores.access``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ticketing.services.hotline import HotlineDesk

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import AccessStore, IdempotencyStore, Transactions
    from ticketing.services.ports_gift import CampaignStore, GiftVoucherStore
    from ticketing.services.ports_hotline import ComplaintStore
    from ticketing.services.ports_privacy import PersonIndex
    from ticketing.services.ports_terminal import RedemptionStore, TerminalLocks, TerminalRevocation


@dataclass
class GiftPorts:
    campaigns: CampaignStore
    gifts: GiftVoucherStore
    complaints: ComplaintStore
    redemptions: RedemptionStore
    locks: TerminalLocks
    revocation: TerminalRevocation  # the access store's (a terminal and its key, together)
    transactions: Transactions
    idempotency: IdempotencyStore
    people: PersonIndex | None = None  # issue 17: a complaint's entry under the recipient

    def hotline(self, clock: Clock, access: AccessStore) -> HotlineDesk:
        return HotlineDesk(
            clock,
            self.campaigns,
            self.gifts,
            self.complaints,
            self.redemptions,
            self.transactions,
            self.idempotency,
            access,
            self.people,
        )


def dynamo_gift_ports() -> GiftPorts:
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.complaint_store import DynamoComplaintStore
    from ticketing.adapters.gift_store import DynamoCampaignStore, DynamoGiftVoucherStore
    from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.adapters.redemption_store import DynamoRedemptionStore
    from ticketing.adapters.terminal_locks import DynamoTerminalLocks
    from ticketing.adapters.transactions import DynamoTransactions

    return GiftPorts(
        campaigns=DynamoCampaignStore(),
        gifts=DynamoGiftVoucherStore(),
        complaints=DynamoComplaintStore(),
        redemptions=DynamoRedemptionStore(),
        locks=DynamoTerminalLocks(),
        revocation=DynamoAccessStore(),
        transactions=DynamoTransactions(),
        idempotency=DynamoIdempotencyStore(),
        people=DynamoPersonIndex(),
    )

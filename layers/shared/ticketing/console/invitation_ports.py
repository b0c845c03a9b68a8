"""The ports of exhibitors' invitations (issue 16) the console's pages need, as
``stores.invitations``: the same stores ``functions/invitations`` builds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ticketing.console.stores import Stores
    from ticketing.services.ports_invitations import InvitationQueue, InvitationStore
    from ticketing.services.visitor_vouchers.invitation_tracking import Tracking


@dataclass
class InvitationPorts:
    store: InvitationStore
    queue: InvitationQueue

    def tracking(self, stores: Stores) -> Tracking:
        """What the tracking list, the batch's counts and the exhibitor's messages read."""
        from ticketing.services.visitor_vouchers.invitation_tracking import Tracking

        return Tracking(
            self.store,
            stores.visitor_vouchers.batches,
            stores.visitor_vouchers.vouchers,
            stores.figures,
            stores.access,
            stores.events,
        )


def dynamo_invitation_ports() -> InvitationPorts:
    from ticketing.adapters.invitation_queue import SqsInvitationQueue
    from ticketing.adapters.invitation_store import DynamoInvitationStore

    return InvitationPorts(store=DynamoInvitationStore(), queue=SqsInvitationQueue())

"""The ports of exhibitors' invitations (issue 16) the console's pages need, as
``stores.invitations``: the same stores ``functions/invitations`` builds."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing.services.ports_invitations import InvitationQueue, InvitationStore


@dataclass
class InvitationPorts:
    store: InvitationStore
    queue: InvitationQueue


def dynamo_invitation_ports() -> InvitationPorts:
    from ticketing.adapters.invitation_queue import SqsInvitationQueue
    from ticketing.adapters.invitation_store import DynamoInvitationStore

    return InvitationPorts(store=DynamoInvitationStore(), queue=SqsInvitationQueue())

"""The ports of notifications to ticket holders (issue 15) the console's pages need beyond the
core's: the same stores ``functions/notifications`` builds, as ``stores.notifications``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ticketing.console.stores import Stores
    from ticketing.services.notifications import Desk
    from ticketing.services.ports import IdempotencyStore
    from ticketing.services.ports_mail import ConsentStore, WithheldMails
    from ticketing.services.ports_notifications import NotificationQueue, NotificationStore


@dataclass
class NotificationPorts:
    store: NotificationStore
    queue: NotificationQueue
    idempotency: IdempotencyStore
    # a customer's consent and the mail withheld from an order (console/pages/orders.py)
    consents: ConsentStore
    withheld: WithheldMails

    def desk(self, stores: Stores) -> Desk:
        from ticketing.services.notifications import Desk
        from ticketing.settings import settings

        return Desk(
            self.store,
            stores.events,
            stores.access,
            stores.orders,
            self.idempotency,
            stores.mail,
            self.queue,
            stores.clock,
            settings().public_base_url,
            settings().review_mail,
        )


def dynamo_notification_ports() -> NotificationPorts:
    from ticketing.adapters.consent_store import DynamoConsentStore
    from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
    from ticketing.adapters.notification_store import DynamoNotificationStore, SqsNotificationQueue
    from ticketing.adapters.withheld_mails import DynamoWithheldMails

    return NotificationPorts(
        DynamoNotificationStore(),
        SqsNotificationQueue(),
        DynamoIdempotencyStore(),
        DynamoConsentStore(),
        DynamoWithheldMails(),
    )

"""Bounces and complaints (issue 15): SES reports them through SNS; a permanent bounce or a
complaint suppresses the address, and the mailer sends it nothing more.

Both forms SES publishes are read: configuration-set events (``eventType``) and identity
notifications (``notificationType``). A transient bounce (a full mailbox) suppresses nothing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ticketing.domain.consent import Suppression, SuppressionReason, address_key
from ticketing.observability import count, logger

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports_mail import SuppressionStore


def addresses_to_suppress(report: dict[str, Any]) -> tuple[SuppressionReason | None, list[str]]:
    """What one SES report asks for: its reason and the addresses, or (None, [])."""
    kind = str(report.get("eventType") or report.get("notificationType") or "")
    if kind == "Bounce":
        bounce = report.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return None, []
        recipients = bounce.get("bouncedRecipients") or []
        return "bounce", [str(r["emailAddress"]) for r in recipients if r.get("emailAddress")]
    if kind == "Complaint":
        recipients = (report.get("complaint") or {}).get("complainedRecipients") or []
        return "complaint", [str(r["emailAddress"]) for r in recipients if r.get("emailAddress")]
    return None, []


def record_sns_message(
    suppressions: SuppressionStore, clock: Clock, message: str, message_id: str
) -> int:
    """Suppress what one SNS message (an SES report, as JSON) names; how many addresses."""
    try:
        report = json.loads(message)
    except json.JSONDecodeError:
        logger.warning("SES report is not JSON: ignored", extra={"message_id": message_id})
        return 0
    if not isinstance(report, dict):
        return 0
    reason, addresses = addresses_to_suppress(report)
    if reason is None:
        return 0
    for address in addresses:
        suppressions.suppress(
            Suppression(
                address=address_key(address),
                reason=reason,
                source=f"ses:{message_id}",
                at=clock.now(),
                detail=str(
                    (report.get("bounce") or report.get("complaint") or {}).get(
                        "bounceSubType" if reason == "bounce" else "complaintFeedbackType", ""
                    )
                )[:200],
            )
        )
    count("AddressesSuppressed", len(addresses))
    logger.info("addresses suppressed", extra={"reason": reason, "count": len(addresses)})
    return len(addresses)

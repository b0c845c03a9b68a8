"""The key functions of mail policy (issue 15): consent, suppressed addresses, consent link
tokens, withheld mail; their items are in the table of ``adapters/keys.py`` (kept apart so
that ``keys.py`` stays within 400 lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ticketing.adapters.keys import Key


def consent(organizer_id: str, address: str) -> Key:
    """An address's consent with one organizer (``address`` as ``domain.consent.address_key``)."""
    return {"PK": f"CONSENT#{organizer_id}#{address}", "SK": "CONSENT"}


def suppression(address: str) -> Key:
    return {"PK": f"SUPPRESSED#{address}", "SK": "SUPPRESSED"}


def mail_token(digest: str) -> Key:
    """A consent link's token, under the sha256 of its secret."""
    return {"PK": f"MAILTOKEN#{digest}", "SK": "TOKEN"}


def withheld_partition(about: str) -> str:
    """Mail the policy withheld, of an order (or, for mail about no order, of its request)."""
    return f"MAILWITHHELD#{about}"


def withheld(about: str, request_id: str, address: str) -> Key:
    return {"PK": withheld_partition(about), "SK": f"{request_id}#{address}"}

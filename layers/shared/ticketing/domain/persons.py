"""Who a person is under one organizer (issue 17): a keyed digest of their address.

The address itself is never a key: the person index and the erasure record hold an HMAC of
the organizer and the address's mailbox, so that neither a table dump nor an erasure record
names the person, while the same address always finds the same entries. A module apart from
the erasure's models, since every function that writes an order or a mail writes an entry
(cold start).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

from ticketing.domain.emails import mailbox

# what an index entry points to: an order, a gift voucher issued to the address, a complaint
# about such a voucher, an invitation, a mail sent to the address (the person index's sort
# keys: ``ORDER#``, ``GIFT#``, ``COMPLAINT#``, ``INVITATION#``, ``MAIL#<request_id>``)
EntryKind = Literal["order", "gift", "complaint", "invitation", "mail"]


def person_digest(secret: bytes, organizer_id: str, email: str) -> str:
    """Who a person is to the index: HMAC-SHA256 of the organizer and the address's mailbox."""
    message = f"person\x1f{organizer_id}\x1f{mailbox(email)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def erased_digest(secret: bytes, organizer_id: str, email: str) -> str:
    """The salted (keyed) hash an erasure keeps of the address: a second request finds it."""
    message = f"erased\x1f{organizer_id}\x1f{mailbox(email)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()

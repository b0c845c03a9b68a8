"""E-mail addresses as people: which spellings are one mailbox."""

from __future__ import annotations


def mailbox(email: str) -> str:
    """The mailbox an address reaches: ``Erika+fair@Example.org`` is ``erika@example.org``.

    One person, one voucher ticket per event; a self-service link only to the order's own
    address: both compare mailboxes, not spellings.
    """
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"

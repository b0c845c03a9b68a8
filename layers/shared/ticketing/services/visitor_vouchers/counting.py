"""A batch's counts (issue 16): what its counter item holds, and what its registrations say."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ticketing.domain.voucher_counts import Counts

if TYPE_CHECKING:
    from ticketing.domain.visitor_vouchers import VoucherBatch
    from ticketing.services.ports import VisitorVoucherStore


class InvitationCounts(Protocol):
    def counts(self, batch_id: str) -> Counts: ...


def batch_counts(
    invitations: InvitationCounts, vouchers: VisitorVoucherStore, batch: VoucherBatch
) -> Counts:
    """codes, assigned and invited of the batch (its counter item: one read); registered and
    used: its codes redeemed and checked in, from the exhibitor's redemptions (a walk of its
    registrations, never of its codes; none while the batch's codes are still being made,
    since nobody has them yet)."""
    stored = invitations.counts(batch.batch_id)
    registered = used = 0
    walked = vouchers.redemptions(batch.exhibitor_id) if batch.status == "ready" else ()
    for voucher in walked:
        if voucher.batch_id != batch.batch_id or voucher.registration is None:
            continue
        registered += 1
        used += voucher.registration.checked_in_at is not None
    return Counts(
        codes=batch.quantity if batch.status == "ready" else batch.generated,
        assigned=stored.assigned,
        invited=stored.invited,
        registered=registered,
        used=used,
    )

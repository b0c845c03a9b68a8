"""Ports of the jobs that walk a whole voucher batch in the worker (its validity extension)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from ticketing.domain.visitor_vouchers import BatchExtension, VisitorVoucher, VoucherBatch

MANY_AT_ONCE = 100  # vouchers one read or one write of ``ManyVouchers`` takes at most


class ExtensionStore(Protocol):
    """A batch's extension job, kept on the batch: started once, moved on chunk by chunk."""

    codes_per_write: int  # codes one chunk of the batch holds at most

    def get_batch(self, batch_id: str) -> VoucherBatch | None: ...

    def start_extension(
        self, batch_id: str, extension: BatchExtension, stale_before: datetime
    ) -> bool:
        """Put ``extension`` on the batch unless another one is running there (and moved on
        since ``stale_before``): False then."""
        ...

    def chunk_codes(self, batch_id: str, chunk: int) -> list[str]:
        """The codes of one chunk of the batch (none if that chunk was never written)."""
        ...

    def move_extension(self, batch_id: str, seen: BatchExtension, now: BatchExtension) -> None:
        """Replace ``seen`` by ``now`` (same job, same ``next_chunk`` as stored), at once;
        a ``done`` one also becomes the batch's ``valid_until``. ``ProgressMoved`` if the
        job moved on elsewhere (or another replaced it)."""
        ...

    def stalled_extensions(self, before: datetime, limit: int = 100) -> list[VoucherBatch]:
        """Batches whose running extension last moved before ``before``, oldest first, read
        from the running extensions only (never the whole table)."""
        ...


class ExtensionQueue(Protocol):
    def enqueue_extension(self, batch_id: str, job_id: str) -> None:
        """Queue (the rest of) the batch's extension job for the worker."""
        ...


class ManyVouchers(Protocol):
    """A batch's vouchers many at a time, as the extension walks them: read together, their
    ends moved together (on DynamoDB one BatchGetItem and one transaction per 100)."""

    def get_vouchers(self, codes: Sequence[str]) -> dict[str, VisitorVoucher]:
        """The vouchers of ``codes`` that exist, by code, read consistently."""
        ...

    def extend_vouchers(
        self, vouchers: Sequence[VisitorVoucher], valid_until: datetime, at: datetime, by: str
    ) -> int:
        """Move each voucher's end to ``valid_until`` (an expired one is issued again, its
        change recorded), each only if it is still not redeemed and not at that end already;
        how many are at that end now. One redeemed meanwhile is left alone and not counted;
        one another walk moved there meanwhile is counted, and not written twice."""
        ...

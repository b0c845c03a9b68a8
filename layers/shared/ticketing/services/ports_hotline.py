"""The hotline's port: complaints about gift vouchers (issue 14, item 6).

Kept apart from ``services/ports.py`` (at its size limit). Writes are ``Part``s that join the
voucher's ledger entry (and, for an upheld answer, the reversal) in one commit; the label of
a complaint's part is ``complaint``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ticketing.domain.gift_complaints import Complaint, ComplaintStatus
    from ticketing.services.ports import Part


class ComplaintStore(Protocol):
    def recording(self, complaint: Complaint) -> Part:
        """The new complaint (``complaint``: its id exists)."""
        ...

    def get_complaint(self, complaint_id: str) -> Complaint | None: ...

    def answering(self, answered: Complaint) -> Part:
        """``answered`` (status answered, with its answer) replaces the complaint on the
        condition that it is still open (``complaint``: it was answered before)."""
        ...

    def list_complaints(self, organizer_id: str, status: ComplaintStatus) -> list[Complaint]:
        """The tenant's complaints in ``status``, oldest first (at most 1,000)."""
        ...

"""Hotline complaints in memory (``services/ports_hotline.py``)."""

from __future__ import annotations

from tests.fakes.database import FakeDatabase, FakeWrite
from ticketing.domain.gift_complaints import Complaint, ComplaintStatus
from ticketing.services.ports import Part


class FakeComplaintStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.complaints: dict[str, Complaint] = {}

    def recording(self, complaint: Complaint) -> Part:
        cid = complaint.complaint_id

        def put() -> None:
            self.complaints[cid] = complaint

        return Part(
            "complaint",
            FakeWrite(("complaint", cid), lambda: cid not in self.complaints, put),
        )

    def get_complaint(self, complaint_id: str) -> Complaint | None:
        return self.complaints.get(complaint_id)

    def answering(self, answered: Complaint) -> Part:
        cid = answered.complaint_id

        def holds() -> bool:
            current = self.complaints.get(cid)
            return current is not None and current.status == "open"

        def put() -> None:
            self.complaints[cid] = answered

        return Part("complaint", FakeWrite(("complaint", cid), holds, put))

    def list_complaints(self, organizer_id: str, status: ComplaintStatus) -> list[Complaint]:
        found = [
            c
            for c in list(self.complaints.values())
            if c.organizer_id == organizer_id and c.status == status
        ]
        return sorted(found, key=lambda c: (c.created_at, c.complaint_id))[:1000]

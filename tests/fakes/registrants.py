"""The registrations of one exhibitor's codes, page by page (``RegistrantPages``), read from
the vouchers of the shared fake database, oldest first as the redemptions index is."""

from __future__ import annotations

from tests.fakes.database import FakeDatabase
from ticketing.domain.errors import InvalidRequest
from ticketing.domain.visitor_vouchers import Registration
from ticketing.services.ports import Cursor


class FakeRegistrantPages:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def registrants(
        self, exhibitor_id: str, limit: int, cursor: Cursor | None
    ) -> tuple[list[Registration], Cursor | None]:
        partition = f"EXHIBITOR#{exhibitor_id}#REDEEMED"
        if cursor is not None and cursor.get("GSI1PK") != partition:
            raise InvalidRequest("cursor is not one this API handed out", field="cursor")
        with self.db.lock:
            found = sorted(
                (f"{v.registration.redeemed_at.isoformat()}#{v.code}", v.registration)
                for v in self.db.vouchers.values()
                if v.exhibitor_id == exhibitor_id and v.registration is not None
            )
        after = str(cursor["GSI1SK"]) if cursor is not None else ""
        rest = [row for row in found if row[0] > after]
        page = rest[:limit]
        more = len(rest) > limit
        last = {"GSI1PK": partition, "GSI1SK": page[-1][0]} if more and page else None
        return [registration for _, registration in page], last

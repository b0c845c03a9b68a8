"""API keys and the parties that hold them, in memory (``KeyStore``, ``AccessStore``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from tests.fakes.database import FakeDatabase, FakeTransactions, FakeWrite
from ticketing.domain.errors import Conflict, NotFound
from ticketing.domain.gift_parties import Issuer, Merchant, Terminal
from ticketing.domain.parties import ApiKeyRecord, Exhibitor, Organizer
from ticketing.services.ports import Part

Party = Organizer | Exhibitor | Merchant | Terminal | Issuer


def _party_id(party: Party) -> str:
    if isinstance(party, Organizer):
        return party.organizer_id
    if isinstance(party, Exhibitor):
        return party.exhibitor_id
    if isinstance(party, Merchant):
        return party.merchant_id
    if isinstance(party, Terminal):
        return party.terminal_id
    return party.issuer_id


class FakeAccessStore:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    # keys -----------------------------------------------------------------------------------

    def get_key(self, key_id: str) -> ApiKeyRecord | None:
        return self.db.keys.get(key_id)

    def _key_part(self, record: ApiKeyRecord) -> Part:
        def put() -> None:
            self.db.keys[record.key_id] = record

        return Part(
            "key",
            FakeWrite(("key", record.key_id), lambda: record.key_id not in self.db.keys, put),
        )

    def add_key(self, record: ApiKeyRecord) -> None:
        FakeTransactions(self.db).commit([self._key_part(record)])

    def revoke_key(self, key_id: str, organizer_id: str | None, at: datetime) -> None:
        """Revoke once; a key of another tenant (or none) is NotFound, a revoked one Conflict."""
        with self.db.lock:
            record = self.db.keys.get(key_id)
            if record is None or (organizer_id is not None and record.organizer_id != organizer_id):
                raise NotFound(f"no API key {key_id}")
            if record.revoked_at is not None:
                raise Conflict(f"API key {key_id} was already revoked")
            self.db.keys[key_id] = record.model_copy(update={"revoked_at": at})

    # parties ---------------------------------------------------------------------------------

    def add_party(
        self, party: Party, record: ApiKeyRecord | None, also: Sequence[Part] = ()
    ) -> None:
        party_id = _party_id(party)

        def put() -> None:
            self.db.parties[party_id] = party

        parts = [
            Part(
                "party",
                FakeWrite(("party", party_id), lambda: party_id not in self.db.parties, put),
            )
        ]
        if record is not None:
            parts.append(self._key_part(record))
        FakeTransactions(self.db).commit([*parts, *also])

    def get_organizer(self, organizer_id: str) -> Organizer | None:
        party = self.db.parties.get(organizer_id)
        return party if isinstance(party, Organizer) else None

    def update_organizer(
        self, organizer_id: str, changes: Mapping[str, object]
    ) -> Organizer | None:
        """The fields set (or removed, for ``None``), if the organizer exists."""
        with self.db.lock:
            current = self.get_organizer(organizer_id)
            if current is None:
                return None
            data = current.model_dump(mode="json", exclude_none=True)
            for field, value in changes.items():
                if value is None:
                    data.pop(field, None)
                else:
                    data[field] = value
            updated = Organizer.model_validate(data, context={"stored": True})
            self.db.parties[organizer_id] = updated
            return updated

    def list_organizers(self) -> list[Organizer]:
        found = [p for p in self.db.parties.values() if isinstance(p, Organizer)]
        return sorted(found, key=lambda o: (o.created_at.isoformat(), o.organizer_id))

    def get_exhibitor(self, exhibitor_id: str) -> Exhibitor | None:
        party = self.db.parties.get(exhibitor_id)
        return party if isinstance(party, Exhibitor) else None

    def list_exhibitors(self, organizer_id: str) -> list[Exhibitor]:
        found = [
            p
            for p in self.db.parties.values()
            if isinstance(p, Exhibitor) and p.organizer_id == organizer_id
        ]
        return sorted(found, key=lambda e: (e.event_id, e.exhibitor_id))

    def cancel_exhibitor(self, exhibitor_id: str, at: datetime) -> bool:
        """Mark the stand cancelled, once; False if it was cancelled before."""
        with self.db.lock:
            exhibitor = self.get_exhibitor(exhibitor_id)
            if exhibitor is None or exhibitor.cancelled_at is not None:
                return False
            self.db.parties[exhibitor_id] = exhibitor.model_copy(update={"cancelled_at": at})
            return True

    def get_merchant(self, merchant_id: str) -> Merchant | None:
        party = self.db.parties.get(merchant_id)
        return party if isinstance(party, Merchant) else None

    def list_merchants(self, organizer_id: str) -> list[Merchant]:
        found = [
            p
            for p in self.db.parties.values()
            if isinstance(p, Merchant) and p.organizer_id == organizer_id
        ]
        return sorted(found, key=lambda m: (m.created_at.isoformat(), m.merchant_id))

    def list_terminals(self, merchant_id: str) -> list[Terminal]:
        found = [
            p
            for p in self.db.parties.values()
            if isinstance(p, Terminal) and p.merchant_id == merchant_id
        ]
        return sorted(found, key=lambda t: t.terminal_id)

    def revoke_terminal(
        self, merchant_id: str, terminal_id: str, organizer_id: str, at: datetime
    ) -> Terminal:
        with self.db.lock:
            terminal = self.db.parties.get(terminal_id)
            if (
                not isinstance(terminal, Terminal)
                or terminal.merchant_id != merchant_id
                or terminal.organizer_id != organizer_id
            ):
                raise NotFound(f"no terminal {terminal_id}")
            if terminal.revoked_at is not None:
                raise Conflict(f"terminal {terminal_id} was revoked before")
            revoked = terminal.model_copy(update={"revoked_at": at})
            self.db.parties[terminal_id] = revoked
            for key_id, record in list(self.db.keys.items()):
                if record.subject_id == terminal_id and record.revoked_at is None:
                    self.db.keys[key_id] = record.model_copy(update={"revoked_at": at})
            return revoked

    def get_issuer(self, issuer_id: str) -> Issuer | None:
        party = self.db.parties.get(issuer_id)
        return party if isinstance(party, Issuer) else None

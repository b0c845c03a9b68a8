"""API keys and the parties that hold them, in DynamoDB."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionFailed, Put, Update
from ticketing.adapters.key_store import DynamoKeyStore
from ticketing.adapters.records import from_item, to_item
from ticketing.adapters.transactions import DynamoTransactions
from ticketing.domain.errors import Conflict, NotFound
from ticketing.domain.parties import ApiKeyRecord, Exhibitor, Organizer
from ticketing.services.parts import Part

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from ticketing.domain.gift_parties import Issuer, Merchant, Terminal

    Party: TypeAlias = Organizer | Exhibitor | Merchant | Terminal | Issuer


class DynamoAccessStore(DynamoKeyStore):
    # keys -----------------------------------------------------------------------------------

    def revoke_key(self, key_id: str, organizer_id: str | None, at: datetime) -> None:
        """Revoke once; a key of another tenant (or none) is NotFound, a revoked one Conflict."""
        condition = "attribute_exists(PK)"
        values: dict[str, str] = {}
        if organizer_id is not None:
            condition += " AND organizer_id = :org"
            values[":org"] = organizer_id
        try:
            self.table.write(
                Update(
                    keys.api_key(key_id),
                    "SET revoked_at = :at",
                    condition=condition + " AND attribute_not_exists(revoked_at)",
                    values={**values, ":at": at.isoformat()},
                )
            )
        except ConditionFailed:
            record = self.get_key(key_id)
            if record is None or (organizer_id is not None and record.organizer_id != organizer_id):
                raise NotFound(f"no API key {key_id}") from None
            raise Conflict(f"API key {key_id} was already revoked") from None

    def _key_put(self, record: ApiKeyRecord) -> Put:
        index = {}
        if record.organizer_id:
            index = {
                keys.GSI1PK: keys.tenant_keys(record.organizer_id),
                keys.GSI1SK: f"{record.created_at.isoformat()}#{record.key_id}",
            }
        item = to_item(record, "api_key", **keys.api_key(record.key_id), **index)
        return Put(item, condition="attribute_not_exists(PK)")

    def add_key(self, record: ApiKeyRecord) -> None:
        self.table.transact([self._key_put(record)])

    # parties with their first key, written together so neither exists without the other ------

    def add_party(
        self, party: Party, record: ApiKeyRecord | None, also: Sequence[Part] = ()
    ) -> None:
        """The party, its key (if any) and ``also`` (its pending welcome mail), all or none."""
        parts = [] if record is None else [Part("key", self._key_put(record))]
        DynamoTransactions(self.table).add("party", _party_item(party), [*parts, *also])

    def get_organizer(self, organizer_id: str) -> Organizer | None:
        item = self.table.get(keys.organizer(organizer_id))
        return None if item is None else from_item(Organizer, item)

    def update_organizer(
        self, organizer_id: str, changes: Mapping[str, object]
    ) -> Organizer | None:
        """One conditional update: the fields set (or removed, for ``None``), if it exists."""
        names = {f"#f{i}": field for i, field in enumerate(changes)}
        sets = [f"#f{i} = :v{i}" for i, v in enumerate(changes.values()) if v is not None]
        removes = [f"#f{i}" for i, v in enumerate(changes.values()) if v is None]
        values = {f":v{i}": v for i, v in enumerate(changes.values()) if v is not None}
        if not names:
            return self.get_organizer(organizer_id)
        expression = " ".join(
            clause
            for clause in (
                "SET " + ", ".join(sets) if sets else "",
                "REMOVE " + ", ".join(removes) if removes else "",
            )
            if clause
        )
        try:
            item = self.table.write(
                Update(
                    keys.organizer(organizer_id),
                    expression,
                    condition="attribute_exists(PK)",
                    names=names,
                    values=values or None,
                )
            )
        except ConditionFailed:
            return None
        return None if item is None else from_item(Organizer, item)

    def list_organizers(self) -> list[Organizer]:
        items, _ = self.table.query_index(keys.ALL_ORGANIZERS, limit=1000)
        return [from_item(Organizer, i) for i in items]

    def get_exhibitor(self, exhibitor_id: str) -> Exhibitor | None:
        item = self.table.get(keys.exhibitor(exhibitor_id))
        return None if item is None else from_item(Exhibitor, item)

    def cancel_exhibitor(self, exhibitor_id: str, at: datetime) -> bool:
        """Mark the stand cancelled, once; False if it was cancelled before."""
        try:
            self.table.write(
                Update(
                    keys.exhibitor(exhibitor_id),
                    "SET cancelled_at = :at",
                    condition="attribute_exists(PK) AND attribute_not_exists(cancelled_at)",
                    values={":at": at.isoformat()},
                )
            )
        except ConditionFailed:
            return False
        return True

    def list_exhibitors(self, organizer_id: str) -> list[Exhibitor]:
        items, _ = self.table.query_index(keys.tenant_exhibitors(organizer_id), limit=1000)
        return [from_item(Exhibitor, i) for i in items]

    def get_merchant(self, merchant_id: str) -> Merchant | None:
        # gift parties load only where they are read (cold start)
        from ticketing.domain.gift_parties import Merchant

        item = self.table.get(keys.merchant(merchant_id))
        return None if item is None else from_item(Merchant, item)

    def list_merchants(self, organizer_id: str) -> list[Merchant]:
        # gift parties load only where they are read (cold start)
        from ticketing.domain.gift_parties import Merchant

        items, _ = self.table.query_index(keys.tenant_merchants(organizer_id), limit=1000)
        return [from_item(Merchant, i) for i in items]

    def list_terminals(self, merchant_id: str) -> list[Terminal]:
        # gift parties load only where they are read (cold start)
        from ticketing.domain.gift_parties import Terminal

        items = self.table.query_partition(keys.merchant(merchant_id)["PK"], keys.TERMINALS_PREFIX)
        return [from_item(Terminal, i) for i in items]

    def revoke_terminal(
        self, merchant_id: str, terminal_id: str, organizer_id: str, at: datetime
    ) -> Terminal:
        """The terminal marked revoked and its key revoked, in one transaction, once."""
        # gift parties load only where they are read (cold start)
        from ticketing.domain.gift_parties import Terminal

        key = keys.terminal(merchant_id, terminal_id)
        item = self.table.get(key, consistent=True)
        terminal = None if item is None else from_item(Terminal, item)
        if terminal is None or terminal.organizer_id != organizer_id:
            raise NotFound(f"no terminal {terminal_id}")
        if terminal.revoked_at is not None:
            raise Conflict(f"terminal {terminal_id} was revoked before")
        key_id = terminal.key_id or self._terminal_key(organizer_id, terminal_id)
        writes: list[Update] = [
            Update(
                key,
                "SET revoked_at = :at",
                condition="attribute_exists(PK) AND attribute_not_exists(revoked_at)",
                values={":at": at.isoformat()},
            )
        ]
        if key_id is not None:
            # revoked through DELETE /api-keys before: it keeps that moment
            writes.append(
                Update(
                    keys.api_key(key_id),
                    "SET revoked_at = if_not_exists(revoked_at, :at)",
                    condition="attribute_exists(PK)",
                    values={":at": at.isoformat()},
                )
            )
        try:
            self.table.transact(writes)
        except ConditionFailed:
            raise Conflict(f"terminal {terminal_id} was revoked before") from None
        return terminal.model_copy(update={"revoked_at": at})

    def _terminal_key(self, organizer_id: str, terminal_id: str) -> str | None:
        # a terminal made before it kept its key id: its key names it as subject
        cursor: dict[str, object] | None = None
        while True:
            items, cursor = self.table.query_index(
                keys.tenant_keys(organizer_id), limit=1000, start_after=cursor
            )
            for item in items:
                if item.get("subject_id") == terminal_id:
                    return str(item["key_id"])
            if cursor is None:
                return None

    def get_issuer(self, issuer_id: str) -> Issuer | None:
        # gift parties load only where they are read (cold start)
        from ticketing.domain.gift_parties import Issuer

        item = self.table.get(keys.issuer(issuer_id))
        return None if item is None else from_item(Issuer, item)


def _party_item(party: Party) -> dict[str, object]:
    created = party.created_at.isoformat()
    if isinstance(party, Organizer):
        return to_item(
            party,
            "organizer",
            **keys.organizer(party.organizer_id),
            GSI1PK=keys.ALL_ORGANIZERS,
            GSI1SK=f"{created}#{party.organizer_id}",
        )
    if isinstance(party, Exhibitor):
        return to_item(
            party,
            "exhibitor",
            **keys.exhibitor(party.exhibitor_id),
            GSI1PK=keys.tenant_exhibitors(party.organizer_id),
            GSI1SK=f"{party.event_id}#{party.exhibitor_id}",
        )
    # gift parties load only where they are read (cold start); a gift party here has loaded them
    from ticketing.domain.gift_parties import Merchant, Terminal

    if isinstance(party, Merchant):
        return to_item(
            party,
            "merchant",
            **keys.merchant(party.merchant_id),
            GSI1PK=keys.tenant_merchants(party.organizer_id),
            GSI1SK=f"{created}#{party.merchant_id}",
        )
    if isinstance(party, Terminal):
        return to_item(party, "terminal", **keys.terminal(party.merchant_id, party.terminal_id))
    return to_item(
        party,
        "issuer",
        **keys.issuer(party.issuer_id),
        GSI1PK=keys.tenant_issuers(party.organizer_id),
        GSI1SK=f"{created}#{party.issuer_id}",
    )

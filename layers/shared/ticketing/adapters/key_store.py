"""Reading API keys, the one thing the authorizer needs from the table."""

from __future__ import annotations

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Table
from ticketing.adapters.records import from_item
from ticketing.domain.identity import ApiKeyRecord


class DynamoKeyStore:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def get_key(self, key_id: str) -> ApiKeyRecord | None:
        item = self.table.get(keys.api_key(key_id))
        return None if item is None else from_item(ApiKeyRecord, item)

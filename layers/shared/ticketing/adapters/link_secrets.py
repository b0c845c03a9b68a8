"""The secrets of an order's public links, read alone: a projection of the self-service
secret; for a ticket, a positions item only if it holds the token presented (a filter)."""

from __future__ import annotations

from ticketing.adapters import keys
from ticketing.adapters.dynamo import Table, deserialize, serialize
from ticketing.domain.orders import POSITIONS_PER_ITEM

# "one of the item's tokens is the one presented", as a filter: DynamoDB returns a positions
# item only to a good token, so that a wrong token and an unknown order both get nothing back
# (a projection of the tokens would cost more for an order that exists)
_HAS_TOKEN = " OR ".join(f"#positions[{i}].#token = :token" for i in range(POSITIONS_PER_ITEM))


class DynamoLinkSecrets:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def self_service_secret(self, order_number: str) -> str | None:
        response = self.table.client.get_item(
            TableName=self.table.name,
            Key=serialize(keys.order(order_number)),
            ProjectionExpression="self_service_secret",
            ConsistentRead=True,
        )
        secret = deserialize(response.get("Item", {})).get("self_service_secret")
        return None if secret is None else str(secret)

    def download_token(self, order_number: str, presented: str) -> str | None:
        response = self.table.client.query(
            TableName=self.table.name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :positions)",
            FilterExpression=_HAS_TOKEN,
            ExpressionAttributeNames={"#positions": "positions", "#token": "download_token"},
            ExpressionAttributeValues=serialize(
                {
                    ":pk": keys.order_partition(order_number),
                    ":positions": keys.POSITIONS_PREFIX,
                    ":token": presented,
                }
            ),
            ConsistentRead=True,
        )
        for item in response.get("Items", []):
            for position in deserialize(item).get("positions", []):
                if position.get("download_token") == presented:
                    return presented
        return None

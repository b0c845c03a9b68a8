"""The customer's privacy links (``PRIVACYLINK#<sha256>``), the export's place on the erasure
queue, and the built export in S3 (``exports/person/``, expired by the bucket's lifecycle).

A link is taken by a conditional delete that returns what it held: once, and the address it
holds goes with it (an erasure leaves no link naming the person)."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from ticketing.adapters import aws, keys, privacy_keys
from ticketing.adapters.dynamo import Put, Table, deserialize, serialize
from ticketing.services.ports_privacy import PrivacyLink
from ticketing.services.privacy_requests import EXPORT_LINK_SECONDS
from ticketing.settings import settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DynamoPrivacyLinks:
    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    def put(self, link: PrivacyLink) -> None:
        item = {
            **privacy_keys.privacy_link(link.digest),
            "kind": "privacy_link",
            "purpose": link.purpose,
            "organizer_id": link.organizer_id,
            "address": link.address,
            "language": link.language,
            "expires": link.expires_at.isoformat(),
            keys.TTL_ATTRIBUTE: int(link.expires_at.timestamp()),
        }
        self.table.write(Put(item, condition="attribute_not_exists(PK)"))

    def peek(self, digest: str) -> PrivacyLink | None:
        item = self.table.get(privacy_keys.privacy_link(digest), consistent=True)
        return None if item is None else _link(digest, item)

    def take(self, digest: str, now: datetime) -> PrivacyLink | None:
        client = self.table.client
        try:
            response = client.delete_item(
                TableName=self.table.name,
                Key=serialize(privacy_keys.privacy_link(digest)),
                ConditionExpression="attribute_exists(PK)",
                ReturnValues="ALL_OLD",
            )
        except client.exceptions.ConditionalCheckFailedException:
            return None
        link = _link(digest, deserialize(response.get("Attributes", {})))
        return link if link.expires_at > now else None


def _link(digest: str, item: dict[str, Any]) -> PrivacyLink:
    return PrivacyLink(
        digest=digest,
        purpose=item["purpose"],
        organizer_id=str(item["organizer_id"]),
        address=str(item["address"]),
        language=item["language"],
        expires_at=datetime.fromisoformat(str(item["expires"])),
    )


class SqsExportQueue:
    """``{"export": {organizer_id, address, language, request_id}}`` on the erasure queue."""

    def send_export(self, organizer_id: str, address: str, language: str, request_id: str) -> None:
        body = {
            "organizer_id": organizer_id,
            "address": address,
            "language": language,
            "request_id": request_id,
        }
        aws.sqs().send_message(
            QueueUrl=settings().erasure_queue_url, MessageBody=json.dumps({"export": body})
        )


class S3ExportFiles:
    def put_export(self, prefix: str, data: bytes) -> str:
        key = f"{prefix}{secrets.token_urlsafe(24)}/personal-data.xlsx"
        bucket = settings().documents_bucket
        aws.s3().put_object(
            Bucket=bucket, Key=key, Body=data, ContentType=XLSX, ServerSideEncryption="AES256"
        )
        url: str = aws.s3().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": bucket,
                "Key": key,
                "ResponseContentDisposition": 'attachment; filename="personal-data.xlsx"',
            },
            ExpiresIn=EXPORT_LINK_SECONDS,
        )
        return url

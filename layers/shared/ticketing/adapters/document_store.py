"""Generated documents in the private S3 bucket, handed out as presigned URLs that live minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ticketing.adapters import aws
from ticketing.settings import settings

if TYPE_CHECKING:
    from datetime import datetime

DOWNLOAD_SECONDS = 300  # a download link lives at most 5 minutes


class S3DocumentStore:
    def __init__(self, bucket: str | None = None) -> None:
        self._bucket = bucket

    @property
    def bucket(self) -> str:
        return self._bucket or settings().documents_bucket

    def put(self, key: str, data: bytes, content_type: str, until: datetime | None = None) -> None:
        """``until``: the object is locked (S3 Object Lock, in the bucket's
        ``DOCUMENTS_LOCK_MODE``) until then; no one deletes or overwrites this version before."""
        lock: dict[str, Any] = {}
        if until is not None:
            lock = {
                "ObjectLockMode": settings().documents_lock_mode,
                "ObjectLockRetainUntilDate": until,
            }
        aws.s3().put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ServerSideEncryption="AES256",
            **lock,
        )

    def get(self, key: str) -> bytes | None:
        try:
            response = aws.s3().get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404", "NotFound"):
                return None
            raise
        return response["Body"].read()

    def exists(self, key: str) -> bool:
        try:
            aws.s3().head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> bool:
        """Remove every version of ``key`` (issue 17: an erased person's tickets; the bucket
        is versioned for Object Lock, so deleting only the current one would keep the rest).
        Never called on a locked invoice: S3 refuses that, erasure writes a rebuilt copy."""
        s3 = aws.s3()
        listed = s3.list_object_versions(Bucket=self.bucket, Prefix=key)
        found = [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]
        versions = [str(v["VersionId"]) for v in found if v.get("Key") == key]
        for version in versions:
            s3.delete_object(Bucket=self.bucket, Key=key, VersionId=version)
        return bool(versions)

    def keys_under(self, prefix: str) -> set[str]:
        """Every key that starts with ``prefix`` (one call per 1,000 keys)."""
        found: set[str] = set()
        paginator = aws.s3().get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            found.update(item["Key"] for item in page.get("Contents", []))
        return found

    def download_url(self, key: str, filename: str, seconds: int = DOWNLOAD_SECONDS) -> str:
        return aws.s3().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
            },
            ExpiresIn=min(seconds, DOWNLOAD_SECONDS),
        )

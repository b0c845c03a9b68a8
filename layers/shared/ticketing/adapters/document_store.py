"""Generated documents in the private S3 bucket, handed out as presigned URLs that live minutes."""

from __future__ import annotations

from botocore.exceptions import ClientError

from ticketing.adapters import aws
from ticketing.settings import settings

DOWNLOAD_SECONDS = 300  # a download link lives at most 5 minutes


class S3DocumentStore:
    def __init__(self, bucket: str | None = None) -> None:
        self._bucket = bucket

    @property
    def bucket(self) -> str:
        return self._bucket or settings().documents_bucket

    def put(self, key: str, data: bytes, content_type: str) -> None:
        aws.s3().put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ServerSideEncryption="AES256",
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

"""Documents in memory (``DocumentStore``), handed out as fake presigned links."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

DOWNLOAD_SECONDS = 300  # as the S3 store: a link lives at most 5 minutes


class FakeDocumentStore:
    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}  # key -> (data, content type)
        self.locked_until: dict[str, datetime] = {}  # key -> end of its retention (Object Lock)

    def put(self, key: str, data: bytes, content_type: str, until: datetime | None = None) -> None:
        if until is not None:
            self.locked_until[key] = until
        self.files[key] = (data, content_type)

    def get(self, key: str) -> bytes | None:
        kept = self.files.get(key)
        return None if kept is None else kept[0]

    def exists(self, key: str) -> bool:
        return key in self.files

    def delete(self, key: str) -> bool:
        return self.files.pop(key, None) is not None

    def keys_under(self, prefix: str) -> set[str]:
        return {key for key in self.files if key.startswith(prefix)}

    def download_url(self, key: str, filename: str, seconds: int = DOWNLOAD_SECONDS) -> str:
        """A link shaped like a presigned S3 URL (it names the key, file and lifetime)."""
        disposition = quote(f'attachment; filename="{filename}"')
        return (
            f"https://documents.fake.invalid/{quote(key)}"
            f"?response-content-disposition={disposition}"
            f"&X-Amz-Expires={min(seconds, DOWNLOAD_SECONDS)}"
        )

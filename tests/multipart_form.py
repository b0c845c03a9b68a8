"""A form body as a browser sends one with a file field (``multipart/form-data``), and a small
Excel list of recipients, for the console's upload tests (unit and e2e)."""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping, Sequence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def encode(
    fields: Mapping[str, str], files: Mapping[str, tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """The body and its Content-Type: ``fields`` as text parts, ``files`` as
    ``name: (filename, content_type, data)``."""
    boundary = "----formboundary" + secrets.token_hex(8)
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode("utf-8") + b"\r\n")
    for name, (filename, content_type, data) in files.items():
        out.write(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def workbook(rows: Sequence[Sequence[str]]) -> bytes:
    """An Excel file whose first sheet holds ``rows`` (the first: the titles)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()

"""A console form sent as ``multipart/form-data`` (a form with a file field), read with the
standard library's e-mail parser (``email.parser.BytesParser``, ``policy=default``).

API Gateway hands such a body over base64-encoded (the API's binary media types are
``*/*``); Lambda takes at most 6 MB of request, which leaves ``MAX_UPLOAD_BYTES`` (4 MB) of
body once decoded. A body that is bigger is refused (413) before it is decoded; one that is
not a form of this kind (no boundary, a boundary never found, parts without a field name,
nested parts, too many parts, a text field that is not UTF-8) is a ``Malformed`` (400).
Text fields become the form (at most ``MAX_FIELD_CHARS`` each, like a url-encoded form), file
fields an ``Upload``: the file's name as the browser sent it, its content type, its bytes.
"""

from __future__ import annotations

from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import default
from typing import Final, NamedTuple

MAX_UPLOAD_BYTES: Final = 4 * 1024 * 1024
MAX_UPLOAD_BASE64: Final = (MAX_UPLOAD_BYTES + 2) // 3 * 4  # the same body as API Gateway sends it
MAX_PARTS: Final = 50
MAX_FILENAME_CHARS: Final = 255


class Upload(NamedTuple):
    """A file field of a form: (filename, content_type, data)."""

    filename: str
    content_type: str
    data: bytes


class Malformed(ValueError):
    """The body is no ``multipart/form-data`` form a browser sends (400)."""


class TooLarge(ValueError):
    """The body is over ``MAX_UPLOAD_BYTES`` (413)."""


def is_multipart(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "multipart/form-data"


def parse(
    content_type: str, body: bytes, max_field_chars: int
) -> tuple[dict[str, str], dict[str, Upload]]:
    """The text fields and the file fields of a multipart body (the last one sent of a name
    wins); ``Malformed`` or ``TooLarge`` for a body no console form sends."""
    if len(body) > MAX_UPLOAD_BYTES:
        raise TooLarge(f"{len(body)} bytes")
    if "\r" in content_type or "\n" in content_type:
        raise Malformed("a line break in the Content-Type")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=default).parsebytes(head + body)
    boundary = message.get_boundary()
    if not boundary or not message.is_multipart() or message.defects:
        raise Malformed(f"not a multipart form ({[type(d).__name__ for d in message.defects]})")
    parts = message.get_payload()
    if not isinstance(parts, list) or not parts or len(parts) > MAX_PARTS:
        raise Malformed("no parts, or too many")
    form: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for part in parts:
        name, upload = _part(part)
        if isinstance(upload, Upload):
            files[name] = upload
        else:
            form[name] = upload[:max_field_chars]
    return form, files


def _part(part: Message | str) -> tuple[str, Upload | str]:
    if not isinstance(part, EmailMessage) or part.is_multipart() or part.defects:
        raise Malformed("a part that is no form field")
    if part.get_content_disposition() != "form-data":
        raise Malformed("a part without Content-Disposition: form-data")
    name = part.get_param("name", header="content-disposition")
    if not isinstance(name, str) or not name:
        raise Malformed("a part without a field name")
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        raise Malformed("a part without content")
    filename = part.get_param("filename", header="content-disposition")
    if filename is not None:
        return _text(name), Upload(_filename(filename), part.get_content_type(), data)
    try:
        return _text(name), data.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("a text field that is not UTF-8") from None


def _text(value: object) -> str:
    """A header value as its text: browsers send names in UTF-8 bytes, which the parser
    keeps as surrogate escapes."""
    text = value if isinstance(value, str) else str(value)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _filename(value: object) -> str:
    """The file's own name, without a folder (old browsers send the whole path)."""
    text = _text(value).replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in text if c.isprintable())[:MAX_FILENAME_CHARS]

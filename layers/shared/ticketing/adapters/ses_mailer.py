"""Sending mail through SES v2 as a raw MIME message (text and HTML alternatives).

Raw content carries both alternatives and, later, attachments in one format, so every mail
takes the same path (and the local stack's outbox sees exactly what a recipient would).

Headers are made by the ``email`` package from ``Address`` objects and one-line values, which
it encodes (RFC 2047) and folds: no name or address can end a header or add one.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from ticketing.adapters import aws
from ticketing.mail.render import Attachment, RenderedMail, one_line
from ticketing.observability import logger
from ticketing.services.parts import MailRefused
from ticketing.settings import settings

if TYPE_CHECKING:
    from collections.abc import Sequence

# SES answers these for a message that no retry will get through (a malformed or refused
# address, a message it will not take); throttling, 5xx and pauses are worth another try.
PERMANENT_ERRORS = frozenset({"BadRequestException", "MessageRejected", "InvalidParameterValue"})


def address(value: str) -> Address:
    """One mailbox (``a@b.example`` or ``Name <a@b.example>``); MailRefused if it is none.

    A display name is made one line (it is only shown); an address with a break or a
    control character in it is refused, since no mailbox has one."""
    name, bracket, rest = value.rpartition("<")
    spec = rest.removesuffix(">") if bracket and rest.endswith(">") else value
    if not bracket or not rest.endswith(">"):
        name = ""
    if spec != one_line(spec):
        raise MailRefused("an address holds a line break or a control character")
    local, at, domain = spec.strip().rpartition("@")
    if not (local and at and domain) or " " in spec.strip():
        raise MailRefused("an address is not a mail address")
    try:
        return Address(display_name=one_line(name).strip('" '), addr_spec=spec.strip())
    except (ValueError, IndexError) as refused:
        raise MailRefused(f"an address is not a mail address ({refused})") from None


def build_mime(
    sender: str, to: list[str], mail: RenderedMail, attachments: Sequence[Attachment] = ()
) -> bytes:
    """The raw message: ``sender`` is the platform's verified address; the mail's
    ``sender_name`` (the organizer) is shown with it and its ``reply_to`` takes answers."""
    message = EmailMessage(policy=SMTP)
    origin = address(sender)
    if mail.sender_name:
        origin = Address(display_name=one_line(mail.sender_name), addr_spec=origin.addr_spec)
    message["From"] = origin
    message["To"] = tuple(address(recipient) for recipient in to)
    if mail.reply_to:
        try:
            message["Reply-To"] = address(mail.reply_to)
        except MailRefused:  # the customer's mail matters more than where answers go
            logger.warning("reply-to address left out: not a mail address")
    message["Subject"] = one_line(mail.subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=origin.domain or None)
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return _extra_headers(mail) + message.as_bytes()


def _extra_headers(mail: RenderedMail) -> bytes:
    """A marketing mail's List-Unsubscribe headers, as written: the ``email`` package would
    encode a long URL (RFC 2047), which no mail program reads as a link. They are ASCII and
    one line (a value that is not is refused as a render failure would be)."""
    lines = []
    for name, value in mail.headers:
        line = f"{one_line(name)}: {one_line(value)}"
        if not line.isascii() or len(line) > 998:
            raise MailRefused("an extra header is not one ASCII line")
        lines.append(f"{line}\r\n".encode("ascii"))
    return b"".join(lines)


class SesMailer:
    def __init__(self, sender: str | None = None) -> None:
        self._sender = sender

    def send(
        self, to: list[str], mail: RenderedMail, attachments: Sequence[Attachment] = ()
    ) -> str:
        """Send one mail; ``MailRefused`` when no retry would send it, other errors when a
        later try may (SES throttling, an outage)."""
        sender = self._sender or settings().mail_from
        raw = build_mime(sender, to, mail, attachments)
        # bounces and complaints of this mail reach SNS through the configuration set
        configured = settings().mail_configuration_set
        extra = {"ConfigurationSetName": configured} if configured else {}
        try:
            response = aws.sesv2().send_email(
                FromEmailAddress=sender,
                Destination={"ToAddresses": [address(r).addr_spec for r in to]},
                Content={"Raw": {"Data": raw}},
                **extra,  # type: ignore[arg-type]
            )
        except ClientError as failed:
            code = failed.response.get("Error", {}).get("Code", "")
            if code in PERMANENT_ERRORS:
                raise MailRefused(f"SES refused the mail: {code}") from failed
            raise
        return response.get("MessageId", "")

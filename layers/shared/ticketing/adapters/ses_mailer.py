"""Sending mail through SES v2 as a raw MIME message (text and HTML alternatives).

Raw content carries both alternatives and, later, attachments in one format, so every mail
takes the same path (and the local stack's outbox sees exactly what a recipient would).
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from ticketing.adapters import aws
from ticketing.mail.render import Attachment, RenderedMail
from ticketing.settings import settings


def build_mime(
    sender: str, to: list[str], mail: RenderedMail, attachments: Sequence[Attachment] = ()
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message.as_bytes()


class SesMailer:
    def __init__(self, sender: str | None = None) -> None:
        self._sender = sender

    def send(
        self, to: list[str], mail: RenderedMail, attachments: Sequence[Attachment] = ()
    ) -> str:
        sender = self._sender or settings().mail_from
        response = aws.sesv2().send_email(
            FromEmailAddress=sender,
            Destination={"ToAddresses": to},
            Content={"Raw": {"Data": build_mime(sender, to, mail, attachments)}},
        )
        return response.get("MessageId", "")

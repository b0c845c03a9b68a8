"""The mail layer on its own: headers are made by the ``email`` package, one line each,
encoded and folded; no name or address can end a header or add one."""

from __future__ import annotations

import email
import email.policy

import pytest

from ticketing.adapters.ses_mailer import build_mime
from ticketing.mail.render import RenderedMail
from ticketing.services.ports import MailRefused

BREAKERS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"]


def mail(subject: str) -> RenderedMail:
    return RenderedMail(subject=subject, text="Hallo", html="<p>Hallo</p>")


def headers_of(raw: bytes) -> list[str]:
    return raw.split(b"\r\n\r\n")[0].decode("ascii").split("\r\n")


@pytest.mark.parametrize("breaker", BREAKERS, ids=repr)
def test_a_line_break_in_a_subject_or_sender_name_adds_no_header(breaker: str) -> None:
    raw = build_mime(
        f'"Messe{breaker}Bcc: all@example.org" <tickets@example.com>',
        ["guest@example.org"],
        mail(f"Fair{breaker}Bcc: all@example.org"),
    )

    names = [line.split(":")[0] for line in headers_of(raw) if not line.startswith((" ", "\t"))]
    assert "Bcc" not in names
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == "Fair Bcc: all@example.org"
    assert parsed["From"].addresses[0].addr_spec == "tickets@example.com"


@pytest.mark.parametrize(
    "recipient",
    [
        "guest@example.org\r\nBcc: all@example.org",
        "guest@example.org\nX: y",
        "guest@example.org\u2028",
        "not an address",
        "",
    ],
    ids=repr,
)
def test_a_recipient_that_is_no_single_address_is_refused(recipient: str) -> None:
    with pytest.raises(MailRefused):
        build_mime("tickets@example.com", [recipient], mail("Ihre Buchung"))


def test_a_long_subject_with_umlauts_is_encoded_and_folded() -> None:
    subject = "Ihre Buchung 72BE-040526-ABCD: Große Forstmesse Süd " * 3

    raw = build_mime("Ticketing <tickets@example.com>", ["mueller@example.org"], mail(subject))

    lines = headers_of(raw)
    assert all(len(line) <= 78 for line in lines)
    assert any("=?utf-8?" in line for line in lines)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == subject.strip()


@pytest.mark.parametrize("breaker", BREAKERS, ids=repr)
def test_the_organizers_name_as_sender_and_its_reply_to_add_no_header(breaker: str) -> None:
    speaking = RenderedMail(
        subject="Ihre Buchung",
        text="Hallo",
        html="<p>Hallo</p>",
        sender_name=f"Messe Süd{breaker}Bcc: all@example.org",
        reply_to="kontakt@messe.example",
    )

    raw = build_mime("tickets@platform.example", ["guest@example.org"], speaking)

    names = [line.split(":")[0] for line in headers_of(raw) if not line.startswith((" ", "\t"))]
    assert "Bcc" not in names
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    sender = parsed["From"].addresses[0]
    assert sender.display_name == "Messe Süd Bcc: all@example.org"
    assert sender.addr_spec == "tickets@platform.example"  # the platform's verified address
    assert parsed["Reply-To"].addresses[0].addr_spec == "kontakt@messe.example"


def test_a_reply_to_that_is_no_address_is_left_out_rather_than_losing_the_mail() -> None:
    speaking = RenderedMail(
        subject="Ihre Buchung",
        text="Hallo",
        html="<p>Hallo</p>",
        reply_to="kontakt@messe.example\r\nBcc: all@example.org",
    )

    raw = build_mime("tickets@platform.example", ["guest@example.org"], speaking)

    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Reply-To"] is None
    assert "Bcc" not in [line.split(":")[0] for line in headers_of(raw)]

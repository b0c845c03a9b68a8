"""SMS through Amazon SNS ``Publish`` to a phone number (transactional, so it is not held
back as promotional traffic would be)."""

from __future__ import annotations

import re
from typing import Any

from ticketing.adapters import aws

SENDER_ID = "GIFT"  # shown where a country allows alphanumeric sender ids


def e164(phone: str) -> str:
    """``138 0013 8000`` -> ``+8613800138000``: a number without a country code is read as a
    mainland China one (the seed's members), one with ``+`` or ``00`` keeps its own."""
    digits = re.sub(r"[^0-9+]", "", phone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not digits.startswith("+"):
        digits = "+86" + digits.lstrip("0")
    return digits


class SnsSmsSender:
    def __init__(self, client: Any | None = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or aws.sns()

    def send_sms(self, phone: str, text: str) -> str:
        response = self.client.publish(
            PhoneNumber=e164(phone),
            Message=text,
            MessageAttributes={
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
                "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": SENDER_ID},
            },
        )
        return str(response["MessageId"])

"""Issue 17 through the local stack: the export of a person lists the mails they received
(subject, class, time), as JSON and as the workbook's mail sheet; the erasure removes them,
and a second erasure finds nothing left."""

from __future__ import annotations

import io
import time
import urllib.parse
import uuid
from typing import Any

import openpyxl
import pytest

from tests.e2e.gift_world import CAMPAIGN, created
from tests.e2e.stack import LocalStack
from tests.e2e.test_erasure import erased
from tests.e2e.test_foundation import booking_body, new_event, new_organizer

pytestmark = pytest.mark.slow


def mails_to(stack: LocalStack, email: str, count: int, timeout: float = 60) -> list[Any]:
    """The first ``count`` mails the outbox holds for ``email`` (waiting for them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = [m for m in stack.client.call("GET", "/_local/outbox").json() if email in m["to"]]
        if len(mails) >= count:
            return mails[:count]
        time.sleep(0.2)
    raise AssertionError(f"{count} mails to {email} did not arrive")


def test_the_export_lists_the_mails_a_person_received_until_they_are_erased(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client.from_address("127.0.0.73")
    tag = uuid.uuid4().hex[:8]
    email = f"postfach.{tag}@example.org"
    _, key = new_organizer(local_stack, f"mails-{tag}")
    event = new_event(client, key)
    body = booking_body(f"Postfach{tag}", 1)
    body["customer"]["email"] = email
    booked = client.call("POST", f"/events/{event['event_id']}/bookings", key, body)
    assert booked.status == 201, booked.body
    number = booked.json()["order_number"]
    issuer = created(client, key, "/issuers", {"name": "Treuepunkte"})
    campaign = created(client, issuer["api_key"], "/campaigns", CAMPAIGN)
    created(
        client,
        issuer["api_key"],
        f"/campaigns/{campaign['campaign_id']}/vouchers",
        {"tier": "B", "recipient": {"email": email, "name": "Madeleine"}, "external_ref": tag},
    )
    received = mails_to(local_stack, email, 2)

    query = urllib.parse.urlencode({"email": email.upper()})
    export = client.call("GET", f"/customers/export?{query}", key)

    assert export.status == 200, export.body
    sent = [m for m in export.json()["mails"] if m["outcome"] == "sent"]
    assert sorted(m["subject"] for m in sent) == sorted(m["subject"] for m in received)
    by_template = {m["template"]: m for m in sent}
    assert set(by_template) == {"order_confirmation", "gift_voucher"}
    assert by_template["order_confirmation"]["order_number"] == number
    assert number in by_template["order_confirmation"]["subject"]
    assert {m["mail_class"] for m in sent} == {"confirmation"}
    assert all(m["sent_at"] for m in sent)
    workbook = client.call(
        "GET", f"/customers/export?{query}&format=xlsx", key, headers={"Accept-Language": "de"}
    )
    assert workbook.status == 200, workbook.body[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.body))["E-Mails"]
    rows = list(sheet.iter_rows(values_only=True))
    assert {"Betreff", "Gesendet am", "Art der E-Mail"} <= set(rows[0])
    assert len(rows) == 1 + len(sent)

    done = erased(local_stack, key, email)

    assert done["counts"]["mail_records"] >= 2
    after = client.call("GET", f"/customers/export?{query}", key).json()
    assert not any(after.values())
    assert erased(local_stack, key, email)["nothing_left"] is True

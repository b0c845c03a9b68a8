"""Issue 16 item 6 through the local stack: in the console the organizer sets the sample
letter; the exhibitor's contact pastes its list, previews the letter with a real row, sends it,
uploads an Excel file of 3 more (previewed with its first row, sent as a multipart form), and
follows the tracking list; the organizer sees the summary per exhibitor."""

from __future__ import annotations

import time

import pytest

from tests.e2e.console import sign_in
from tests.e2e.stack import LocalStack, mails_to
from tests.e2e.test_vouchers import exhibitor_of, future_event, ready_batch
from tests.multipart_form import XLSX, workbook

pytestmark = pytest.mark.slow


def test_upload_preview_send_and_tracking_in_the_console(local_stack: LocalStack) -> None:
    client = local_stack.client
    event = future_event(local_stack)
    event_id = event["event_id"]
    admin = sign_in(local_stack, local_stack.organizer_email, "127.0.0.161")
    letter = {
        "language": "de",
        "subject": "Einladung zur {event}",
        "body": "Guten Tag {first_name} {last_name},\n\nIhr Gutschein: **{code}**\n\n{link}",
    }
    saved = admin.post(
        f"/console/invitations/{event_id}", letter, csrf_from=f"/console/invitations/{event_id}"
    )
    assert saved.status == 303, saved.body[:2000]
    stamp = time.time_ns() % 10**9
    exhibitor = exhibitor_of(local_stack, event_id, f"Konsole{stamp}")
    batch_id = ready_batch(client, exhibitor["api_key"], event_id, 4)["batch_id"]
    contact = sign_in(local_stack, exhibitor["email"], "127.0.0.162")
    page = f"/console/exhibitor/invitations/{batch_id}"
    pasted = f"first_name;last_name;email\nLina;Berg;lina.{stamp}@example.org\n"

    shown = contact.post(page, {"recipients": pasted, "action": "preview"}, csrf_from=page)
    assert shown.status == 200
    assert "Guten Tag Lina Berg" in shown.body.decode()
    assert "0000-0000-0000-0A" in shown.body.decode()
    sent = contact.post(page, {"recipients": pasted, "action": "send"}, csrf_from=page)
    assert sent.status == 303, sent.body[:2000]

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tracked = contact.text(page)
        if 'data-state="sent"' in tracked:
            break
        time.sleep(0.5)
    assert f'data-email="lina.{stamp}@example.org"' in tracked
    assert 'data-state="sent"' in tracked
    mails = mails_to(local_stack, f"lina.{stamp}@example.org")  # "sent" may come first
    assert len(mails) == 1
    assert "Guten Tag Lina Berg" in mails[0]["text"]

    names = [("Mia", "Kern"), ("Tom", "Hahn"), ("Ida", "Roth")]
    emails = [f"{first.lower()}.{stamp}@example.org" for first, _ in names]
    book = workbook(
        [("Vorname", "Nachname", "E-Mail")]
        + [(first, last, email) for (first, last), email in zip(names, emails, strict=True)]
    )
    file = {"file": ("gaeste.xlsx", XLSX, book)}
    shown = contact.upload(page, {"action": "preview", "recipients": ""}, file, csrf_from=page)
    assert shown.status == 200, shown.body[:2000]
    assert "Guten Tag Mia Kern" in shown.body.decode()  # the file's first row
    assert "gaeste.xlsx" in shown.body.decode()
    sent = contact.upload(page, {"action": "send", "recipients": ""}, file, csrf_from=page)
    assert sent.status == 303, sent.body[:2000]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tracked = contact.text(page)
        if tracked.count('data-state="sent"') >= 4:
            break
        time.sleep(0.5)
    for email in emails:
        assert f'data-email="{email}"' in tracked
    assert tracked.count('data-state="sent"') == 4
    for email in emails:  # the list says "sent" once SES took it; the outbox may lag
        mails_to(local_stack, email)
    outbox = client.call("GET", "/_local/outbox").json()
    assert sorted(e for e in emails for m in outbox if e in m["to"]) == sorted(emails)

    big = {"file": ("gross.csv", "text/csv", b"email\n" + b"x" * (4 * 1024 * 1024))}
    refused = contact.upload(page, {"action": "preview"}, big, csrf_from=page)
    assert refused.status == 413, refused.body[:500]
    assert "größer als 4 MB" in refused.body.decode()  # in the contact's language (de)
    summary = admin.text(f"/console/invitations/{event_id}")
    assert f'data-exhibitor="{exhibitor["exhibitor_id"]}"' in summary

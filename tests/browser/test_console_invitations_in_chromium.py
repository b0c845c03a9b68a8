"""The exhibitor's invitation page in headless Chromium through the local stack (issue 16):
the contact chooses an Excel file (``set_input_files``), sees the preview with the file's first
row, chooses it again and sends it as the multipart form; a file over 4 MB is stopped by the
page's script before it is sent. No console error, no CSP violation."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (dev extras)"
)

from playwright.sync_api import FilePayload, Page, expect

from tests.browser.test_console_in_chromium import sign_in_in_the_browser
from tests.e2e.stack import LocalStack
from tests.e2e.test_vouchers import exhibitor_of, future_event, ready_batch
from tests.multipart_form import XLSX, workbook

pytestmark = pytest.mark.slow

FILE_LABEL = "Datei mit der Liste (CSV oder Excel .xlsx)"


def test_the_contact_uploads_an_excel_list_previews_and_sends_it(
    local_stack: LocalStack, page: Page, artifacts: Path, console_errors: list[str]
) -> None:
    client = local_stack.client
    event_id = future_event(local_stack)["event_id"]
    letter = {"language": "de", "subject": "Einladung", "body": "Hallo {first_name}: {code}"}
    put = client.call(
        "PUT", f"/events/{event_id}/invitation-letter", local_stack.organizer_key, letter
    )
    assert put.status == 200, put.body
    stamp = secrets.token_hex(3)
    exhibitor = exhibitor_of(local_stack, event_id, f"Upload{stamp}")
    batch_id = ready_batch(client, exhibitor["api_key"], event_id, 3)["batch_id"]
    rows = [("Vorname", "Nachname", "E-Mail")] + [
        (first, "Kern", f"{first.lower()}.{stamp}@example.org") for first in ("Mia", "Tom", "Ida")
    ]
    file = FilePayload(name="gaeste.xlsx", mimeType=XLSX, buffer=workbook(rows))
    sign_in_in_the_browser(page, local_stack, exhibitor["email"])
    page.goto(f"{client.base_url}/console/exhibitor/invitations/{batch_id}")

    chooser = page.get_by_label(FILE_LABEL)
    expect(chooser).to_have_attribute("accept", ".csv,.xlsx")
    chooser.set_input_files(file)
    page.get_by_role("button", name="Vorschau").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text(f"Zeile 1: mia.{stamp}@example.org")
    expect(page.locator("[data-preview-body]")).to_contain_text("Hallo Mia")
    expect(page.locator("[data-preview-file]")).to_contain_text("gaeste.xlsx")
    page.screenshot(path=str(artifacts / "console-invitations-upload-de.png"), full_page=True)

    page.get_by_label(FILE_LABEL).set_input_files(file)  # a page cannot keep a chosen file
    page.get_by_role("button", name="Einladungen senden").click()
    expect(page.get_by_role("status").first).to_contain_text("3 Einladungen werden versendet")

    too_big = FilePayload(name="gross.csv", mimeType="text/csv", buffer=b"x" * (4 * 2**20 + 1))
    page.get_by_label(FILE_LABEL).set_input_files(too_big)
    url = page.url
    page.get_by_role("button", name="Vorschau").click()
    assert page.url == url
    message = page.get_by_label(FILE_LABEL).evaluate("input => input.validationMessage")
    assert "größer als 4 MB" in message
    assert console_errors == []

"""The exhibitor's console through the local stack (issue 13 item 2): the organizer makes an
exhibitor with its key, the exhibitor's contact signs in, orders 1,000 vouchers through the
form, follows the progress to 100 %, downloads the Excel file through the console; a visitor
registers one code; the contact sees who redeemed and the statement. Another exhibitor's
contact sees none of it."""

from __future__ import annotations

import io
import json
import re
import secrets
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest

from tests.e2e.console import Browser, sign_in
from tests.e2e.stack import LocalStack
from tests.e2e.test_vouchers import future_event

pytestmark = pytest.mark.slow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Stand:
    event: dict[str, Any]
    exhibitor: dict[str, Any]
    contact: Browser


def new_stand(stack: LocalStack, event: dict[str, Any], name: str, source: str) -> Stand:
    email = f"stand-{secrets.token_hex(4)}@messe.example"
    reply = stack.client.call(
        "POST",
        "/exhibitors",
        stack.organizer_key,
        {"name": name, "email": email, "event_id": event["event_id"]},
    )
    assert reply.status == 201, reply.body
    return Stand(event, reply.json(), sign_in(stack, email, source))


@pytest.fixture(scope="module")
def stand(local_stack: LocalStack) -> Stand:
    return new_stand(local_stack, future_event(local_stack), "Forsttechnik Berg", "127.0.0.130")


@pytest.fixture(scope="module")
def batch_path(stand: Stand) -> str:
    """The contact orders 1,000 vouchers through the form: the batch's page."""
    ordered = stand.contact.post(
        "/console/exhibitor/order",
        {"quantity": "1.000", "label": "Juli-Mailing", "valid_from": "", "valid_until": ""},
        csrf_from="/console/exhibitor/order",
    )
    assert ordered.status == 303, ordered.body[:1000]
    path = ordered.headers["Location"]
    assert re.fullmatch(r"/console/exhibitor/batches/[A-Za-z0-9_-]+", path)
    return path


def test_the_contact_sees_its_event_on_the_home_page(stand: Stand) -> None:
    home = stand.contact.text("/console")
    assert stand.event["name"] in home
    assert stand.event["venue"] in home
    assert "Forsttechnik Berg" in home
    assert 'href="/console/exhibitor/order"' in home


def test_bad_quantity_gets_the_form_back_in_german(stand: Stand) -> None:
    reply = stand.contact.post(
        "/console/exhibitor/order", {"quantity": "0"}, csrf_from="/console/exhibitor/order"
    )
    assert reply.status == 422
    assert "Anzahl muss mindestens 1 sein." in reply.body.decode()
    refused = stand.contact.request("POST", "/console/exhibitor/order", {"quantity": "5"})
    assert refused.status == 403  # no CSRF token


def test_order_progress_download_redemption_and_statement(
    local_stack: LocalStack, stand: Stand, batch_path: str
) -> None:
    contact = stand.contact
    page = contact.text(batch_path)
    assert "1.000 Gutscheine bestellt (Juli-Mailing)" in page  # the notice, once
    assert "1.000 Gutscheine bestellt" not in contact.text(batch_path)

    # the progress the page's script polls, up to 100 %
    seen: list[float] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        reply = contact.get(f"{batch_path}/progress")
        assert reply.status == 200
        assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
        progress = json.loads(reply.body)
        assert progress["step"] in ("generating", "writing_file", "ready"), progress
        seen.append(progress["percent"])
        if progress["done"]:
            break
        time.sleep(0.5)
    assert seen[-1] == 100.0, seen
    assert seen == sorted(seen)  # never backwards
    assert progress["download"] == f"{batch_path}/download"

    # the Excel file through the console: a redirect to the short-lived presigned URL
    download = contact.get(progress["download"])
    assert download.status == 303
    location = download.headers["Location"]
    assert "X-Amz-Expires=" in location
    with urllib.request.urlopen(location) as answer:
        sheet = openpyxl.load_workbook(io.BytesIO(answer.read())).active
    assert sheet is not None
    codes = [str(row[0].value) for row in sheet.iter_rows(min_row=2)]
    assert len(codes) == len(set(codes)) == 1000

    overview = contact.text("/console/exhibitor/batches")
    assert f'href="{batch_path}/download" data-progress-download>' in overview

    # a visitor registers one code on the API; the contact sees who redeemed
    visitor = local_stack.client.from_address("127.0.0.131")
    body = {
        "first_name": "Jörg",
        "last_name": "Hölzl",
        "email": f"joerg-{secrets.token_hex(3)}@example.org",
        "company": "Sägewerk Hölzl",
    }
    registered = visitor.call("POST", f"/vouchers/{codes[0]}/registration", body=body)
    assert registered.status == 201, registered.body

    redemptions = contact.text("/console/exhibitor/redemptions")
    assert "Jörg Hölzl" in redemptions
    assert "Sägewerk Hölzl" in redemptions
    assert "1 von 1 Einlösungen" in redemptions
    assert "Jörg Hölzl" in contact.text("/console/exhibitor/redemptions?q=holzl&checked_in=no")
    assert "0 von 1" in contact.text("/console/exhibitor/redemptions?checked_in=yes")
    sheet_reply = contact.get("/console/exhibitor/redemptions?format=xlsx")
    assert sheet_reply.status == 200
    assert sheet_reply.headers["Content-Type"] == XLSX
    assert "attachment" in sheet_reply.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(sheet_reply.body)).active
    assert book is not None
    assert book.max_row == 2

    statement = contact.text("/console/exhibitor/statement")
    figures = re.findall(r'<td class="number">(?:<strong>)?([^<]+)', statement)
    assert figures[:4] == ["1.000", "1", "0", "0"]  # issued, redeemed, used, billable
    assert "Sie zahlen nur für Gutscheine, die auf der Messe genutzt werden" in statement


def test_another_exhibitors_contact_sees_none_of_it(
    local_stack: LocalStack, stand: Stand, batch_path: str
) -> None:
    other = new_stand(local_stack, stand.event, "Sägen Maier", "127.0.0.132")
    for path in (batch_path, f"{batch_path}/progress", f"{batch_path}/download"):
        assert other.contact.get(path).status == 404
    assert batch_path not in other.contact.text("/console/exhibitor/batches")
    assert "Hölzl" not in other.contact.text("/console/exhibitor/redemptions")

"""Issue 16 through the local stack: the organizer's letter, an exhibitor invites its customers
(each code handed out once), the mails in the outbox, the tracking list to the door."""

from __future__ import annotations

import email
import email.policy
import io
import re
import time
from typing import Any

import openpyxl
import pytest

from tests.e2e.stack import Client, LocalStack
from tests.e2e.stack import mails_to as outbox_mails_to
from tests.e2e.test_foundation import assert_problem
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch, register

pytestmark = pytest.mark.slow

LETTER_EN = (
    "Dear {salutation} {first_name} {last_name},\n\n"
    "**{exhibitor}** invites you to {event} (stand {stand}).\n\n"
    "Your personal code: {code}\n\nRegister here: {link}\n\nValid until {valid_until}."
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def wait_for_list(client: Client, key: str, batch_id: str, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.call(
            "GET", f"/voucher-batches/{batch_id}/invitations/jobs/{job_id}", key
        ).json()
        if job["state"] != "running":
            return job
        time.sleep(0.2)
    raise AssertionError("the invitation list did not finish")


def mails_to(
    stack: LocalStack, address: str, timeout: float = 90, subject: str | None = None
) -> list[Any]:
    """The mails to ``address`` (about ``subject``) as parsed messages, waiting up to
    ``timeout`` for the first (``stack.mails_to``); ``timeout=0`` takes what is there now."""
    found = outbox_mails_to(
        stack, address, subject, count=1 if timeout else 0, timeout=timeout, raw=True
    )
    return [email.message_from_string(m["raw"], policy=email.policy.default) for m in found]


def text_of(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


def test_done_means_of_issue_16(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.116")
    event = future_event(local_stack)
    event_id = event["event_id"]
    letter = {
        "language": "en",
        "subject": "Your ticket for {event}, {first_name}",
        "body": LETTER_EN,
    }
    saved = client.call(
        "PUT", f"/events/{event_id}/invitation-letter", local_stack.organizer_key, letter
    )
    assert saved.status == 200, saved.body
    stamp = f"{time.time_ns()}"
    exhibitor = exhibitor_of(local_stack, event_id, f"Einlad{stamp[-8:]}")
    key = exhibitor["api_key"]
    batch = ready_batch(client, key, event_id, 5)
    batch_id = batch["batch_id"]
    people = [
        {
            "salutation": "Ms",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": f"ada.{stamp}@example.org",
            "language": "en",
        },
        {"first_name": "Bad", "last_name": "Row", "email": "no-address-here"},
        {
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": f"grace.{stamp}@example.org",
            "company": '=HYPERLINK("http://x")',
            "language": "en",
        },
    ]

    sent = client.call(
        "POST", f"/voucher-batches/{batch_id}/invitations", key, {"recipients": people}
    )
    assert sent.status == 202, sent.body
    assert [(r["row"], r["reason"]) for r in sent.json()["bad_rows"]] == [
        (2, "the e-mail address is not valid")
    ]
    job = wait_for_list(client, key, batch_id, sent.json()["job_id"])
    assert (job["state"], job["invited"], job["assigned"]) == ("done", 2, 2)

    ada = mails_to(local_stack, people[0]["email"])
    grace = mails_to(local_stack, people[2]["email"])
    assert len(ada) == 1
    assert len(grace) == 1
    codes = {
        who: re.search(r"Your personal code: ([0-9A-Z-]+)", text_of(mail[0])).group(1)  # type: ignore[union-attr]
        for who, mail in (("ada", ada), ("grace", grace))
    }
    assert codes["ada"] != codes["grace"]
    assert {codes["ada"], codes["grace"]} <= set(codes_of(batch))  # codes of this batch
    assert "Dear Ms Ada Lovelace" in text_of(ada[0])
    assert ada[0]["Subject"] == f"Your ticket for {event['name']}, Ada"
    assert exhibitor["name"] in ada[0]["From"]
    assert ada[0]["Reply-To"] == exhibitor["email"]
    assert "List-Unsubscribe" not in ada[0]  # transactional

    # the same two addresses again: nothing is sent, and the answer says so
    again = client.call(
        "POST",
        f"/voucher-batches/{batch_id}/invitations",
        key,
        {"recipients": [people[0], people[2]]},
    )
    assert again.status == 202, again.body
    assert [r["row"] for r in again.json()["already_invited"]] == [1, 2]
    assert again.json()["state"] == "done"
    assert again.json()["total"] == 0
    # four more, with only three codes left: refused as a whole
    more = [
        {"first_name": f"P{n}", "last_name": "Q", "email": f"p{n}.{stamp}@example.org"}
        for n in range(4)
    ]
    refused = assert_problem(
        client.call("POST", f"/voucher-batches/{batch_id}/invitations", key, {"recipients": more}),
        409,
    )
    assert "only 3 codes left" in refused["detail"]
    time.sleep(1)
    assert len(mails_to(local_stack, people[0]["email"], 0)) == 1
    assert not mails_to(local_stack, more[0]["email"], 0)

    # Ada registers with the code from her mail
    done = register(
        client, codes["ada"], people[0]["email"], first_name="Ada", last_name="Lovelace"
    )
    assert done.status == 201, done.body

    listed = client.call("GET", f"/voucher-batches/{batch_id}/invitations", key).json()
    rows = {r["email"]: r for r in listed["invitations"]}
    assert rows[people[0]["email"]]["registered_at"] is not None
    assert rows[people[2]["email"]]["registered_at"] is None
    assert rows[people[2]["email"]]["mail_state"] == "sent"
    assert listed["counts"] == {"codes": 5, "assigned": 2, "invited": 2, "registered": 1, "used": 0}

    # the Excel list keeps the formula-like company as text
    xlsx = client.call("GET", f"/voucher-batches/{batch_id}/invitations?format=xlsx", key)
    assert xlsx.status == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.body)).active
    assert sheet is not None
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)
    assert any(isinstance(c, str) and "HYPERLINK" in c for c in cells)

    summary = client.call(
        "GET", f"/events/{event_id}/invitations/summary", local_stack.organizer_key
    )
    assert summary.status == 200, summary.body
    mine = [
        e for e in summary.json()["exhibitors"] if e["exhibitor_id"] == exhibitor["exhibitor_id"]
    ]
    assert mine[0]["assigned"] == 2
    assert mine[0]["registered"] == 1


def test_an_excel_list_a_bad_file_a_bad_letter_and_another_exhibitors_batch(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client.from_address("127.0.0.117")
    event = future_event(local_stack)
    event_id = event["event_id"]
    organizer = local_stack.organizer_key
    unknown = client.call(
        "PUT",
        f"/events/{event_id}/invitation-letter",
        organizer,
        {"language": "de", "subject": "Hallo {vorname}", "body": "{code}"},
    )
    assert "{vorname}" in assert_problem(unknown, 422)["detail"]
    too_long = client.call(
        "PUT",
        f"/events/{event_id}/invitation-letter",
        organizer,
        {"language": "de", "subject": "Hallo", "body": "{code}" + "x" * 20_001},
    )
    assert_problem(too_long, 422)
    letter = {"language": "de", "subject": "Einladung", "body": "Hallo {first_name}: {link}"}
    assert (
        client.call("PUT", f"/events/{event_id}/invitation-letter", organizer, letter).status == 200
    )
    stamp = f"{time.time_ns()}"
    first = exhibitor_of(local_stack, event_id, f"Xl{stamp[-8:]}")
    other = exhibitor_of(local_stack, event_id, f"Yl{stamp[-8:]}")
    batch_id = ready_batch(client, first["api_key"], event_id, 3)["batch_id"]

    template = client.call(
        "GET", f"/voucher-batches/{batch_id}/invitations/template.xlsx", first["api_key"]
    )
    assert template.status == 200
    book = openpyxl.load_workbook(io.BytesIO(template.body))
    sheet = book.active
    assert sheet is not None
    titles = [c.value for c in next(sheet.iter_rows())]
    assert titles[:4] == ["salutation", "first_name", "last_name", "email"]
    sheet.delete_rows(2)
    sheet.append(["", "=cmd|' /C calc'!A0", "Formel", f"f.{stamp}@example.org", "", "de"])
    data = io.BytesIO()
    book.save(data)

    upload = client.call(
        "POST",
        f"/voucher-batches/{batch_id}/invitations",
        first["api_key"],
        raw=data.getvalue(),
        headers={"Content-Type": XLSX},
    )
    assert upload.status == 202, upload.body
    job = wait_for_list(client, first["api_key"], batch_id, upload.json()["job_id"])
    assert job["invited"] == 1
    [mail] = mails_to(local_stack, f"f.{stamp}@example.org")
    assert "Hallo =cmd|' /C calc'!A0:" in text_of(mail)

    not_a_list = client.call(
        "POST",
        f"/voucher-batches/{batch_id}/invitations",
        first["api_key"],
        raw=b"\x89PNG\r\n\x1a\n\x00\x00",
        headers={"Content-Type": "text/csv"},
    )
    assert "neither CSV" in assert_problem(not_a_list, 422)["detail"]
    rows = "first_name;last_name;email\n" + "".join(
        f"a;b;r{n}@example.org\n" for n in range(10_001)
    )
    too_many = client.call(
        "POST",
        f"/voucher-batches/{batch_id}/invitations",
        first["api_key"],
        raw=rows.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert "more than 10,000" in assert_problem(too_many, 422)["detail"]
    foreign = client.call(
        "POST",
        f"/voucher-batches/{batch_id}/invitations",
        other["api_key"],
        {"recipients": [{"first_name": "a", "last_name": "b", "email": "c@example.org"}]},
    )
    assert_problem(foreign, 404)
    assert_problem(
        client.call("GET", f"/voucher-batches/{batch_id}/invitations", other["api_key"]), 404
    )


def test_writing_again_is_sent_after_review_only_to_who_agreed(local_stack: LocalStack) -> None:
    """Two visitors register codes of one exhibitor, one agreeing to be contacted; the
    exhibitor's message waits in the reviewer's queue, nothing is sent before approval, and
    after it exactly one mail goes out, to the visitor who agreed."""
    client = local_stack.client.from_address("127.0.0.118")
    reviewer = local_stack.reviewer_key
    event = future_event(local_stack)
    event_id = event["event_id"]
    exhibitor = exhibitor_of(local_stack, event_id, f"Wieder{time.time_ns() % 10**8}")
    key = exhibitor["api_key"]
    one, two = codes_of(ready_batch(client, key, event_id, 2))
    stamp = time.time_ns()
    yes, no = f"yes.{stamp}@example.org", f"no.{stamp}@example.org"
    assert register(client, one, yes, contact_consent=True).status == 201
    assert register(client, two, no, last_name="Andere").status == 201
    subject = f"Besuchen Sie uns {stamp}"

    written = client.call(
        "POST",
        f"/events/{event_id}/redemptions/messages",
        key,
        {"subject": subject, "body": "Halle B, **Stand 12**"},
    )
    assert written.status == 202, written.body
    message = written.json()
    nid = message["message_id"]
    assert (message["state"], message["consenting"], message["kind"]) == (
        "submitted",
        1,
        "information",
    )
    queue = client.call("GET", "/notifications?status=submitted", reviewer).json()
    assert nid in {n["notification_id"] for n in queue["notifications"]}
    listed = client.call(
        "GET", f"/events/{event_id}/redemptions/messages", local_stack.organizer_key
    )
    assert [m["message_id"] for m in listed.json()["messages"]] == [nid]
    time.sleep(1.5)  # whatever would be sent before approval has had its time
    assert [m for m in mails_to(local_stack, yes, timeout=0) if m["Subject"] == subject] == []

    approved = client.call("POST", f"/notifications/{nid}/approve", reviewer)
    assert approved.status == 200, approved.body

    deadline = time.monotonic() + 60
    while True:
        mine = client.call("GET", f"/events/{event_id}/redemptions/messages", key).json()
        [state] = mine["messages"]
        if state["state"] == "sent" or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert (state["state"], state["recipients"], state["sent"]) == ("sent", 1, 1)
    # the registration's confirmation reached them first: wait for this one
    sent = [m for m in mails_to(local_stack, yes, subject=subject) if m["Subject"] == subject]
    assert len(sent) == 1
    assert exhibitor["name"] in str(sent[0]["From"])
    assert "Stand 12" in text_of(sent[0])
    time.sleep(1.5)
    assert [m for m in mails_to(local_stack, no, timeout=0) if m["Subject"] == subject] == []
    assert len([m for m in mails_to(local_stack, yes, timeout=0) if m["Subject"] == subject]) == 1

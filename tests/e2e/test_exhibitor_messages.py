"""Issue 16 item 5 through the local stack, after the reviewer asks back: the exhibitor
writes to the visitors who registered its codes, the reviewer questions the message, the
exhibitor changes it and submits it again, the reviewer approves, and only the registrant who
agreed at registration gets it, with the changed text. The exhibitor's console page shows the
question and the change form, and GET /voucher-batches/{batch_id} carries the counts the
invitation list shows."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.console import sign_in
from tests.e2e.stack import Client, LocalStack
from tests.e2e.test_foundation import assert_problem
from tests.e2e.test_invitations import mails_to, text_of, wait_for_list
from tests.e2e.test_vouchers import codes_of, exhibitor_of, future_event, ready_batch, register

pytestmark = pytest.mark.slow


def plain(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def messages_of(client: Client, key: str, event_id: str) -> dict[str, Any]:
    reply = client.call("GET", f"/events/{event_id}/redemptions/messages", key)
    assert reply.status == 200, reply.body
    return {m["message_id"]: m for m in reply.json()["messages"]}


def test_the_exhibitor_changes_a_questioned_message_and_only_who_agreed_gets_it(
    local_stack: LocalStack,
) -> None:
    client = local_stack.client.from_address("127.0.0.119")
    reviewer = local_stack.reviewer_key
    event = future_event(local_stack)
    event_id = event["event_id"]
    stamp = time.time_ns() % 10**9
    exhibitor = exhibitor_of(local_stack, event_id, f"Rueck{stamp}")
    neighbour = exhibitor_of(local_stack, event_id, f"Nachbar{stamp}")
    key, theirs = exhibitor["api_key"], neighbour["api_key"]
    one, two = codes_of(ready_batch(client, key, event_id, 2))
    yes, no = f"ja.{stamp}@example.org", f"nein.{stamp}@example.org"
    assert register(client, one, yes, contact_consent=True).status == 201
    assert register(client, two, no, last_name="Andere").status == 201
    first, changed = f"Besuchen Sie uns {stamp}", f"Halle B, Stand 12 ({stamp})"

    written = client.call(
        "POST",
        f"/events/{event_id}/redemptions/messages",
        key,
        {"subject": first, "body": "Besuchen Sie uns in der Halle."},
    )
    assert written.status == 202, written.body
    nid = written.json()["message_id"]
    assert (written.json()["state"], written.json()["consenting"]) == ("submitted", 1)
    path = f"/events/{event_id}/redemptions/messages/{nid}"
    # waiting for the review: it cannot change, nor be submitted twice
    assert_problem(client.call("PATCH", path, key, {"subject": "Zu früh"}), 409)
    assert_problem(client.call("POST", f"{path}/submit", key), 409)

    asked = client.call(
        "POST", f"/notifications/{nid}/question", reviewer, {"text": "Welche Halle genau?"}
    )
    assert asked.status == 200, asked.body
    mine = messages_of(client, key, event_id)[nid]
    assert (mine["state"], mine["question"]) == ("question", "Welche Halle genau?")

    # the console shows the question and offers the change form
    contact = sign_in(local_stack, exhibitor["email"], "127.0.0.163")
    page = contact.text(f"/console/exhibitor/messages/{nid}")
    assert "Welche Halle genau?" in page
    assert 'name="action" value="submit"' in page

    # another exhibitor of the same event finds nothing to change or submit
    assert_problem(client.call("PATCH", path, theirs, {"subject": "Meins"}), 404)
    assert_problem(client.call("POST", f"{path}/submit", theirs), 404)
    assert_problem(client.call("PATCH", path, key, {"subject": ""}), 422)

    edited = client.call(
        "PATCH", path, key, {"subject": changed, "body": "Sie finden uns an **Stand 12**."}
    )
    assert edited.status == 200, edited.body
    assert (edited.json()["state"], edited.json()["subject"]) == ("question", changed)
    resubmitted = client.call("POST", f"{path}/submit", key)
    assert resubmitted.status == 200, resubmitted.body
    assert resubmitted.json()["state"] == "submitted"
    queue = client.call("GET", "/notifications?status=submitted", reviewer).json()
    assert nid in {n["notification_id"] for n in queue["notifications"]}
    time.sleep(1.0)  # whatever would be sent before approval has had its time
    assert [m for m in mails_to(local_stack, yes, timeout=0) if str(stamp) in m["Subject"]] == []

    approved = client.call("POST", f"/notifications/{nid}/approve", reviewer)
    assert approved.status == 200, approved.body
    deadline = time.monotonic() + 60
    while True:
        state = messages_of(client, key, event_id)[nid]
        if state["state"] == "sent" or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert (state["state"], state["recipients"], state["sent"]) == ("sent", 1, 1)
    deadline = time.monotonic() + 90
    while True:  # the registration's confirmation reached them first: wait for this one
        sent = [m for m in mails_to(local_stack, yes) if m["Subject"] == changed]
        if sent or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert len(sent) == 1
    assert "Stand 12" in text_of(sent[0])
    assert exhibitor["name"] in str(sent[0]["From"])
    time.sleep(1.5)
    assert [m for m in mails_to(local_stack, yes, timeout=0) if m["Subject"] == first] == []
    assert [m for m in mails_to(local_stack, no, timeout=0) if str(stamp) in m["Subject"]] == []
    assert_problem(client.call("PATCH", path, key, {"subject": "Danach"}), 409)


def test_the_batch_answers_the_counts_of_its_invitation_list(local_stack: LocalStack) -> None:
    client = local_stack.client.from_address("127.0.0.119")
    event = future_event(local_stack)
    event_id = event["event_id"]
    letter = {"language": "de", "subject": "Einladung", "body": "Hallo {first_name}: {code}"}
    saved = client.call(
        "PUT", f"/events/{event_id}/invitation-letter", local_stack.organizer_key, letter
    )
    assert saved.status == 200, saved.body
    stamp = time.time_ns() % 10**9
    exhibitor = exhibitor_of(local_stack, event_id, f"Zahlen{stamp}")
    key = exhibitor["api_key"]
    batch = ready_batch(client, key, event_id, 4)
    batch_id = batch["batch_id"]
    fresh = client.call("GET", f"/voucher-batches/{batch_id}", key).json()
    assert fresh["counts"] == {"codes": 4, "assigned": 0, "invited": 0, "registered": 0, "used": 0}

    people = [
        {"first_name": "Lina", "last_name": "Berg", "email": f"lina.{stamp}@example.org"},
        {"first_name": "Tom", "last_name": "Tal", "email": f"tom.{stamp}@example.org"},
    ]
    sent = client.call(
        "POST", f"/voucher-batches/{batch_id}/invitations", key, {"recipients": people}
    )
    assert sent.status == 202, sent.body
    assert wait_for_list(client, key, batch_id, sent.json()["job_id"])["state"] == "done"
    listed = client.call("GET", f"/voucher-batches/{batch_id}/invitations", key).json()
    lina = next(r for r in listed["invitations"] if r["email"] == people[0]["email"])
    assert register(client, lina["code"], people[0]["email"], first_name="Lina").status == 201
    given = {plain(r["code"]) for r in listed["invitations"]}
    spare = next(c for c in codes_of(batch) if plain(c) not in given)  # nobody was invited with it
    assert register(client, spare, f"walk-in.{stamp}@example.org").status == 201

    listed = client.call("GET", f"/voucher-batches/{batch_id}/invitations", key).json()
    answered = client.call("GET", f"/voucher-batches/{batch_id}", key)
    assert answered.status == 200, answered.body
    shown = answered.json()
    assert shown["counts"] == listed["counts"]
    assert shown["counts"] == {"codes": 4, "assigned": 2, "invited": 2, "registered": 2, "used": 0}
    assert shown["counts"]["assigned"] == len(listed["invitations"])
    invited_registered = [r for r in listed["invitations"] if r["registered_at"]]
    assert [r["email"] for r in invited_registered] == [people[0]["email"]]
    # the fields the batch had before are all still there
    assert (shown["status"], shown["quantity"], shown["generated"]) == ("ready", 4, 4)
    assert "X-Amz-Expires=300" in shown["download_url"]
    assert_problem(
        client.call(
            "GET",
            f"/voucher-batches/{batch_id}",
            exhibitor_of(local_stack, event_id, f"Fremd{stamp}")["api_key"],
        ),
        404,
    )

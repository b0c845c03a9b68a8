"""An invitation list costs the same per step however far it got (issue 16's benchmark).

The worker's cost per recipient grew with the list on moto: moto's ``SendMessage`` counted
every message waiting in the queue (``queue.attributes``), so the n-th mail cost O(n).
``moto_sqs`` sends at SQS's cost. Here a list of 300 recipients runs on moto, and each step's
work is counted from what moto reads: the calls by operation, the items DynamoDB reads
(``ScannedCount`` of queries and scans, keys of batch reads, items moto walks) and the queued
messages moto looks at. Each step's work must stay within one bound, whatever came before.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.conftest import Aws
from ticketing.adapters.voucher_batch_store import CODES_PER_WRITE
from ticketing_local import moto_sqs

RECIPIENTS = 300  # three steps of RECIPIENTS_PER_ITEM


class _Looks:
    """Counts moto's looks at queued messages (each ``visible``/``delayed`` asks the clock)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from moto.sqs.models import Message

        self.count = 0
        for name in ("visible", "delayed"):
            original = getattr(Message, name).fget
            monkeypatch.setattr(Message, name, property(self._counting(original)))

    def _counting(self, original: Any) -> Any:
        def look(message: Any) -> bool:
            self.count += 1
            return bool(original(message))

        return look


def test_a_send_does_not_walk_the_queue_and_the_queue_still_counts(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    looks = _Looks(monkeypatch)
    sqs, url = aws.clients["sqs"], aws.queue_urls["MailQueue"]
    for n in range(60):
        sqs.send_message(QueueUrl=url, MessageBody=f"mail {n}")
    assert looks.count == 0
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "60"  # GetQueueAttributes still counts
    assert looks.count > 0
    moto_sqs.uninstall()  # moto's own send walks the queue: what the test would catch
    try:
        before = looks.count
        sqs.send_message(QueueUrl=url, MessageBody="one more")
        assert looks.count - before >= 60
    finally:
        moto_sqs.install()


def _steps(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> list[Counter[str]]:
    from moto.dynamodb.models.table import Table

    from bench import invitations as bench
    from ticketing import clock
    from ticketing.adapters import aws as clients
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.consent_store import DynamoConsentStore, DynamoSuppressionStore
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
    from ticketing.adapters.invitation_queue import SqsInvitationQueue
    from ticketing.adapters.invitation_store import DynamoInvitationStore
    from ticketing.adapters.mail_queue import SqsMailQueue
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore
    from ticketing.documents.invitation_lists import read_list
    from ticketing.domain.identity import Principal, Role
    from ticketing.domain.invitations import LetterText
    from ticketing.services.mail_policy import MailPolicy
    from ticketing.services.visitor_vouchers import invite_worker, inviting

    bench._world(RECIPIENTS)
    work: Counter[str] = Counter()
    steps: list[Counter[str]] = []

    class Stepping(DynamoInvitationStore):
        def move_job(self, seen: Any, now: Any) -> None:
            super().move_job(seen, now)
            steps.append(Counter(work))
            work.clear()

    store, batches = Stepping(), DynamoBatchStore()
    desk = inviting.InvitationDesk(
        store, batches, DynamoAccessStore(), DynamoEventStore(), SqsInvitationQueue(),
        DynamoIdempotencyStore(), clock.current(),
    )  # fmt: skip
    organizer = Principal(Role.ORGANIZER, "org_bench", "org_bench", "key_org")
    letter = LetterText(language="de", subject="Hallo {first_name}", body="{code} {link}")
    inviting.set_letter(desk, organizer, "evt_bench", letter)
    me = Principal(Role.EXHIBITOR, "exh_bench", "org_bench", "key_exh", scope="evt_bench")
    job, _ = inviting.invite(desk, me, "vbt_invite", read_list(bench.excel_list(RECIPIENTS)))

    looks = _Looks(monkeypatch)
    walked = Table.all_items

    def all_items(table: Any) -> Any:
        for item in walked(table):
            work["items walked by moto"] += 1
            yield item

    monkeypatch.setattr(Table, "all_items", all_items)

    def before(model: Any, **_: Any) -> None:
        work[model.name] += 1

    def after(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        work["items read"] += int(parsed.get("ScannedCount", 0)) + int(model.name == "GetItem")
        work["items read"] += sum(len(found) for found in parsed.get("Responses", {}).values())
        work["queued messages looked at"] += looks.count
        looks.count = 0

    for client in (clients.dynamodb(), clients.sqs()):
        client.meta.events.register("before-call", before)
        client.meta.events.register("after-call", after)
    deps = invite_worker.Inviting(
        store, batches, DynamoEventStore(), DynamoAccessStore(), SqsMailQueue(),
        clock.current(), MailPolicy(DynamoConsentStore(), DynamoSuppressionStore()),
    )  # fmt: skip
    assert invite_worker.run_job(deps, "vbt_invite", job.job_id) == "done"
    return steps


def test_each_step_of_a_list_costs_the_same_however_far_it_got(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = _steps(aws, monkeypatch)
    assert len(steps) == RECIPIENTS // 100
    for step in steps:
        assert step["TransactWriteItems"] == 101  # a commit per recipient, the step's progress
        assert step["SendMessage"] == 100
        assert step["Scan"] == 0
        assert step["queued messages looked at"] == 0  # was 100 x (mails queued before) x 3
        assert step["items walked by moto"] == 0  # no Scan, no query walking the table
        # a read per recipient (its suppression), the step's rows, its addresses already
        # invited (none), and the vouchers of a chunk of codes when the free ones run out
        assert step["items read"] <= 110 + 2 * CODES_PER_WRITE
    first, *later = steps
    for step in later:
        assert step["GetItem"] <= first["GetItem"]
        assert step["items read"] <= first["items read"] + CODES_PER_WRITE

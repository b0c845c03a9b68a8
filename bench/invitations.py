"""An exhibitor invites 10,000 recipients from an Excel file (issue 16): the time to read and
check the list, to assign the codes and queue the mails; the write calls per recipient; the
worker's peak memory; and the codes assigned twice (0).

moto in this process (``ticketing_local.account.moto_account``): a ready batch of N codes, the
sample letter, an Excel file of N recipients in the template's columns. The request
(``inviting.invite``: the file read, rows checked, already-invited addresses read, the job and
its recipients written, the job queued) and the worker (``invite_worker.run_job``, one writer:
moto in one process is not thread-safe) are timed apart; every AWS call is counted by
operation. The worker's peak memory is tracemalloc's peak of the Python heap while it runs,
moto's own objects included (it runs in the same process), so an upper bound of the worker's.
Then every invitation of the table is checked: each code once, each voucher marked for
exactly the address its invitation names.

Usage::

    .venv/bin/python bench/invitations.py [--recipients 10000] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "invitations.json"
sys.path.insert(0, str(ROOT))
WRITES = {"TransactWriteItems", "PutItem", "UpdateItem", "BatchWriteItem", "DeleteItem"}


def excel_list(count: int) -> bytes:
    from ticketing.documents.excel import Column, write_table
    from ticketing.documents.invitation_lists import COLUMNS

    rows = (
        ("Frau", f"Erika{n}", "Mustermann", f"erika.{n}@example.org", "Muster GmbH", "de")
        for n in range(count)
    )
    return write_table("recipients", [Column(c) for c in COLUMNS], rows)


def _world(quantity: int) -> tuple[Any, Any]:
    from bench.voucher_batch import pending_batch
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.domain.parties import Exhibitor
    from ticketing.domain.voucher_codes import new_code

    now = dt.datetime.now(dt.UTC)
    events, store = pending_batch(quantity, "vbt_invite")
    exhibitor = Exhibitor(
        exhibitor_id="exh_bench", organizer_id="org_bench", event_id="evt_bench",
        name="Forstmaschinen Huber", email="messe@huber.example", created_at=now,
    )  # fmt: skip
    DynamoAccessStore().add_party(exhibitor, None)
    batch = store.get_batch("vbt_invite")
    per, codes = store.codes_per_write, [new_code() for _ in range(quantity)]
    for chunk in range(-(-quantity // per)):
        store.write_codes(batch, chunk, codes[chunk * per : (chunk + 1) * per])
    store.finish_batch(batch, now)
    return events, exhibitor


def _twice() -> dict[str, int]:
    """Codes given twice, counted from the table: invitations per code, vouchers per mark."""
    from ticketing.adapters import invitation_keys as ik
    from ticketing.adapters import keys
    from ticketing.adapters.dynamo import Table

    table = Table()
    invited = list(table.iter_partition(keys.batch_partition("vbt_invite"), ik.INVITE_PREFIX))
    by_code = Counter(str(i["code"]) for i in invited)
    marked = 0
    for item in invited:
        voucher = table.get(keys.voucher(str(item["code"])))
        marked += voucher is not None and voucher.get("invited") == item["address"]
    return {
        "invitations": len(invited),
        "codes_assigned_twice": sum(1 for n in by_code.values() if n > 1),
        "distinct_codes": len(by_code),
        "vouchers_marked_for_their_invitation": marked,
    }


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _step_heap(deps: Any, store: Any, exhibitor_id: str) -> float:
    """tracemalloc's peak (MB) over one more step of the worker's work, with the DynamoDB
    and SQS calls answered from memory, not by moto: what a step of 100 recipients holds
    (the recipients, what they hold, a chunk's free codes, 100 mails made)."""
    from ticketing.services.visitor_vouchers import invite_worker

    recipients = store.job_recipients("vbt_invite", next(iter(store.jobs("vbt_invite"))).job_id, 0)
    held = store.invited(exhibitor_id, [r.address for r in recipients])
    job = store.jobs("vbt_invite")[0]
    batch = deps.batches.get_batch("vbt_invite")
    event = deps.events.get(batch.event_id)
    exhibitor = deps.access.get_exhibitor(exhibitor_id)

    class Quiet:
        def enqueue(self, request: Any) -> None:
            request.model_dump_json()

    quiet = invite_worker.Inviting(
        store, deps.batches, deps.events, deps.access, Quiet(), deps.clock
    )
    picker = invite_worker._Picker(store, "vbt_invite", 1, job.job_id)
    context = invite_worker._Context(quiet, job, batch, event, exhibitor, picker, held)
    tracemalloc.start()
    for invitation in held.values():
        invite_worker._mail(context, invitation)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 2)


def run(recipients: int) -> dict[str, Any]:
    from ticketing import clock
    from ticketing.adapters import aws
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
    from ticketing_local.account import moto_account

    with moto_account():
        _world(recipients)
        data = excel_list(recipients)
        store, batches = DynamoInvitationStore(), DynamoBatchStore()
        desk = inviting.InvitationDesk(
            store, batches, DynamoAccessStore(), DynamoEventStore(), SqsInvitationQueue(),
            DynamoIdempotencyStore(), clock.current(),
        )  # fmt: skip
        organizer = Principal(Role.ORGANIZER, "org_bench", "org_bench", "key_org")
        letter = LetterText(
            language="de", subject="Ihre Einladung, {first_name}",
            body="Guten Tag {salutation} {last_name},\n\n{exhibitor} lädt Sie ein: {code}\n{link}",
        )  # fmt: skip
        inviting.set_letter(desk, organizer, "evt_bench", letter)
        me = Principal(Role.EXHIBITOR, "exh_bench", "org_bench", "key_exh", scope="evt_bench")
        calls: Counter[str] = Counter()

        def count(model: Any, **_: Any) -> None:
            calls[model.name] += 1

        for client in (aws.dynamodb(), aws.sqs()):
            client.meta.events.register("before-call", count)
        started = time.perf_counter()
        rows = read_list(data)
        read_seconds = time.perf_counter() - started
        job, _ = inviting.invite(desk, me, "vbt_invite", rows)
        request_seconds = time.perf_counter() - started
        request_calls = dict(calls)
        calls.clear()
        deps = invite_worker.Inviting(
            store, batches, DynamoEventStore(), DynamoAccessStore(), SqsMailQueue(),
            clock.current(), MailPolicy(DynamoConsentStore(), DynamoSuppressionStore()),
        )  # fmt: skip
        before = _rss_mb()
        started = time.perf_counter()
        walked = invite_worker.run_job(deps, "vbt_invite", job.job_id)
        worker_seconds = time.perf_counter() - started
        grown = _rss_mb() - before
        for client in (aws.dynamodb(), aws.sqs()):
            client.meta.events.unregister("before-call", count)
        step_peak = _step_heap(deps, store, job.exhibitor_id)
        done = store.get_job("vbt_invite", job.job_id)
        checked = _twice()
    worker_calls = dict(calls)
    writes = sum(n for op, n in worker_calls.items() if op in WRITES)
    request_writes = sum(n for op, n in request_calls.items() if op in WRITES)
    return {
        "recipients": recipients,
        "excel_file_bytes": len(data),
        "read_and_check_seconds": round(read_seconds, 2),
        "request_seconds_on_moto": round(request_seconds, 2),
        "request_calls_by_operation": dict(sorted(request_calls.items())),
        "worker_outcome": walked,
        "assign_and_queue_seconds_on_moto": round(worker_seconds, 2),
        "recipients_per_second": round(recipients / worker_seconds),
        "worker_calls_by_operation": dict(sorted(worker_calls.items())),
        "dynamodb_write_calls_per_recipient": round(writes / recipients, 3),
        "request_dynamodb_write_calls_per_recipient": round(request_writes / recipients, 3),
        "sqs_sends_per_recipient": round(worker_calls.get("SendMessage", 0) / recipients, 3),
        "worker_peak_rss_growth_mb_moto_included": round(grown, 1),
        "worker_step_peak_python_heap_mb": step_peak,
        "process_peak_rss_mb": round(_rss_mb()),
        "invited": done.invited if done else None,
        "assigned": done.assigned if done else None,
        **checked,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    result = run(args.recipients)
    print(json.dumps(result, indent=2))
    out = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "run": result,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(f"Figures written to {args.json}")
    return 0 if result["codes_assigned_twice"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

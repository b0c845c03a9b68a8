"""Erasure of one person among 100,000 orders of their organizer (issue 17).

On moto in this process: 100,000 orders of other customers of one organizer, then one person
books two tickets (with their ticket PDFs and invoice) and registers a visitor voucher of
another event of the organizer. ``POST /customers/erasure``'s use case and the worker run with
every AWS call counted by a botocore hook: items read (GetItem found, Query items returned),
items written (one per put, update, delete, and per transaction member), S3 objects deleted,
and the time. The person's own items: each order's header and positions items, the voucher,
its claim and namesake, the index entries. The run fails unless items read <= 3 x those.

Usage::

    .venv/bin/python bench/erasure.py [--json PATH] [--orders N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_JSON = ROOT / "bench" / "results" / "erasure.json"
EMAIL = "erika.vergessen@example.org"
ORG = "org_bench0000000000"


def other_orders(dynamodb: Any, table: str, total: int) -> None:
    """``total`` order headers of other customers, with their search and event index keys."""
    for start in range(0, total, 25):
        requests = []
        for i in range(start, min(start + 25, total)):
            number = f"BE00-010126-{i:06d}"
            item = {
                "PK": f"ORDER#{number}",
                "SK": "ORDER",
                "kind": "order",
                "organizer_id": ORG,
                "order_number": number,
                "customer": {"M": {"email": {"S": f"c{i}@example.org"}}},
                "GSI1PK": "EVENT#evt_other#ORDERS",
                "GSI1SK": f"2026-01-01T00:00:00+00:00#{number}",
            }
            requests.append(
                {
                    "PutRequest": {
                        "Item": {k: v if isinstance(v, dict) else {"S": v} for k, v in item.items()}
                    }
                }
            )
        dynamodb.batch_write_item(RequestItems={table: requests})


def the_person(now: dt.datetime) -> tuple[Any, list[str]]:
    """The person's booking (2 tickets, PDFs, invoice) and voucher registration."""
    from ticketing import clock
    from ticketing.adapters.access_store import DynamoAccessStore
    from ticketing.adapters.attempts import DynamoAttempts
    from ticketing.adapters.document_store import S3DocumentStore
    from ticketing.adapters.event_store import DynamoEventStore
    from ticketing.adapters.idempotency_store import DynamoIdempotencyStore
    from ticketing.adapters.mail_queue import SqsMailQueue
    from ticketing.adapters.order_store import DynamoOrderStore
    from ticketing.adapters.outbox import DynamoOutbox
    from ticketing.adapters.person_index import DynamoPersonIndex
    from ticketing.adapters.question_store import DynamoQuestionStore
    from ticketing.adapters.transactions import DynamoTransactions
    from ticketing.adapters.visitor_voucher_store import DynamoVisitorVoucherStore
    from ticketing.adapters.voucher_batch_store import DynamoBatchStore, DynamoExhibitorFigures
    from ticketing.domain.events import Event
    from ticketing.domain.identity import Principal, Role
    from ticketing.domain.orders import BookingRequest
    from ticketing.domain.parties import Organizer
    from ticketing.domain.visitor_vouchers import RegistrationForm, VoucherBatch
    from ticketing.domain.voucher_codes import new_code
    from ticketing.services import documents
    from ticketing.services.bookings import Booking, book
    from ticketing.services.ordering import Ordering
    from ticketing.services.visitor_vouchers.registration import RegistrationDesk, register

    organizer = Organizer(
        organizer_id=ORG,
        name="Bench Messe GmbH",
        email="kontakt@bench.example",
        language="de",
        street="Messeplatz 1",
        zip="81829",
        city="München",
        country="Deutschland",
        vat_id="DE123456789",
        created_at=now,
    )
    DynamoAccessStore().add_party(organizer, None)
    draft = json.loads(json.loads((ROOT / "events/events/create_event.json").read_text())["body"])
    draft.update(starts_at="2030-07-12T09:00:00+02:00", ends_at="2030-07-16T18:00:00+02:00")
    events = DynamoEventStore()
    for event_id in ("evt_concert", "evt_fair"):
        events.add(Event(**draft, event_id=event_id, organizer_id=ORG, created_at=now))
    ordering = Ordering(
        DynamoOrderStore(),
        DynamoOutbox(),
        SqsMailQueue(),
        DynamoTransactions(),
        clock.current(),
        DynamoPersonIndex(),
    )
    principal = Principal(Role.ORGANIZER, ORG, ORG, "key_bench")
    option = draft["price_options"][0]["id"]
    request = BookingRequest.model_validate(
        {
            "submitter": {"email": "kasse@bench.example"},
            "customer": {
                "first_name": "Erika",
                "last_name": "Vergessen",
                "street": "Weg 1",
                "zip": "12345",
                "city": "Köln",
                "email": EMAIL,
            },
            "quantity": 2,
            "price_option": option,
            "payment": "cash",
            "delivery": "email",
        }
    )
    booking = Booking(ordering, events, DynamoIdempotencyStore(), DynamoQuestionStore())
    order, event, _ = book(booking, principal, "evt_concert", request, "bench-1")
    docs = S3DocumentStore()
    for position in order.positions:
        documents.store_ticket_pdf(docs, order, event, position, organizer.name)
    documents.invoice(DynamoOrderStore(), docs, clock.current(), order, event, organizer)

    batch = VoucherBatch(
        batch_id="bat_bench",
        organizer_id=ORG,
        event_id="evt_fair",
        exhibitor_id="exh_bench",
        label="",
        quantity=1,
        valid_until=now + dt.timedelta(days=30),
        status="pending",
        created_at=now,
    )
    DynamoBatchStore().add_batch(batch)
    code = new_code()
    DynamoBatchStore().write_codes(batch, 0, [code])
    desk = RegistrationDesk(
        ordering,
        DynamoVisitorVoucherStore(),
        DynamoExhibitorFigures(),
        events,
        DynamoAttempts(),
        DynamoQuestionStore(),
    )
    form = RegistrationForm(first_name="Erika", last_name="Vergessen", email=EMAIL)
    registered = register(desk, "203.0.113.10", code, form).order
    return principal, [order.order_number, registered.order_number]


def erase_among(total: int) -> dict[str, Any]:
    from ticketing.adapters import aws
    from ticketing.adapters.privacy_desks import erasure_desk
    from ticketing.services.erasure import request_erasure, run_erasure
    from ticketing_local.account import moto_account

    with moto_account() as account:
        now = dt.datetime.now(dt.UTC)
        started = time.perf_counter()
        other_orders(account.clients["dynamodb"], account.environment["TABLE_NAME"], total)
        seeding = time.perf_counter() - started
        principal, numbers = the_person(now)
        calls: Counter[str] = Counter()
        figures: Counter[str] = Counter()

        def before(model: Any, params: dict[str, Any], **_: Any) -> None:
            name = f"{model.service_model.service_name}.{model.name}"
            calls[name] += 1
            if model.name in ("PutItem", "UpdateItem", "DeleteItem"):
                figures["items_written"] += 1
            elif model.name == "TransactWriteItems":
                figures["items_written"] += len(params["TransactItems"])
            elif name == "s3.DeleteObject":
                figures["s3_objects_deleted"] += 1
            elif name == "s3.PutObject":
                figures["s3_objects_written"] += 1

        def after(model: Any, parsed: dict[str, Any], **_: Any) -> None:
            if model.name == "GetItem" and parsed.get("Item"):
                figures["items_read"] += 1
            elif model.name == "Query":
                figures["items_read"] += len(parsed.get("Items", []))

        clients = (aws.dynamodb(), aws.s3(), aws.sqs())
        for client in clients:
            client.meta.events.register("before-parameter-build", before)
            client.meta.events.register("after-call", after)
        desk = erasure_desk()
        started = time.perf_counter()
        erasure = request_erasure(desk, principal, EMAIL)
        done = run_erasure(desk, erasure.erasure_id)
        seconds = time.perf_counter() - started
        assert done is not None
        assert done.state == "done"
        # the person's own items: headers + positions items of both orders, voucher, claim,
        # namesake, index entries
        own = len(numbers) * 2 + 3 + len(numbers)
        return {
            "other_orders": total,
            "persons_orders": len(numbers),
            "persons_own_items": own,
            "items_read": figures["items_read"],
            "items_written": figures["items_written"],
            "s3_objects_deleted": figures["s3_objects_deleted"],
            "s3_objects_written": figures["s3_objects_written"],
            "read_bound_3x_own": figures["items_read"] <= 3 * own,
            "counts": done.counts,
            "calls": dict(calls),
            "seconds_on_moto": round(seconds, 3),
            "seeding_seconds": round(seeding, 1),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args(argv)
    runs = [erase_among(args.orders), erase_among(args.orders // 100)]
    for run in runs:
        print(
            f"{run['other_orders']:>7,} other orders: read {run['items_read']} items "
            f"(own {run['persons_own_items']}, bound {run['read_bound_3x_own']}), wrote "
            f"{run['items_written']}, deleted {run['s3_objects_deleted']} S3 objects, "
            f"{run['seconds_on_moto']} s on moto"
        )
    out = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "runs": runs,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(f"Figures written to {args.json}")
    return 0 if all(run["read_bound_3x_own"] for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
